package dev.jruntime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The OCI lifecycle through the CLI, checked from outside and inside real containers. */
class LifecycleIT {
    private final Jr jr = new Jr();

    @AfterEach
    void cleanup() {
        jr.close();
    }

    @Test
    void runPrintsAndExitsWithTheContainersStatus() {
        Jr.Result r = jr.run(Jr.config("sh", "-c", "echo hello; echo oops >&2; exit 3"));
        assertEquals(3, r.exit(), r.err());
        assertEquals("hello\n", r.out());
        assertTrue(r.err().contains("oops"), r.err());
        jr.assertNothingLeft();
    }

    @Test
    void killedBySignalGives128PlusSignal() {
        // without a pid namespace: PID 1 of a namespace cannot be SIGKILLed from inside it
        ObjectNode c = Jr.config("sh", "-c", "kill -9 $$");
        ((ObjectNode) c.get("linux")).putArray("namespaces").addObject().put("type", "mount");
        c.remove("hostname");
        Jr.Result r = jr.run(c);
        assertEquals(137, r.exit(), r.err());
    }

    @Test
    void createStartStateKillDelete() throws Exception {
        String id = jr.newId();
        Path bundle = jr.bundle(Jr.config("sleep", "300"));
        Path pidFile = jr.work.resolve("init.pid");
        assertQuiet(jr.jr("create", "--bundle", bundle.toString(), "--pid-file", pidFile.toString(), id).ok());

        JsonNode st = jr.state(id);
        assertEquals("created", st.get("status").asText());
        assertEquals(id, st.get("id").asText());
        assertEquals(bundle.toString(), st.get("bundle").asText());
        long pid = st.get("pid").asLong();
        assertTrue(pid > 0);
        String pidText = Files.readString(pidFile);
        assertEquals(Long.toString(pid), pidText, "pid file: the pid in decimal, no newline");
        // created: the init waits before exec; it is not a jruntime process's child any more
        String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
        long ppid = Long.parseLong(status.replaceAll("(?s).*\nPPid:\\s*(\\d+).*", "$1"));
        String parentCmd = Files.readString(Path.of("/proc", Long.toString(ppid), "cmdline"));
        assertFalse(parentCmd.contains("jruntime"), "init must be re-parented away from jruntime, parent: " + parentCmd);

        assertQuiet(jr.jr("start", id).ok());
        assertQuiet(jr.jr("state", id).ok());
        assertQuiet(jr.jr("list").ok());
        assertEquals("running", jr.state(id).get("status").asText());
        String cmdline = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"));
        assertTrue(cmdline.startsWith("sleep"), cmdline);

        Jr.Result busy = jr.jr("delete", id);
        assertEquals(1, busy.exit());
        assertTrue(busy.err().contains("not stopped"), busy.err());

        assertQuiet(jr.jr("kill", id, "KILL").ok());
        waitForStatus(id, "stopped");
        Jr.Result again = jr.jr("kill", id, "TERM");
        assertEquals(1, again.exit());
        assertTrue(again.err().contains("container not running"), again.err());
        assertQuiet(jr.jr("delete", id).ok());
        assertFalse(Files.exists(jr.root.resolve(id)));
        jr.assertNothingLeft();
    }

    /** Each verb group starts with JVM flags and an AOT cache of its own: none may print a JVM warning. */
    private static void assertQuiet(Jr.Result r) {
        assertEquals("", r.err(), "a verb that succeeds prints nothing on stderr");
    }

    @Test
    void unknownContainers() {
        Jr.Result s = jr.jr("state", "nope-" + System.nanoTime());
        assertEquals(1, s.exit());
        assertTrue(s.err().contains("does not exist"), s.err());
        Jr.Result k = jr.jr("kill", "nope-x", "9");
        assertTrue(k.err().contains("does not exist"), k.err());
        jr.jr("delete", "--force", "nope-y").ok();
        Jr.Result noId = jr.jr("start");
        assertEquals(2, noId.exit());
    }

    @Test
    void deleteForceKillsARunningContainer() {
        String id = jr.newId();
        jr.jr("run", "--detach", "--bundle", jr.bundle(Jr.config("sleep", "300")).toString(), id).ok();
        long pid = jr.state(id).get("pid").asLong();
        jr.jr("delete", "--force", id).ok();
        // gone, or a zombie until its parent (the caller's subreaper, here the machine's init) reaps it
        assertTrue(isGoneOrZombie(pid), "container init still running after delete --force");
        jr.assertNothingLeft();
    }

    @Test
    void theContainerSeesItsConfiguration() {
        ObjectNode c = Jr.config("sh", "-c", String.join("; ",
                "hostname", "id -u", "id -g", "ulimit -n", "grep -E '^(NoNewPrivs|CapEff|CapBnd)' /proc/self/status",
                "ls -ln /dev/null /dev/zero /dev/tty", "readlink /dev/fd", "readlink /dev/ptmx",
                "awk '$5==\"/\" {print \"root:\" $6}' /proc/self/mountinfo", "pwd"));
        c.put("hostname", "inside");
        ObjectNode proc = (ObjectNode) c.get("process");
        proc.put("cwd", "/tmp");
        proc.put("noNewPrivileges", true);
        proc.putObject("user").put("uid", 1000).put("gid", 1000);
        proc.putArray("rlimits").addObject().put("type", "RLIMIT_NOFILE").put("soft", 123).put("hard", 456);
        ObjectNode caps = proc.putObject("capabilities");
        // a non-root process keeps capabilities across execve only through the ambient set
        for (String set : new String[] {"bounding", "effective", "permitted", "inheritable", "ambient"}) caps.putArray(set).add("CAP_KILL");
        Jr.Result r = jr.run(c);
        assertEquals(0, r.exit(), r.err());
        String out = r.out();
        assertTrue(out.startsWith("inside\n1000\n1000\n123\n"), out);
        assertTrue(out.contains("NoNewPrivs:\t1"), out);
        assertTrue(out.contains("CapEff:\t0000000000000020"), out); // CAP_KILL is bit 5
        assertTrue(out.contains("CapBnd:\t0000000000000020"), out);
        assertTrue(out.matches("(?s).*crw-rw-rw-\\s+1 0\\s+0\\s+1,\\s+3 .*/dev/null.*"), out);
        assertTrue(out.contains("/proc/self/fd\n"), out);
        assertTrue(out.contains("pts/ptmx\n"), out);
        assertTrue(out.contains("root:ro,"), out);
        assertTrue(out.endsWith("/tmp\n"), out);
    }

    @Test
    void missingExecutableFailsAtCreateWithRuncWording() {
        String id = jr.newId();
        Jr.Result r = jr.jr("create", "--bundle", jr.bundle(Jr.config("no-such-binary")).toString(), id);
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("executable file not found in $PATH"), r.err());
        Jr.Result abs = jr.jr("create", "--bundle", jr.bundle(Jr.config("/etc/passwd")).toString(), jr.newId());
        assertEquals(1, abs.exit());
        assertTrue(abs.err().contains("permission denied"), abs.err());
        jr.assertNothingLeft();
    }

    @Test
    void logFileGetsJsonErrorLines() throws Exception {
        Path log = jr.work.resolve("log.json");
        Jr.Result r = jr.jr("--log", log.toString(), "--log-format", "json", "state", "missing-container");
        assertEquals(1, r.exit());
        String line = Files.readString(log).strip();
        JsonNode j = Jr.JSON.readTree(line);
        assertEquals("error", j.get("level").asText());
        assertTrue(j.get("msg").asText().contains("does not exist"));
        java.time.Instant.parse(j.get("time").asText());
    }

    private void waitForStatus(String id, String want) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            if (want.equals(jr.state(id).get("status").asText())) return;
            Thread.sleep(20);
        }
        assertEquals(want, jr.state(id).get("status").asText());
    }

    private static boolean isGoneOrZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (java.io.IOException e) {
            return true;
        }
    }
}

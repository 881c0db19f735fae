package dev.jruntime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** linux.seccomp compiled by jruntime, loaded by its init, enforced by the kernel. */
class SeccompIT {
    private final Jr jr = new Jr();

    @AfterEach
    void cleanup() {
        jr.close();
    }

    private static ObjectNode seccomp(ObjectNode c, String defaultAction) {
        ObjectNode s = ((ObjectNode) c.get("linux")).putObject("seccomp");
        s.put("defaultAction", defaultAction);
        s.putArray("architectures").add("SCMP_ARCH_X86_64").add("SCMP_ARCH_X86").add("SCMP_ARCH_X32");
        s.putArray("syscalls");
        return s;
    }

    private static ObjectNode rule(ObjectNode s, String action, String... names) {
        ObjectNode r = ((ArrayNode) s.get("syscalls")).addObject();
        ArrayNode n = r.putArray("names");
        for (String name : names) n.add(name);
        r.put("action", action);
        return r;
    }

    @ParameterizedTest(name = "noNewPrivileges={0}")
    @CsvSource({"true", "false"})
    void errnoActionsAndTheDefault(boolean nnp) {
        ObjectNode c = Jr.config("sh", "-c", "mkdir /tmp/x; echo mkdir=$?; touch /tmp/f && echo touch-ok; ln -s a /tmp/l; echo ln=$?");
        ((ObjectNode) c.get("process")).put("noNewPrivileges", nnp);
        ObjectNode s = seccomp(c, "SCMP_ACT_ALLOW");
        rule(s, "SCMP_ACT_ERRNO", "mkdir", "mkdirat");
        rule(s, "SCMP_ACT_ERRNO", "symlink", "symlinkat").put("errnoRet", 28);
        Jr.Result r = jr.run(c);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("mkdir=1") && r.out().contains("touch-ok") && r.out().contains("ln=1"), r.out());
        assertTrue(r.err().contains("Operation not permitted"), "EPERM by default: " + r.err());
        assertTrue(r.err().contains("No space left on device"), "errnoRet 28 (ENOSPC): " + r.err());
    }

    @Test
    void killProcessEndsTheContainerWithSigsys() {
        ObjectNode c = Jr.config("sh", "-c", "echo before; exec mkdir /tmp/x");
        rule(seccomp(c, "SCMP_ACT_ALLOW"), "SCMP_ACT_KILL_PROCESS", "mkdir", "mkdirat");
        Jr.Result r = jr.run(c);
        assertEquals(128 + 31, r.exit(), r.err());
        assertEquals("before\n", r.out());
    }

    @Test
    void argumentFiltersAndLog() {
        // personality(0) and personality(0xffffffff) (query) allowed, anything else denied;
        // busybox has no personality applet, so use kill's signal argument instead:
        // kill(pid, 0) allowed, kill(pid, SIGUSR1) denied with EPERM
        ObjectNode c = Jr.config("sh", "-c", "kill -0 $$ && echo probe-ok; kill -USR1 $$; echo usr1=$?; uname -s");
        ObjectNode s = seccomp(c, "SCMP_ACT_ALLOW");
        ObjectNode r = rule(s, "SCMP_ACT_ERRNO", "kill");
        r.putArray("args").addObject().put("index", 1).put("value", 0).put("op", "SCMP_CMP_NE");
        rule(s, "SCMP_ACT_LOG", "uname");
        Jr.Result res = jr.run(c);
        assertEquals(0, res.exit(), res.err());
        assertTrue(res.out().contains("probe-ok") && res.out().contains("usr1=1") && res.out().contains("Linux"), res.out());
    }

    @Test
    void maskedEqualityDeniesOnlyTheMaskedBits() {
        // (flags & O_ACCMODE) == O_WRONLY: `>` (O_WRONLY|O_CREAT|O_TRUNC) is denied, `<>`
        // (O_RDWR|O_CREAT, the same O_CREAT bit) and reading are not. noNewPrivileges: the filter
        // comes right before exec (without it, it would also deny the init's O_WRONLY open of
        // exec.fifo, as with runc).
        ObjectNode c = Jr.config("sh", "-c", "echo a 1<> /tmp/f && echo rdwr-ok; echo b > /tmp/g; echo wronly=$?; cat /tmp/f");
        ((ObjectNode) c.get("process")).put("noNewPrivileges", true);
        ObjectNode s = seccomp(c, "SCMP_ACT_ALLOW");
        rule(s, "SCMP_ACT_ERRNO", "openat").putArray("args").addObject()
                .put("index", 2).put("value", 3).put("valueTwo", 1).put("op", "SCMP_CMP_MASKED_EQ");
        rule(s, "SCMP_ACT_ERRNO", "open").putArray("args").addObject()
                .put("index", 1).put("value", 3).put("valueTwo", 1).put("op", "SCMP_CMP_MASKED_EQ");
        Jr.Result r = jr.run(c);
        assertEquals(0, r.exit(), r.err());
        assertEquals("rdwr-ok\nwronly=1\na\n", r.out());
        assertTrue(r.err().contains("can't create /tmp/g: Operation not permitted"), r.err());
    }

    @Test
    void getcwdFailsWithTheChosenErrno() {
        ObjectNode c = Jr.config("pwd");
        rule(seccomp(c, "SCMP_ACT_ALLOW"), "SCMP_ACT_ERRNO", "getcwd").put("errnoRet", 5); // EIO
        Jr.Result r = jr.run(c);
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("getcwd: Input/output error"), r.err());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"podman-default.json", "docker-default.json"})
    void realClientProfilesLoadAndAShellWorks(String profile) throws Exception {
        JsonNode s;
        try (InputStream in = SeccompIT.class.getResourceAsStream("/seccomp/" + profile)) {
            s = Jr.JSON.readTree(in);
        }
        ObjectNode c = Jr.config("sh", "-c", "echo works; ls / | wc -l; mkdir /tmp/d && echo mkdir-ok");
        ((ObjectNode) c.get("linux")).set("seccomp", s);
        Jr.Result r = jr.run(c);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("works\n") && r.out().contains("mkdir-ok"), r.out());
    }

    /** A config whose process is {@code script}, without a pid namespace: $$ is the pid the runtime sees. */
    private static ObjectNode notifyConfig(Path sock, String script) {
        ObjectNode c = Jr.config("sh", "-c", script);
        ArrayNode ns = (ArrayNode) c.get("linux").get("namespaces");
        for (int i = ns.size() - 1; i >= 0; i--) if ("pid".equals(ns.get(i).get("type").asText())) ns.remove(i);
        c.putObject("annotations").put("org.example.seccomp", "agent-test");
        ObjectNode s = seccomp(c, "SCMP_ACT_ALLOW");
        s.put("listenerPath", sock.toString());
        s.put("listenerMetadata", "MKNOD=/dev/null;answer=EACCES");
        rule(s, "SCMP_ACT_NOTIFY", "mkdir", "mkdirat", "getppid");
        return c;
    }

    @ParameterizedTest(name = "noNewPrivileges={0}")
    @CsvSource({"true", "false"})
    void notifyHandsTheListenerFdAndStateToAnAgentWhoseAnswersTheContainerSees(boolean nnp) throws Exception {
        Path sock = jr.work.resolve("agent.sock");
        ObjectNode c = notifyConfig(sock, "echo pid=$$ ppid=$PPID; mkdir /tmp/x; echo mkdir=$?");
        ((ObjectNode) c.get("process")).put("noNewPrivileges", nnp);
        Path bundle = jr.bundle(c);
        String id = jr.newId();
        try (Agent agent = Agent.start(sock)) {
            Jr.Result r = jr.jr("run", "--bundle", bundle.toString(), id);
            assertEquals(0, r.exit(), r.err());
            List<String> lines = agent.finish();

            // what the container saw: the agent's answers
            long pid = shellPid(r);
            assertTrue(r.out().contains("ppid=42"), "getppid answered with val 42: " + r.out());
            assertTrue(r.out().contains("mkdir=1"), r.out());
            assertTrue(r.err().contains("Permission denied"), "mkdir answered with -EACCES: " + r.err());

            // what the agent received: one fd and runc's container process state
            JsonNode m = receivedState(lines);
            assertEquals(List.of("ociVersion", "fds", "pid", "metadata", "state"), fieldNames(m), m.toString());
            assertEquals("1.3.0", m.get("ociVersion").asText(), m.toString());
            assertEquals("[\"seccompFd\"]", m.get("fds").toString(), m.toString());
            assertEquals(pid, m.get("pid").asLong(), m.toString());
            assertEquals("MKNOD=/dev/null;answer=EACCES", m.get("metadata").asText(), m.toString());
            JsonNode st = m.get("state");
            assertEquals(List.of("ociVersion", "id", "status", "pid", "bundle", "annotations"), fieldNames(st), m.toString());
            assertEquals("1.3.0", st.get("ociVersion").asText(), m.toString());
            assertEquals(id, st.get("id").asText(), m.toString());
            assertEquals("creating", st.get("status").asText(), m.toString());
            assertEquals(pid, st.get("pid").asLong(), m.toString());
            assertEquals(bundle.toString(), st.get("bundle").asText(), m.toString());
            assertEquals("agent-test", st.get("annotations").get("org.example.seccomp").asText(), m.toString());
            assertTrue(lines.stream().filter(l -> l.startsWith("notif nr=")).count() >= 2, lines.toString());
        }
    }

    @Test
    void execSendsItsOwnNotifyFdAndState() throws Exception {
        Path sock = jr.work.resolve("agent.sock");
        Path bundle = jr.bundle(notifyConfig(sock, "exec sleep 60"));
        String id = jr.newId();
        try (Agent ofInit = Agent.start(sock)) {
            jr.jr("create", "--bundle", bundle.toString(), id).ok();
            long initPid = jr.state(id).get("pid").asLong();
            jr.jr("start", id).ok();
            try (Agent ofExec = Agent.start(sock)) {
                Jr.Result r = jr.jr("exec", id, "sh", "-c", "echo pid=$$ ppid=$PPID; mkdir /tmp/y; echo mkdir=$?");
                assertEquals(0, r.exit(), r.err());
                List<String> lines = ofExec.finish();
                assertTrue(r.out().contains("ppid=42") && r.out().contains("mkdir=1"), r.out());
                assertTrue(r.err().contains("Permission denied"), r.err());
                // runc's message for exec: the exec'd process, the container running
                JsonNode m = receivedState(lines);
                assertEquals(shellPid(r), m.get("pid").asLong(), m.toString());
                assertEquals("MKNOD=/dev/null;answer=EACCES", m.get("metadata").asText(), m.toString());
                assertEquals("running", m.get("state").get("status").asText(), m.toString());
                assertEquals(initPid, m.get("state").get("pid").asLong(), m.toString());
                assertEquals(id, m.get("state").get("id").asText(), m.toString());
            }
            jr.jr("kill", id, "KILL").ok();
            ofInit.finish(); // its filter has no users left
        }
    }

    @Test
    void listenerPathIsIgnoredWithoutNotify() {
        ObjectNode c = Jr.config("sh", "-c", "mkdir /tmp/x; echo mkdir=$?");
        ObjectNode s = seccomp(c, "SCMP_ACT_ALLOW");
        s.put("listenerPath", jr.work.resolve("nobody-listens.sock").toString());
        rule(s, "SCMP_ACT_ERRNO", "mkdir", "mkdirat");
        Jr.Result r = jr.run(c);
        assertEquals(0, r.exit(), r.err());
        assertEquals("mkdir=1\n", r.out());
    }

    private static long shellPid(Jr.Result r) {
        String line = r.out().lines().filter(l -> l.startsWith("pid=")).findFirst()
                .orElseThrow(() -> new AssertionError(r.out()));
        return Long.parseLong(line.substring(4, line.indexOf(' ')));
    }

    private static JsonNode receivedState(List<String> agentLines) throws java.io.IOException {
        assertTrue(agentLines.contains("fds 1"), "one fd in SCM_RIGHTS: " + agentLines);
        String json = agentLines.stream().filter(l -> l.startsWith("state ")).findFirst()
                .orElseThrow(() -> new AssertionError(agentLines.toString())).substring(6);
        return Jr.JSON.readTree(json);
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The test's seccomp agent process (src/test/c/seccomp-agent.c); close() kills it if it still runs. */
    private record Agent(Process process, BufferedReader out) implements AutoCloseable {
        /** Starts an agent listening on {@code sock} and waits until it listens. */
        static Agent start(Path sock) throws java.io.IOException {
            Process p = new ProcessBuilder(binary().toString(), sock.toString()).redirectErrorStream(true).start();
            Agent a = new Agent(p, new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
            try {
                assertEquals("ready", a.out.readLine(), "agent did not start");
            } catch (RuntimeException | Error e) {
                a.close();
                throw e;
            }
            return a;
        }

        /** Waits for the agent to exit (its filter has no users left) and returns what it printed. */
        List<String> finish() throws InterruptedException {
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "agent still waiting 30 s later");
            List<String> lines = out.lines().toList();
            assertEquals(0, process.exitValue(), "agent: " + lines);
            return lines;
        }

        @Override
        public void close() throws java.io.IOException {
            if (process.isAlive()) {
                process.destroyForcibly();
                try {
                    process.waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            out.close();
        }

        /** Built with gcc into target/ once (again when the source is newer). */
        private static synchronized Path binary() throws java.io.IOException {
            Path src = Path.of("src/test/c/seccomp-agent.c").toAbsolutePath();
            Path bin = Jr.binary().getParent().getParent().getParent().resolve("seccomp-agent");
            if (!Files.isExecutable(bin) || Files.getLastModifiedTime(bin).compareTo(Files.getLastModifiedTime(src)) < 0) {
                Jr.Result r = Jr.exec(List.of("gcc", "-O2", "-Wall", "-Werror", "-o", bin.toString(), src.toString()), null, 120);
                if (r.exit() != 0) fail("gcc seccomp-agent.c: " + r.err());
            }
            return bin;
        }
    }
}

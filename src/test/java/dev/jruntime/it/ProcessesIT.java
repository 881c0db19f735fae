package dev.jruntime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The reaping init, exec into running containers, and terminals over a console socket. */
class ProcessesIT {
    private final Jr jr = new Jr();

    @AfterEach
    void cleanup() {
        jr.close();
    }

    private String start(ObjectNode c, String... extra) {
        String id = jr.newId();
        String[] args = new String[4 + extra.length];
        args[0] = "run";
        args[1] = "--detach";
        System.arraycopy(extra, 0, args, 2, extra.length);
        args[2 + extra.length] = "--bundle";
        args[3 + extra.length] = jr.bundle(c).toString();
        String[] withId = java.util.Arrays.copyOf(args, args.length + 1);
        withId[args.length] = id;
        jr.jr(withId).ok();
        return id;
    }

    private void waitStopped(String id) throws InterruptedException {
        for (int i = 0; i < 100 && !"stopped".equals(jr.state(id).get("status").asText()); i++) Thread.sleep(20);
    }

    @Test
    void termStopsAShellOnlyUnderTheReapingInit() throws Exception {
        ObjectNode c = Jr.config("sh", "-c", "sleep 100");
        String plain = start(c);
        String withInit = start(c, "--init");
        Thread.sleep(300);
        jr.jr("kill", plain, "TERM").ok();
        jr.jr("kill", withInit, "TERM").ok();
        waitStopped(withInit);
        assertEquals("stopped", jr.state(withInit).get("status").asText(), "the init forwards TERM to the shell");
        assertEquals("running", jr.state(plain).get("status").asText(), "a shell as PID 1 ignores TERM");
    }

    @Test
    void theInitReapsOrphansAndPassesOnTheStatus() {
        ObjectNode c = Jr.config("sh", "-c", "for i in 1 2 3 4 5 6 7 8; do (sleep 0.1 &); done; sleep 1; "
                + "grep -l 'State:.Z' /proc/[0-9]*/status 2>/dev/null | wc -l; exit 7");
        c.putObject("annotations").put("dev.jruntime.init", "true");
        Jr.Result r = jr.run(c);
        assertEquals(7, r.exit(), r.err());
        assertEquals("0", r.out().trim(), "orphans were reaped: no zombies");
        ObjectNode killed = Jr.config("sh", "-c", "kill -9 $$");
        Jr.Result k = jr.jr("run", "--init", "--bundle", jr.bundle(killed).toString(), jr.newId());
        assertEquals(137, k.exit(), "128+SIGKILL through the init: " + k.err());
    }

    @Test
    void execJoinsTheContainersNamespacesAndCgroups() throws Exception {
        ObjectNode c = Jr.config("sleep", "300");
        c.put("hostname", "exec-host");
        ((ObjectNode) c.get("linux")).putObject("resources").putObject("pids").put("limit", 50);
        String id = start(c);
        long init = jr.state(id).get("pid").asLong();
        Jr.Result r = jr.jr("exec", "--env", "FOO=bar", "--cwd", "/tmp", "--user", "1000:1000", id,
                "sh", "-c", "hostname; echo $FOO; pwd; id -u; cat /proc/1/cmdline | tr '\\0' ' '; echo; exit 7");
        assertEquals(7, r.exit(), r.err());
        assertEquals("exec-host\nbar\n/tmp\n1000\nsleep 300 \n", r.out());

        Path pidFile = jr.work.resolve("exec.pid");
        jr.jr("exec", "--detach", "--pid-file", pidFile.toString(), id, "sleep", "100").ok();
        String pid = Files.readString(pidFile);
        assertTrue(pid.matches("\\d+"), "pid file without newline: [" + pid + "]");
        String initCg = Files.readString(Path.of("/proc", Long.toString(init), "cgroup"));
        assertEquals(initCg, Files.readString(Path.of("/proc", pid, "cgroup")), "same cgroups as the init");
        assertEquals(Files.readSymbolicLink(Path.of("/proc", Long.toString(init), "ns/pid")),
                Files.readSymbolicLink(Path.of("/proc", pid, "ns/pid")));

        Jr.Result missing = jr.jr("exec", id, "no-such-command");
        assertEquals(1, missing.exit());
        assertTrue(missing.err().contains("executable file not found in $PATH"), missing.err());
        jr.jr("kill", id, "KILL").ok();
        waitStopped(id);
        Jr.Result stopped = jr.jr("exec", id, "true");
        assertEquals(1, stopped.exit());
        assertTrue(stopped.err().contains("stopped"), stopped.err());
        assertTrue(jr.jr("exec", "nope-" + System.nanoTime(), "true").err().contains("does not exist"));
    }

    @Test
    void execWithAProcessFile() throws Exception {
        String id = start(Jr.config("sleep", "300"));
        ObjectNode p = Jr.JSON.createObjectNode();
        p.putArray("args").add("sh").add("-c").add("echo $X; exit 4");
        p.putArray("env").add("X=from-file").add("PATH=/bin");
        p.put("cwd", "/");
        Path f = jr.work.resolve("process.json");
        Files.writeString(f, p.toString());
        Jr.Result r = jr.jr("exec", "--process", f.toString(), id);
        assertEquals(4, r.exit(), r.err());
        assertEquals("from-file\n", r.out());
    }

    /**
     * A console-socket receiver: python3 receives the pty master with SCM_RIGHTS and drives it,
     * typing argv[2] (default: tty; stty size) and a marker, then exit.
     */
    private static final String RECEIVER = String.join("\n",
            "import socket, sys, os, time",
            "srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)",
            "srv.bind(sys.argv[1]); srv.listen(1)",
            "print('ready', flush=True)",
            "conn, _ = srv.accept()",
            "msg, fds, _, _ = socket.recv_fds(conn, 1024, 1)",
            "m = fds[0]",
            "cmd = sys.argv[2] if len(sys.argv) > 2 else 'tty; stty size'",
            "os.write(m, cmd.encode() + b'; echo ok-$((40+2))\\n')",
            "out = b''",
            "end = time.time() + 10",
            "while b'ok-42' not in out and time.time() < end:",
            "    try: out += os.read(m, 4096)",
            "    except OSError: break",
            "sys.stdout.write(out.decode(errors='replace'))",
            "os.write(m, b'exit\\n')",
            "time.sleep(0.2)");

    @Test
    void terminalOverAConsoleSocket() throws Exception {
        Path script = jr.work.resolve("recv.py");
        Files.writeString(script, RECEIVER);
        Path sock = jr.work.resolve("console.sock");
        Process receiver = new ProcessBuilder("python3", script.toString(), sock.toString())
                .redirectErrorStream(true).start();
        try {
            receiver.getInputStream().read(new byte[6]); // "ready\n"
            ObjectNode c = Jr.config("sh");
            ((ObjectNode) c.get("process")).put("terminal", true);
            ((ObjectNode) c.get("process")).putObject("consoleSize").put("height", 33).put("width", 77);
            String id = jr.newId();
            jr.jr("run", "--detach", "--console-socket", sock.toString(), "--bundle", jr.bundle(c).toString(), id).ok();
            String out = new String(receiver.getInputStream().readAllBytes());
            receiver.waitFor();
            assertTrue(out.contains("/dev/pts/0"), out);
            assertTrue(out.contains("33 77"), out);
            assertTrue(out.contains("ok-42"), out);
        } finally {
            receiver.destroyForcibly();
        }
    }

    /** A console-socket receiver that only holds the pty master it gets, until it is killed. */
    private static final String HOLDER = String.join("\n",
            "import socket, sys",
            "srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)",
            "srv.bind(sys.argv[1]); srv.listen(1)",
            "print('ready', flush=True)",
            "conn, _ = srv.accept()",
            "msg, fds, _, _ = socket.recv_fds(conn, 1024, 1)",
            "sys.stdin.read()");

    private Process receiver(String script, Path sock, String... args) throws Exception {
        Path file = jr.work.resolve("recv-" + sock.getFileName() + ".py");
        Files.writeString(file, script);
        List<String> cmd = new ArrayList<>(List.of("python3", file.toString(), sock.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().read(new byte[6]); // "ready\n"
        return p;
    }

    @Test
    void execTtyOverAConsoleSocketGetsItsOwnPty() throws Exception {
        Path initSock = jr.work.resolve("init.sock");
        Path execSock = jr.work.resolve("exec.sock");
        Process holder = receiver(HOLDER, initSock);
        Process recv = null;
        try {
            ObjectNode c = Jr.config("sleep", "300");
            ((ObjectNode) c.get("process")).put("terminal", true);
            String id = jr.newId();
            jr.jr("run", "--detach", "--console-socket", initSock.toString(), "--bundle", jr.bundle(c).toString(), id).ok();

            recv = receiver(RECEIVER, execSock, "tty; stty size; readlink /proc/1/fd/0");
            ObjectNode p = Jr.JSON.createObjectNode();
            p.put("terminal", true);
            p.putObject("consoleSize").put("height", 21).put("width", 61);
            p.putArray("args").add("sh");
            p.putArray("env").add("PATH=/bin");
            p.put("cwd", "/");
            Path f = jr.work.resolve("process.json");
            Files.writeString(f, p.toString());
            Jr.Result r = jr.jr("exec", "--process", f.toString(), "--console-socket", execSock.toString(), id);
            String out = new String(recv.getInputStream().readAllBytes());
            assertEquals(0, r.exit(), r.err());
            assertTrue(out.contains("ok-42"), out);
            assertTrue(out.contains("/dev/pts/1"), "the exec'd shell has a pty of its own: " + out);
            assertTrue(out.contains("21 61"), "the size from the process's consoleSize: " + out);
            assertTrue(out.contains("/dev/pts/0"), "the container's own process keeps its pty: " + out);
        } finally {
            holder.destroyForcibly();
            if (recv != null) recv.destroyForcibly();
        }
    }
}

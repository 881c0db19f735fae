package dev.jruntime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * jruntime relaying a terminal itself (`run` / `exec -t` without --console-socket), driven
 * through tmux as a person at a terminal would: type, read the screen, resize the window.
 * Every tmux server runs on a private socket and is killed through it, also on failure.
 */
class TerminalIT {
    private final Jr jr = new Jr();
    private final List<Tmux> servers = new ArrayList<>();

    @AfterEach
    void cleanup() {
        for (Tmux t : servers) t.kill();
        jr.close();
    }

    /** A tmux server of our own whose one pane runs {@code script} (sh). */
    private final class Tmux {
        final Path socket = Path.of("/tmp", "jrtmux-" + UUID.randomUUID().toString().substring(0, 8));

        Tmux(int cols, int rows, Path script) {
            servers.add(this);
            tmux("new-session", "-d", "-x", Integer.toString(cols), "-y", Integer.toString(rows), "sh " + script).ok();
        }

        Jr.Result tmux(String... args) {
            List<String> cmd = new ArrayList<>(List.of("env", "-u", "TMUX", "TERM=xterm", "SHELL=/bin/sh",
                    "tmux", "-f", "/dev/null", "-S", socket.toString()));
            cmd.addAll(List.of(args));
            return Jr.exec(cmd, null, 20);
        }

        void type(String line) {
            tmux("send-keys", "-l", line).ok();
            tmux("send-keys", "Enter").ok();
        }

        String screen() {
            return tmux("capture-pane", "-p").out();
        }

        /** Polls the screen until {@code done} holds; fails with the screen after 30 s. */
        String await(String what, Predicate<String> done) throws InterruptedException {
            String s = "";
            for (long end = System.nanoTime() + 30_000_000_000L; System.nanoTime() < end; Thread.sleep(100)) {
                s = screen();
                if (done.test(s)) return s;
            }
            fail("timed out waiting for " + what + "; screen:\n" + s);
            return s;
        }

        /** The pane's terminal, as a path in /dev/pts. */
        String paneTty() {
            return tmux("display-message", "-p", "#{pane_tty}").ok().out().trim();
        }

        void kill() {
            tmux("kill-server"); // fails harmlessly when the server has exited with its pane
            try {
                Files.deleteIfExists(socket);
            } catch (java.io.IOException ignored) {
                // best effort
            }
        }
    }

    /**
     * The pane's script: saves the terminal's settings, runs jruntime with these arguments,
     * then writes the settings it left behind and its exit status.
     */
    private Path paneScript(String... jruntimeArgs) throws Exception {
        StringBuilder cmd = new StringBuilder(Jr.binary().toString()).append(" --root ").append(jr.root);
        for (String a : jruntimeArgs) cmd.append(' ').append(a);
        Path script = jr.work.resolve("pane.sh");
        Files.writeString(script, String.join("\n",
                "cd " + jr.work,
                "stty -g > stty.before",
                cmd + " 2> jruntime.err",
                "rc=$?",
                "stty -g > stty.after",
                "echo $rc > rc.tmp && mv rc.tmp rc", // rc last, atomically: then everything is there
                ""));
        return script;
    }

    private String awaitFile(String name) throws InterruptedException {
        Path f = jr.work.resolve(name);
        for (int i = 0; i < 300 && !Files.exists(f); i++) Thread.sleep(100);
        assertTrue(Files.exists(f), name + " never written; jruntime stderr: " + errors());
        return Jr.read(f).trim();
    }

    private String errors() {
        Path f = jr.work.resolve("jruntime.err");
        return Files.exists(f) ? Jr.read(f) : "(none)";
    }

    /** Types into a busybox shell on a relayed terminal, resizes the window, exits with {@code code}. */
    private void driveShell(Tmux t, int code) throws Exception {
        t.await("the shell's prompt", s -> s.contains("/ #"));
        String stty = Jr.exec(List.of("stty", "-a", "-F", t.paneTty()), null, 10).ok().out();
        assertTrue(stty.contains("-icanon") && stty.contains("-echo "), "jruntime's terminal is raw meanwhile: " + stty);
        t.type("tty; stty size; echo o''k");
        String s = t.await("the first answers", x -> x.contains("\nok"));
        assertTrue(s.contains("/dev/pts/0"), s);
        assertTrue(s.contains("30 100"), s);
        t.tmux("resize-window", "-x", "120", "-y", "40").ok();
        // the new size travels tmux → SIGWINCH → the JVM's handler thread → TIOCSWINSZ: ask until it is there
        String size = "";
        for (int i = 0; i < 50 && !size.equals("40 120"); i++) {
            if (i > 0) Thread.sleep(200);
            Pattern answer = Pattern.compile("(?m)^try" + i + " (.*)$");
            t.type("echo try" + i + " $(stty size)");
            Matcher m = answer.matcher(t.await("answer " + i, x -> answer.matcher(x).find()));
            m.find();
            size = m.group(1).trim();
        }
        assertEquals("40 120", size, "the window's new size reached the pty");
        t.type("exit " + code);
        assertEquals(Integer.toString(code), awaitFile("rc"), "exit status; stderr: " + errors());
        assertEquals(Jr.read(jr.work.resolve("stty.before")), Jr.read(jr.work.resolve("stty.after")),
                "jruntime restored the terminal's settings");
    }

    private static ObjectNode terminalConfig(String... args) {
        ObjectNode c = Jr.config(args);
        ((ObjectNode) c.get("process")).put("terminal", true);
        return c;
    }

    @Test
    void runRelaysATerminal() throws Exception {
        String id = jr.newId();
        Tmux t = new Tmux(100, 30, paneScript("run", "--bundle", jr.bundle(terminalConfig("sh")).toString(), id));
        driveShell(t, 3);
        assertEquals("", errors());
        jr.assertNothingLeft();
    }

    @Test
    void execRelaysATerminal() throws Exception {
        String id = jr.newId();
        jr.jr("run", "--detach", "--bundle", jr.bundle(Jr.config("sleep", "300")).toString(), id).ok();
        Tmux t = new Tmux(100, 30, paneScript("exec", "-t", id, "sh"));
        driveShell(t, 4);
        assertEquals("", errors());
        assertEquals("running", jr.state(id).get("status").asText());
    }

    @Test
    void aSignalThatEndsJruntimeStillRestoresTheTerminal() throws Exception {
        String id = jr.newId();
        jr.jr("run", "--detach", "--bundle", jr.bundle(Jr.config("sleep", "300")).toString(), id).ok();
        Tmux t = new Tmux(100, 30, paneScript("exec", "-t", id, "sh"));
        t.await("the shell's prompt", s -> s.contains("/ #"));
        long panePid = Long.parseLong(t.tmux("display-message", "-p", "#{pane_pid}").ok().out().trim());
        // tmux's sh -c → sh pane.sh → jruntime (the launcher exec'd java)
        ProcessHandle jruntime = ProcessHandle.of(panePid).orElseThrow().descendants()
                .filter(p -> p.info().command().orElse("").endsWith("/java")).findFirst().orElseThrow();
        jruntime.destroy(); // SIGTERM: exec forwards nothing, the JVM shuts down
        assertEquals("143", awaitFile("rc"), "killed by SIGTERM; stderr: " + errors());
        assertEquals(Jr.read(jr.work.resolve("stty.before")), Jr.read(jr.work.resolve("stty.after")),
                "the shutdown hook restored the terminal's settings");
    }

    @Test
    void aRelayedTerminalWithoutATerminalOnStdin() {
        // stdin /dev/null, stdout a file (as in CI): the pty still works, output comes through
        Jr.Result r = jr.run(terminalConfig("sh", "-c", "tty; echo line; exit 6"));
        assertEquals(6, r.exit(), r.err());
        assertEquals("/dev/pts/0\r\nline\r\n", r.out());
        jr.assertNothingLeft();
    }

    @Test
    void detachedWithATerminalNeedsAConsoleSocket() {
        Jr.Result r = jr.jr("run", "--detach", "--bundle", jr.bundle(terminalConfig("sh")).toString(), jr.newId());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("cannot allocate tty if jruntime will detach without setting console socket"), r.err());
        Jr.Result c = jr.jr("create", "--bundle", jr.bundle(terminalConfig("sh")).toString(), jr.newId());
        assertEquals(1, c.exit());
        assertTrue(c.err().contains("cannot allocate tty"), c.err());
        jr.assertNothingLeft();

        String id = jr.newId();
        jr.jr("run", "--detach", "--bundle", jr.bundle(Jr.config("sleep", "300")).toString(), id).ok();
        Jr.Result e = jr.jr("exec", "--tty", "--detach", id, "sh");
        assertEquals(1, e.exit());
        assertTrue(e.err().contains("cannot allocate tty"), e.err());
        assertFalse(e.err().contains("relay"), e.err());
    }
}

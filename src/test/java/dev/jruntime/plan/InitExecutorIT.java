package dev.jruntime.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jruntime.container.InitSession;
import dev.jruntime.container.InitSession.Message;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Drives the real jruntime-init through {@link InitSession} with hand-written plans and checks
 * what the kernel shows from inside. Needs root. Every mount happens in a child's private
 * mount namespace, so it vanishes with the child; every process started is killed by pid.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class InitExecutorIT {

    // kernel constants (x86_64 / generic)
    static final int CLONE_NEWNS = 0x20000, CLONE_NEWUTS = 0x4000000, CLONE_NEWIPC = 0x8000000,
            CLONE_NEWPID = 0x20000000;
    static final int MS_BIND = 4096, MS_REC = 16384, MS_SLAVE = 1 << 19, MS_NOSUID = 2, MS_NODEV = 4;
    static final int O_DIRECTORY = 0200000, O_PATH = 010000000;
    static final int RLIMIT_NOFILE = 7;
    static final int S_IFCHR = 0020000;
    static final int ENODEV = 19, ETIMEDOUT = 110, ENOENT = 2;

    static Path init;
    static Path rootfs;
    static Path rootfsParent;

    Path tmp;
    final List<Long> pids = new ArrayList<>();
    final List<Process> processes = new ArrayList<>();

    @BeforeAll
    static void buildRootfs() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
        init = Path.of(System.getProperty("jruntime.dist", "target/jruntime"), "libexec", "jruntime-init");
        assertTrue(Files.isExecutable(init), init + " not built");
        rootfsParent = Files.createTempDirectory(Path.of("/tmp"), "jr-init-it");
        rootfs = rootfsParent.resolve("rootfs");
        Path script = Path.of(System.getProperty("jruntime.bundles", "bundles"), "make-busybox-rootfs");
        Process p = new ProcessBuilder(script.toString(), rootfs.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "make-busybox-rootfs: " + log);
    }

    @AfterAll
    static void removeRootfs() throws IOException {
        if (rootfsParent != null) deleteTree(rootfsParent);
    }

    @BeforeEach
    void makeTmp() throws IOException {
        tmp = Files.createTempDirectory(Path.of("/tmp"), "jr-it");
    }

    @AfterEach
    void cleanUp() throws IOException {
        for (long pid : pids) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        for (Process p : processes) p.destroyForcibly();
        deleteTree(tmp);
    }

    // ---------------------------------------------------------------------------------------

    /** Container-like plan: namespaces, mounts, pivot_root, masking, limits, credentials. */
    @Test
    void containerInitSeesItsNamespacesMountsAndCredentials() throws Exception {
        Files.writeString(rootfs.resolve("home/secret"), "x");
        Path held = Files.writeString(tmp.resolve("held"), "held");
        Process holder = holdFd5(held);

        long keepBounding = (1L << 0) | (1L << 5) | (1L << 10); // CHOWN, KILL, NET_BIND_SERVICE
        long caps = (1L << 0) | (1L << 10);
        String script = """
                echo host=$(hostname)
                grep -E '^(Cap|Uid|Gid|Groups)' /proc/self/status
                echo nofile=$(ulimit -n)
                echo pid=$$
                echo fds=$(ls /proc/self/fd | tr '\\n' ' ')
                echo home=$(ls -A /home | wc -l)
                echo version=$(cat /proc/version | wc -c)
                touch /home/x 2>/dev/null && echo home-writable || echo home-readonly
                echo x 2>/dev/null > /proc/sys/kernel/hostname && echo sys-writable || echo sys-readonly
                echo devnull=$(ls -l /dev/null | cut -c1)
                cat /proc/self/mountinfo
                """;
        Plan stage1 = new Plan()
                .add(Opcode.GRAB_FDS, "", holder.pid(), 5, 1)
                .add(Opcode.CLONE, "", CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWPID, 1);
        Plan child = new Plan()
                .add(Opcode.MOUNT, "", "", "/", "", MS_SLAVE | MS_REC, "", 0)
                .add(Opcode.MOUNT, "", rootfs.toString(), rootfs.toString(), "", MS_BIND | MS_REC, "", 0)
                .add(Opcode.SET_ROOT, "", rootfs.toString())
                .add(Opcode.MKDIR_IN_ROOT, "", "/proc", 0555)
                .add(Opcode.MOUNT, "", "proc", "/proc", "proc", MS_NOSUID | MS_NODEV, "", 1)
                .add(Opcode.MOUNT, "", "tmpfs", "/dev", "tmpfs", MS_NOSUID, "mode=755", 1)
                .add(Opcode.MKNOD_IN_ROOT, "", "/dev/null", S_IFCHR | 0666, (1 << 8) | 3, 0, 0)
                .add(Opcode.MKDIR_IN_ROOT, "", "/tmp/a/b", 01777)
                .add(Opcode.MOUNT, "", "tmpfs", "/tmp/a/b", "tmpfs", 0, "", 1)
                .add(Opcode.MOUNT_SETATTR, "", "/tmp/a/b", 1, 1 | 8 /* RDONLY|NOEXEC */, 0, 0, 0, "")
                .add(Opcode.PIVOT_ROOT, "", rootfs.toString())
                .add(Opcode.SETHOSTNAME, "", "jr-test")
                .add(Opcode.MASK_PATH, "", "/proc/version")
                .add(Opcode.MASK_PATH, "", "/home")
                .add(Opcode.MASK_PATH, "", "/does/not/exist")
                .add(Opcode.READONLY_PATH, "", "/proc/sys")
                .add(Opcode.READONLY_PATH, "", "/does/not/exist")
                .add(Opcode.SETRLIMIT, "", RLIMIT_NOFILE, 777, 777)
                .add(Opcode.CAP_BOUNDING, "", keepBounding)
                .add(Opcode.SET_USER, "", 1000, 1000, new long[] {1000, 2000}, 1)
                .add(Opcode.CAPSET, "", caps, caps, caps, caps)
                .add(Opcode.CLOEXEC_FROM, "", 3)
                .add(Opcode.CHECK_EXEC, "", "sh", "/bin")
                .add(Opcode.EXEC, "", "sh", List.of("sh", "-c", script), List.of("PATH=/bin"), "/bin");

        Result r = converse(List.of(stage1, child));
        String out = r.output;
        assertEquals(0, r.status, out + r.messages);
        assertTrue(out.contains("host=jr-test\n"), out);
        assertTrue(out.contains("pid=1\n"), out);
        assertTrue(out.contains("nofile=777\n"), out);
        assertTrue(out.contains("Uid:\t1000\t1000\t1000\t1000\n"), out);
        assertTrue(out.contains("Gid:\t1000\t1000\t1000\t1000\n"), out);
        assertTrue(out.contains("Groups:\t1000 2000"), out);
        assertTrue(out.contains("CapBnd:\t0000000000000421\n"), out);
        assertTrue(out.contains("CapEff:\t0000000000000401\n"), out);
        assertTrue(out.contains("CapPrm:\t0000000000000401\n"), out);
        assertTrue(out.contains("CapInh:\t0000000000000401\n"), out);
        assertTrue(out.contains("CapAmb:\t0000000000000401\n"), out);
        // fd 5 was grabbed (not CLOEXEC) and then marked CLOEXEC by CLOEXEC_FROM(3)
        assertTrue(out.contains("fds=0 1 2 3\n"), out);
        assertTrue(out.contains("home=0\n"), out);
        assertTrue(out.contains("version=0\n"), out);
        assertTrue(out.contains("home-readonly\n"), out);
        assertTrue(out.contains("sys-readonly\n"), out);
        assertTrue(out.contains("devnull=c\n"), out);
        List<String[]> mounts = mountinfo(out);
        assertTrue(mounts.stream().anyMatch(m -> m[4].equals("/") && m[0].length() > 0), out);
        assertTrue(mounts.stream().anyMatch(m -> m[4].equals("/proc") && m[8].equals("proc")), out);
        assertTrue(mounts.stream().anyMatch(m -> m[4].equals("/tmp/a/b") && m[8].equals("tmpfs")
                && m[5].startsWith("ro,") && m[5].contains("noexec")), out);
        assertTrue(mounts.stream().anyMatch(m -> m[4].equals("/proc/sys") && m[5].startsWith("ro")), out);
        assertTrue(mounts.stream().anyMatch(m -> m[4].equals("/home") && m[8].equals("tmpfs")
                && m[5].startsWith("ro")), out);
        // the old root is gone: nothing of the host's tree (e.g. our rootfs path) is visible
        assertFalse(mounts.stream().anyMatch(m -> m[4].startsWith("/tmp/jr-init-it")), out);
    }

    @Test
    void failedMountReportsOpIndexAndErrno() throws Exception {
        Plan stage1 = new Plan().add(Opcode.CLONE, "", CLONE_NEWNS, 1);
        Plan child = new Plan()
                .add(Opcode.MOUNT, "", "", "/", "", MS_SLAVE | MS_REC, "", 0)
                .add(Opcode.MOUNT, "", "none", tmp.toString(), "no-such-fs-type", 0, "", 0);
        Result r = converse(List.of(stage1, child));
        Message e = r.error();
        assertEquals(1, e.opIndex(), r.messages.toString());
        assertEquals(ENODEV, e.errno());
        assertTrue(e.detail().contains("no-such-fs-type") && e.detail().contains(tmp.toString()), e.detail());
        assertEquals(1, r.status);
    }

    @Test
    void badPlanIsAProtocolError() throws Exception {
        // SETHOSTNAME given an integer where the signature says string
        Plan bad = new Plan().add(new Op(Opcode.UMASK, List.of(18L), ""));
        byte[] enc = bad.encode();
        enc[8] = (byte) Opcode.SETHOSTNAME.number; // same arg count (1), wrong kind
        Result r = converseRaw(enc);
        assertEquals(0, r.error().opIndex());
        assertEquals(71 /* EPROTO */, r.error().errno());
        assertEquals(1, r.status);
        // ops after a CLONE would never run: refused before anything is done
        Result clone = converse(List.of(new Plan().add(Opcode.CLONE, "", 0, 0).add(Opcode.UMASK, "", 0)));
        assertEquals(0, clone.error().opIndex());
        assertEquals(22 /* EINVAL */, clone.error().errno());
        assertFalse(clone.messages.stream().anyMatch(m -> m.type() == 'p'), "nothing was cloned");
    }

    /** Symlinks in the rootfs that point at /etc must resolve inside the rootfs, never the host. */
    @Test
    void inRootOpsNeverFollowSymlinksOutOfTheRoot() throws Exception {
        String name = "jr-escape-" + UUID.randomUUID();
        Path abs = rootfs.resolve("evil-abs");
        Path rel = rootfs.resolve("evil-rel");
        Files.deleteIfExists(abs);
        Files.deleteIfExists(rel);
        Files.createSymbolicLink(abs, Path.of("/etc/"));
        Files.createSymbolicLink(rel, Path.of("../../../../../../etc"));
        Files.createDirectories(rootfs.resolve("etc/mnt-" + name));
        try {
            Plan stage1 = new Plan().add(Opcode.CLONE, "", CLONE_NEWNS, 1);
            Plan child = new Plan()
                    .add(Opcode.MOUNT, "", "", "/", "", MS_SLAVE | MS_REC, "", 0)
                    .add(Opcode.SET_ROOT, "", rootfs.toString())
                    .add(Opcode.MKDIR_IN_ROOT, "", "/evil-abs/" + name + "/sub", 0700)
                    .add(Opcode.MKFILE_IN_ROOT, "", "/evil-rel/" + name + "-file/f", 0640)
                    .add(Opcode.SYMLINK_IN_ROOT, "", "/bin/busybox", "/evil-abs/" + name + "-link")
                    .add(Opcode.MOUNT, "", "tmpfs", "/evil-rel/mnt-" + name, "tmpfs", 0, "", 1)
                    .add(Opcode.EXEC, "", "/bin/cat", List.of("cat", "/proc/self/mountinfo"), List.of(), "");
            Result r = converse(List.of(stage1, child));
            assertEquals(0, r.status, r.output + r.messages);
            assertFalse(Files.exists(Path.of("/etc", name)), "created on the host");
            assertFalse(Files.exists(Path.of("/etc", name + "-file")), "created on the host");
            assertFalse(Files.exists(Path.of("/etc", name + "-link"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
            assertTrue(Files.isDirectory(rootfs.resolve("etc/" + name + "/sub")));
            assertEquals("rwx------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(rootfs.resolve("etc/" + name + "/sub"))));
            assertTrue(Files.isRegularFile(rootfs.resolve("etc/" + name + "-file/f")));
            assertEquals("rw-r-----", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(rootfs.resolve("etc/" + name + "-file/f"))));
            assertEquals(Path.of("/bin/busybox"), Files.readSymbolicLink(rootfs.resolve("etc/" + name + "-link")));
            List<String[]> mounts = mountinfo(r.output);
            String inside = rootfs.resolve("etc/mnt-" + name).toString();
            assertTrue(mounts.stream().anyMatch(m -> m[4].equals(inside) && m[8].equals("tmpfs")), r.output);
            assertFalse(mounts.stream().anyMatch(m -> m[4].startsWith("/etc/")), r.output);
        } finally {
            Files.deleteIfExists(abs);
            Files.deleteIfExists(rel);
        }
    }

    /** SYNC waits for 'c', READY is announced, WAIT_FIFO returns only once the fifo is read. */
    @Test
    void syncReadyAndWaitFifo() throws Exception {
        Path fifo = tmp.resolve("exec.fifo");
        Path after = Files.writeString(tmp.resolve("after"), "");
        Plan plan = new Plan()
                .add(Opcode.MKFIFO, "", fifo.toString(), 0600)
                .add(Opcode.OPEN_FD, "", tmp.toString(), O_PATH | O_DIRECTORY, 100)
                .add(Opcode.SYNC, "", 7)
                .add(Opcode.READY, "")
                .add(Opcode.WAIT_FIFO, "", 100, "exec.fifo")
                .add(Opcode.WRITE_FILE, "", after.toString(), "done", 0)
                .add(Opcode.WRITE_FILE, "", tmp.resolve("absent").toString(), "x", 1);
        Path out = tmp.resolve("out");
        try (InitSession s = InitSession.start(init, ProcessBuilder.Redirect.appendTo(out.toFile()))) {
            processes.add(s.process());
            // CVE-2019-5736: the init runs from a sealed memfd copy, not from the file on disk
            String exe = Files.readSymbolicLink(Path.of("/proc", "" + s.process().pid(), "exe")).toString();
            s.sendPlan(plan);
            Message m = s.receive();
            assertEquals('s', m.type());
            assertEquals(7, m.value());
            assertTrue(exe.startsWith("/memfd:jruntime-init"), exe);
            assertEquals(0010600, (Integer) Files.getAttribute(fifo, "unix:mode"), "a fifo, mode 0600");
            Thread.sleep(200);
            assertTrue(s.process().isAlive(), "SYNC must wait for 'c'");
            s.sendContinue();
            assertEquals('r', s.receive().type());
            Thread.sleep(300);
            assertTrue(s.process().isAlive(), "WAIT_FIFO must block until the fifo is opened");
            assertEquals("", Files.readString(after));
            assertEquals("0", new String(Files.readAllBytes(fifo)));
            assertEquals(InitSession.EOF, s.receive());
            assertEquals(0, s.waitForStage1());
            assertEquals("done", Files.readString(after));
            assertFalse(Files.exists(tmp.resolve("absent")));
        }
    }

    @Test
    void hookGetsArgv0EnvAndStdin() throws Exception {
        Path file = tmp.resolve("hook-out");
        Plan plan = new Plan()
                .add(Opcode.HOOK, "", "/bin/sh",
                        List.of("my-hook", "-c", "echo \"$0 $FOO $(cat)\" > " + file), List.of("FOO=bar"), 0,
                        "{\"id\":\"c1\"}")
                .add(Opcode.HOOK, "", "/bin/sh", List.of("sh", "-c", "echo oops; exit 3"), List.of(), 5, "");
        Result r = converse(List.of(plan));
        assertEquals("my-hook bar {\"id\":\"c1\"}\n", Files.readString(file));
        assertEquals(1, r.error().opIndex());
        assertEquals(0, r.error().errno());
        assertEquals("exit status 3: oops\n", r.error().detail());
        assertEquals(1, r.status);
    }

    @Test
    void hookTimeoutKillsTheHook() throws Exception {
        Plan plan = new Plan()
                .add(Opcode.HOOK, "", "/bin/sh", List.of("sh", "-c", "echo $$ > " + tmp.resolve("pid") + "; exec sleep 60"),
                        List.of(), 1, "");
        long t0 = System.nanoTime();
        Result r = converse(List.of(plan));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(ETIMEDOUT, r.error().errno());
        assertEquals("timed out after 1 s", r.error().detail());
        assertTrue(ms < 10_000, "took " + ms + " ms");
        long hookPid = Long.parseLong(Files.readString(tmp.resolve("pid")).trim());
        pids.add(hookPid);
        assertFalse(ProcessHandle.of(hookPid).map(ProcessHandle::isAlive).orElse(false), "hook still alive");
    }

    /** REAPER: orphans are reaped, SIGTERM is forwarded, the child's status becomes ours. */
    @Test
    void reaperReapsOrphansAndForwardsSignals() throws Exception {
        String script = """
                trap 'echo got-term; exit 42' TERM
                sh -c 'sleep 0.2 & echo orphan=$!'
                echo ready
                while :; do sleep 0.1; done
                """;
        Plan stage1 = new Plan().add(Opcode.CLONE, "", CLONE_NEWPID | CLONE_NEWNS, 1);
        Plan child = new Plan()
                .add(Opcode.REAPER, "")
                .add(Opcode.EXEC, "", "/bin/sh", List.of("sh", "-c", script), List.of(), "");
        Path out = tmp.resolve("out");
        try (InitSession s = InitSession.start(init, ProcessBuilder.Redirect.appendTo(out.toFile()))) {
            processes.add(s.process());
            s.sendPlan(stage1);
            Message p = s.receive();
            assertEquals('p', p.type());
            long reaper = p.value();
            pids.add(reaper);
            s.sendPlan(child);
            assertEquals(InitSession.EOF, s.receive()); // exec closed the socket, reaper closed its copy
            long deadline = System.currentTimeMillis() + 10_000;
            while (!Files.readString(out).contains("ready") && System.currentTimeMillis() < deadline) Thread.sleep(20);
            assertTrue(Files.readString(out).contains("orphan="), Files.readString(out));
            Thread.sleep(800); // the orphan's sleep has exited by now
            assertEquals(List.of(), zombieChildrenOf(reaper), "the reaper left zombies");
            List<Long> kids = childrenOf(reaper);
            assertEquals(1, kids.size(), "the reaper's only child is the process: " + kids);
            ProcessHandle.of(reaper).orElseThrow().destroy(); // SIGTERM
            assertTrue(s.process().waitFor(10, TimeUnit.SECONDS));
            assertEquals(42, s.process().exitValue(), Files.readString(out));
            assertTrue(Files.readString(out).contains("got-term"), Files.readString(out));
        }
    }

    /** GRAB_FDS copies fds of another process to the same numbers, inheritable. */
    @Test
    void grabFdsCopiesAnotherProcessesFds() throws Exception {
        Path held = Files.writeString(tmp.resolve("held"), "content-of-fd-5");
        Process holder = holdFd5(held);
        Plan plan = new Plan()
                .add(Opcode.GRAB_FDS, "", holder.pid(), 5, 1)
                .add(Opcode.EXEC, "", "sh", List.of("sh", "-c", "cat /proc/self/fd/5; echo; grep SigIgn /proc/self/status"),
                        List.of(), "");
        Result r = converse(List.of(plan));
        assertEquals(0, r.status, r.messages.toString());
        // also: neither the SIGPIPE the init ignores for itself nor the signals 32 and 33 the
        // JVM ignores in the children it spawns are left ignored in the process
        assertEquals("content-of-fd-5\nSigIgn:\t0000000000000000\n", r.output);
    }

    @Test
    void execLookupErrors() throws Exception {
        Path notExec = Files.writeString(tmp.resolve("not-exec"), "#!/bin/sh\n");
        Result missing = converse(List.of(new Plan().add(Opcode.CHECK_EXEC, "", "no-such-cmd-jr", "/bin:/usr/bin")));
        assertEquals(ENOENT, missing.error().errno());
        assertTrue(missing.error().detail().contains("not found in $PATH"), missing.error().detail());
        Result perm = converse(List.of(new Plan().add(Opcode.CHECK_EXEC, "", notExec.toString(), "")));
        assertEquals(13 /* EACCES */, perm.error().errno(), perm.error().detail());
        Result dir = converse(List.of(new Plan().add(Opcode.CHECK_EXEC, "", "/tmp", "")));
        assertEquals(13, dir.error().errno());
        Result ok = converse(List.of(new Plan().add(Opcode.CHECK_EXEC, "", "sh", "")));
        assertEquals(0, ok.status, ok.messages.toString());
        // after READY nobody reads the frame: stderr and a shell's exit code
        Result late = converse(List.of(new Plan().add(Opcode.READY, "")
                .add(Opcode.EXEC, "", "no-such-cmd-jr", List.of("x"), List.of(), "")));
        assertEquals(127, late.status);
        assertTrue(late.output.contains("jruntime-init: exec \"no-such-cmd-jr\": executable file not found in $PATH"),
                late.output);
    }

    /** OPEN_PTY: the slave is stdio and controlling tty, the master goes over the console socket. */
    @Test
    void openPtySendsTheMasterAndMakesTheSlaveTheTerminal() throws Exception {
        String name = "pty-" + UUID.randomUUID();
        Path console = tmp.resolve("console.sock");
        String script = "echo tty=$(tty) size=$(stty size) console=$(stat -c %t:%T /dev/console)"
                + " pts=$(stat -c %t:%T $(tty)) sid=$(cut -d' ' -f6 /proc/self/stat) > /tmp/" + name;
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(console));
            Plan stage1 = new Plan().add(Opcode.CLONE, "", CLONE_NEWNS | CLONE_NEWPID, 1);
            Plan child = new Plan()
                    .add(Opcode.MOUNT, "", "", "/", "", MS_SLAVE | MS_REC, "", 0)
                    .add(Opcode.MOUNT, "", rootfs.toString(), rootfs.toString(), "", MS_BIND | MS_REC, "", 0)
                    .add(Opcode.SET_ROOT, "", rootfs.toString())
                    .add(Opcode.MOUNT, "", "proc", "/proc", "proc", 0, "", 1)
                    .add(Opcode.MOUNT, "", "tmpfs", "/dev", "tmpfs", 0, "mode=755", 1)
                    .add(Opcode.MKDIR_IN_ROOT, "", "/dev/pts", 0755)
                    .add(Opcode.MOUNT, "", "devpts", "/dev/pts", "devpts", 0, "newinstance,ptmxmode=0666", 1)
                    .add(Opcode.SYMLINK_IN_ROOT, "", "pts/ptmx", "/dev/ptmx")
                    .add(Opcode.MKFILE_IN_ROOT, "", "/dev/console", 0600)
                    .add(Opcode.CONNECT_UNIX, "", console.toString(), 100)
                    .add(Opcode.PIVOT_ROOT, "", rootfs.toString())
                    .add(Opcode.SETSID, "")
                    .add(Opcode.OPEN_PTY, "", 100, 33, 77)
                    .add(Opcode.EXEC, "", "/bin/sh", List.of("sh", "-c", script), List.of(), "");
            // the connection waits in the backlog, the master in flight: both keep the pty open
            Result r = converse(List.of(stage1, child));
            assertEquals(0, r.status, r.output + r.messages);
            try (SocketChannel ch = server.accept()) {
                ByteBuffer buf = ByteBuffer.allocate(64);
                while (ch.read(buf) > 0) { }
                assertEquals("/dev/pts/0", new String(buf.array(), 0, buf.position()));
            }
        }
        Path result = rootfs.resolve("tmp/" + name);
        try {
            assertEquals("tty=/dev/pts/0 size=33 77 console=88:0 pts=88:0 sid=1\n", Files.readString(result));
        } finally {
            Files.deleteIfExists(result);
        }
    }

    /** A BPF program that answers EPERM to mkdir/mkdirat, and NEW_LISTENER's fd + message. */
    @Test
    void seccompFilterIsLoadedAndListenerSent() throws Exception {
        ByteBuffer prog = ByteBuffer.allocate(5 * 8).order(ByteOrder.nativeOrder());
        insn(prog, 0x20, 0, 0, 0);           // ld [0]: syscall nr
        insn(prog, 0x15, 2, 0, 83);          // mkdir -> errno
        insn(prog, 0x15, 1, 0, 258);         // mkdirat -> errno
        insn(prog, 0x06, 0, 0, 0x7fff0000);  // allow
        insn(prog, 0x06, 0, 0, 0x00050001);  // errno EPERM
        Path listener = tmp.resolve("listener.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(listener));
            Plan plan = new Plan()
                    .add(Opcode.CONNECT_UNIX, "", listener.toString(), 101)
                    .add(Opcode.NO_NEW_PRIVS, "")
                    .add(Opcode.SECCOMP, "", prog.array(), 8 /* NEW_LISTENER */, 101, "state-of-c1")
                    .add(Opcode.EXEC, "", "/bin/sh", List.of("sh", "-c",
                            "mkdir " + tmp.resolve("denied") + " 2>&1; echo rc=$?; ls /proc/self/fd | tr '\\n' ' '"),
                            List.of(), "");
            Result r = converse(List.of(plan));
            assertEquals(0, r.status, r.output + r.messages);
            assertTrue(r.output.contains("Operation not permitted") && r.output.contains("rc=1"), r.output);
            // the fds are the last line; the temp dir's name in mkdir's message may contain "101"
            String fds = r.output.substring(r.output.lastIndexOf("rc=") + 4).trim();
            assertFalse(List.of(fds.split(" ")).contains("101"), "listener socket closed: " + fds);
            assertFalse(Files.exists(tmp.resolve("denied")));
            try (SocketChannel ch = server.accept()) {
                ByteBuffer buf = ByteBuffer.allocate(64);
                while (ch.read(buf) > 0) { }
                assertEquals("state-of-c1", new String(buf.array(), 0, buf.position()));
            }
        }
    }

    /** MOVE_ROOT (--no-pivot): the rootfs is moved onto / and chrooted into. */
    @Test
    void moveRootMakesTheRootfsTheRoot() throws Exception {
        Plan stage1 = new Plan().add(Opcode.CLONE, "", CLONE_NEWNS | CLONE_NEWPID, 1);
        Plan child = new Plan()
                .add(Opcode.MOUNT, "", "", "/", "", MS_SLAVE | MS_REC, "", 0)
                .add(Opcode.MOUNT, "", rootfs.toString(), rootfs.toString(), "", MS_BIND | MS_REC, "", 0)
                .add(Opcode.SET_ROOT, "", rootfs.toString())
                .add(Opcode.MOUNT, "", "proc", "/proc", "proc", 0, "", 1)
                .add(Opcode.MOVE_ROOT, "", rootfs.toString())
                .add(Opcode.EXEC, "", "/bin/sh", List.of("sh", "-c", "ls /; cat /proc/self/mountinfo"), List.of(), "");
        Result r = converse(List.of(stage1, child));
        assertEquals(0, r.status, r.output + r.messages);
        assertTrue(r.output.contains("busybox") || r.output.contains("bin\n"), r.output);
        assertTrue(mountinfo(r.output).stream().anyMatch(m -> m[4].equals("/proc") && m[8].equals("proc")), r.output);
    }

    /**
     * In a user namespace the kernel locks the flags of mounts inherited from the parent
     * (here a nosuid,nodev,noexec tmpfs): the read-only remount only works with them added back.
     */
    @Test
    void readonlyRemountInUserNamespaceKeepsLockedFlags() throws Exception {
        int cloneNewUser = 0x10000000;
        Path mnt = Files.createDirectory(tmp.resolve("locked"));
        Plan stage1 = new Plan()
                .add(Opcode.UNSHARE, "", CLONE_NEWNS)
                .add(Opcode.MOUNT, "", "", "/", "", MS_SLAVE | MS_REC, "", 0)
                .add(Opcode.MOUNT, "", "tmpfs", mnt.toString(), "tmpfs", MS_NOSUID | MS_NODEV | 8 /* NOEXEC */, "", 0)
                .add(Opcode.CLONE, "", cloneNewUser | CLONE_NEWNS, 1);
        Plan child = new Plan()
                .add(Opcode.SYNC, "", 1)
                .add(Opcode.READONLY_PATH, "", mnt.toString())
                .add(Opcode.EXEC, "", "/bin/cat", List.of("cat", "/proc/self/mountinfo"), List.of(), "");
        Path out = tmp.resolve("out");
        try (InitSession s = InitSession.start(init, ProcessBuilder.Redirect.appendTo(out.toFile()))) {
            processes.add(s.process());
            s.sendPlan(stage1);
            Message p = s.receive();
            assertEquals('p', p.type());
            pids.add(p.value());
            Files.writeString(Path.of("/proc", "" + p.value(), "uid_map"), "0 0 4294967295\n");
            Files.writeString(Path.of("/proc", "" + p.value(), "gid_map"), "0 0 4294967295\n");
            s.sendPlan(child);
            Message m = s.receive();
            assertEquals('s', m.type(), m.toString());
            s.sendContinue();
            Message end = s.receive();
            assertEquals(InitSession.EOF, end, end.toString());
            assertEquals(0, s.waitForStage1(), Files.readString(out));
        }
        String mi = Files.readString(out);
        assertTrue(mountinfo(mi).stream().anyMatch(m -> m[4].equals(mnt.toString()) && m[5].startsWith("ro,")
                && m[5].contains("nosuid,nodev,noexec")), mi);
    }

    /** SETNS into another process's UTS namespace, and the simple process attributes. */
    @Test
    void setnsAndProcessAttributes() throws Exception {
        Path out = tmp.resolve("holder-out");
        try (InitSession holder = InitSession.start(init, ProcessBuilder.Redirect.appendTo(out.toFile()))) {
            processes.add(holder.process());
            holder.sendPlan(new Plan().add(Opcode.CLONE, "", CLONE_NEWUTS, 1)); // stage 1 reaps it
            Message p = holder.receive();
            assertEquals('p', p.type());
            pids.add(p.value());
            holder.sendPlan(new Plan()
                    .add(Opcode.SETHOSTNAME, "", "jr-joined")
                    .add(Opcode.SETDOMAINNAME, "", "jr-domain")
                    .add(Opcode.EXEC, "", "/bin/sleep", List.of("sleep", "60"), List.of(), ""));
            assertEquals(InitSession.EOF, holder.receive());

            String script = "echo host=$(hostname) domain=$(cat /proc/sys/kernel/domainname) cwd=$(pwd)"
                    + " umask=$(umask) pers=$(cat /proc/self/personality)"
                    + " nice=$(cut -d' ' -f19 /proc/self/stat) io=$(" + rootfs + "/bin/busybox ionice -p $$)"
                    + " fds=$(ls /proc/self/fd | tr '\\n' ' ')";
            Plan plan = new Plan()
                    .add(Opcode.SETNS, "", "/proc/" + p.value() + "/ns/uts", CLONE_NEWUTS)
                    .add(Opcode.CHDIR, "", tmp.toString())
                    .add(Opcode.UMASK, "", 027)
                    .add(Opcode.PERSONALITY, "", 0x0040000 /* ADDR_NO_RANDOMIZE */)
                    .add(Opcode.IOPRIO, "", (2 << 13) | 5 /* best-effort, level 5 */)
                    .add(Opcode.SCHED, "", 0 /* SCHED_OTHER */, 7, 0, 0, 0, 0, 0)
                    .add(Opcode.SET_DUMPABLE, "", 1)
                    .add(Opcode.OPEN_FD, "", "/proc/self/status", 0, 9)
                    .add(Opcode.GRAB_FDS, "", ProcessHandle.current().pid(), 0, 0)
                    .add(Opcode.CLOSE_FD, "", 9)
                    .add(Opcode.EXEC, "", "/bin/sh", List.of("sh", "-c", script), List.of(), "");
            Result r = converse(List.of(plan));
            assertEquals(0, r.status, r.output + r.messages);
            assertEquals("host=jr-joined domain=jr-domain cwd=" + tmp + " umask=0027 pers=00040000 nice=7"
                    + " io=best-effort: prio 5 fds=0 1 2 3\n", r.output);
            // closing a closed fd is an error, reported with the op index
            Result again = converse(List.of(new Plan().add(Opcode.CLOSE_FD, "", 9)));
            assertEquals(9 /* EBADF */, again.error().errno());
        }
    }

    static void insn(ByteBuffer b, int code, int jt, int jf, int k) {
        b.putShort((short) code).put((byte) jt).put((byte) jf).putInt(k);
    }

    // ---------------------------------------------------------------------------------------

    record Result(List<Message> messages, int status, String output) {
        Message error() {
            return messages.stream().filter(Message::isError).findFirst()
                    .orElseThrow(() -> new AssertionError("no error frame in " + messages + "; output: " + output));
        }
    }

    /** Sends plans[0]; each 'p' gets the next plan, each 's' a 'c'; runs until the socket closes. */
    Result converse(List<Plan> plans) throws Exception {
        Path out = Files.createTempFile(tmp, "out", "");
        try (InitSession s = InitSession.start(init, ProcessBuilder.Redirect.appendTo(out.toFile()))) {
            processes.add(s.process());
            s.sendPlan(plans.get(0));
            int next = 1;
            List<Message> messages = new ArrayList<>();
            for (Message m; (m = s.receive()) != InitSession.EOF; ) {
                messages.add(m);
                if (m.type() == 'p') {
                    pids.add(m.value());
                    if (next < plans.size()) s.sendPlan(plans.get(next++));
                } else if (m.type() == 's') {
                    s.sendContinue();
                }
            }
            int status = s.waitForStage1();
            return new Result(messages, status, Files.readString(out));
        }
    }

    /** Sends one hand-made (possibly broken) encoded plan; collects what the init answers. */
    Result converseRaw(byte[] encoded) throws Exception {
        Path out = Files.createTempFile(tmp, "out", "");
        try (InitSession s = InitSession.start(init, ProcessBuilder.Redirect.appendTo(out.toFile()))) {
            processes.add(s.process());
            s.sendEncodedPlan(encoded);
            List<Message> messages = new ArrayList<>();
            for (Message m; (m = s.receive()) != InitSession.EOF; ) messages.add(m);
            return new Result(messages, s.waitForStage1(), Files.readString(out));
        }
    }

    /** A process we start that holds {@code file} open as fd 5. */
    Process holdFd5(Path file) throws IOException {
        Process p = new ProcessBuilder("/bin/sh", "-c", "exec 5<" + file + "; exec sleep 120").start();
        processes.add(p);
        long deadline = System.currentTimeMillis() + 5000;
        while (System.currentTimeMillis() < deadline) {
            if (Files.exists(Path.of("/proc", "" + p.pid(), "fd", "5"))
                    && p.info().command().orElse("").endsWith("sleep")) {
                return p;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
        }
        throw new AssertionError("fd holder did not start");
    }

    /** mountinfo lines of the output, split on spaces; the fs type is moved to index 8. */
    static List<String[]> mountinfo(String out) {
        List<String[]> result = new ArrayList<>();
        for (String line : out.split("\n")) {
            String[] f = line.split(" ");
            int dash = List.of(f).indexOf("-");
            if (f.length < 10 || dash < 6 || !f[0].matches("\\d+")) continue;
            String[] m = new String[9];
            System.arraycopy(f, 0, m, 0, 6);
            m[6] = "";
            m[7] = "";
            m[8] = f[dash + 1];
            result.add(m);
        }
        return result;
    }

    static List<Long> childrenOf(long pid) {
        return ProcessHandle.of(pid).map(h -> h.children().map(ProcessHandle::pid).toList()).orElse(List.of());
    }

    static List<Long> zombieChildrenOf(long parent) throws IOException {
        List<Long> zombies = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                String stat;
                try {
                    stat = Files.readString(p.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                if (f[0].equals("Z") && Long.parseLong(f[1]) == parent) zombies.add(Long.parseLong(p.getFileName().toString()));
            }
        }
        return zombies;
    }

    static void deleteTree(Path root) throws IOException {
        if (root == null || !Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}

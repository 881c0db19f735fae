package dev.jruntime.terminal;

import dev.jruntime.JrError;
import dev.jruntime.sys.PrivateDir;
import dev.jruntime.sys.Errno;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The terminal of a foreground `run` or `exec` without --console-socket (what `runc run -t`
 * does): jruntime is its own console socket's receiver.
 *
 * <ol>
 *   <li>{@link #listen} binds a Unix socket in a private directory; its path is the
 *       console socket of the plan, so the init sends the pty master over it with
 *       SCM_RIGHTS exactly as it does for a caller's --console-socket.</li>
 *   <li>{@link #attach}, once the init has sent the master: receives it, copies jruntime's
 *       window size to it (now and on every SIGWINCH), puts jruntime's own terminal in raw
 *       mode, and starts two copiers, stdin → master and master → stdout.</li>
 *   <li>{@link #drain} after the process exited: waits (bounded) for the last output.</li>
 *   <li>{@link #close}: restores the terminal (a shutdown hook does it too, for exits that
 *       skip the normal path), closes the fds, removes the socket directory.</li>
 * </ol>
 *
 * <p>The few libc calls go through FFM ({@link Libc}); only `run` and `exec` with a terminal
 * load this class.
 */
public final class TerminalRelay implements AutoCloseable {
    private static final int STDIN = 0;
    private static final long DRAIN_MILLIS = 2000;

    private final Path dir;
    private final Path socket;
    private int listenFd;
    private int master = -1;
    private MemorySegment savedTermios;
    private Thread output;
    private Thread input;
    private Thread shutdownHook;
    private volatile boolean closed;

    private TerminalRelay(Path dir, Path socket, int listenFd) {
        this.dir = dir;
        this.socket = socket;
        this.listenFd = listenFd;
    }

    /**
     * A listening console socket in a new private directory under {@code parent} (keep it
     * short: a socket path has at most 107 bytes).
     */
    public static TerminalRelay listen(Path parent) {
        Path dir;
        try {
            Files.createDirectories(parent);
            dir = PrivateDir.create(parent, "tty");
        } catch (IOException e) {
            throw JrError.of("create the console socket directory in " + parent, e);
        }
        Path socket = dir.resolve("console");
        try {
            return new TerminalRelay(dir, socket, Libc.listenUnix(socket.toString()));
        } catch (RuntimeException e) {
            deleteQuietly(dir);
            throw e;
        }
    }

    /** The path to give jruntime-init as the console socket. */
    public String socketPath() {
        return socket.toString();
    }

    /**
     * Receives the pty master (the init has sent it by now: create and exec return only after
     * the op that sends it), sizes it, makes jruntime's terminal raw and starts copying.
     */
    public synchronized void attach() {
        int conn = Libc.accept(listenFd);
        try {
            master = Libc.receiveFd(conn);
        } finally {
            Libc.close(conn);
        }
        closeListener();
        resize();
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), sig -> resize());
        } catch (IllegalArgumentException e) {
            // the JVM keeps WINCH for itself (not HotSpot on Linux): the size stays the first one
        }
        if (Libc.isatty(STDIN)) {
            savedTermios = Libc.getTermios(STDIN);
            shutdownHook = new Thread(this::restoreTerminal, "jruntime-restore-terminal");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
            Libc.setRaw(STDIN, savedTermios);
        }
        output = Thread.ofPlatform().daemon().name("jruntime-tty-out").start(this::copyOutput);
        input = Thread.ofPlatform().daemon().name("jruntime-tty-in").start(this::copyInput);
    }

    /** Copies jruntime's window size to the pty. */
    public synchronized void resize() {
        if (closed || master < 0) return;
        MemorySegment ws = hostWinsize();
        if (ws != null) Libc.setWindowSize(master, ws);
    }

    /**
     * jruntime's window size as {rows, columns}, or null without a terminal. `exec` puts it in
     * the process's plan: that process runs as soon as its pty exists, before {@link #attach}.
     */
    public static int[] hostWindowSize() {
        MemorySegment ws = hostWinsize();
        if (ws == null) return null;
        return new int[] {Short.toUnsignedInt(ws.get(ValueLayout.JAVA_SHORT, 0)),
                Short.toUnsignedInt(ws.get(ValueLayout.JAVA_SHORT, 2))};
    }

    /** struct winsize of the first of fds 0, 1, 2 that is a terminal. */
    private static MemorySegment hostWinsize() {
        for (int fd = 0; fd < 3; fd++) {
            MemorySegment ws = Libc.getWindowSize(fd);
            if (ws != null) return ws;
        }
        return null;
    }

    /** After the process exited: lets the output copier pass on what is left, for a while. */
    public void drain() {
        Thread t;
        synchronized (this) {
            t = output;
        }
        if (t == null) return;
        try {
            t.join(DRAIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** master → stdout until the pty hangs up (EIO: every holder of the slave closed it). */
    private void copyOutput() {
        FileOutputStream out = new FileOutputStream(FileDescriptor.out);
        MemorySegment buf = Arena.ofAuto().allocate(8192);
        boolean discard = false;
        while (true) {
            int n = Libc.read(master, buf);
            if (n <= 0) return;
            if (discard) continue; // stdout is gone: keep reading so the container never blocks
            try {
                out.write(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE));
            } catch (IOException e) {
                discard = true;
            }
        }
    }

    /** stdin → master until stdin ends (with stdin at EOF, the container just gets no input). */
    private void copyInput() {
        FileInputStream in = new FileInputStream(FileDescriptor.in);
        byte[] bytes = new byte[4096];
        MemorySegment buf = Arena.ofAuto().allocate(bytes.length);
        while (true) {
            int n;
            try {
                n = in.read(bytes);
            } catch (IOException e) {
                return;
            }
            if (n < 0) return;
            MemorySegment.copy(bytes, 0, buf, ValueLayout.JAVA_BYTE, 0, n);
            if (closed || !Libc.writeAll(master, buf, n)) return;
        }
    }

    private synchronized void restoreTerminal() {
        if (savedTermios != null) {
            Libc.restore(STDIN, savedTermios);
            savedTermios = null;
        }
    }

    private void closeListener() {
        if (listenFd >= 0) Libc.close(listenFd);
        listenFd = -1;
        deleteQuietly(socket, dir);
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        restoreTerminal();
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException ignored) {
                // the JVM is shutting down: the hook runs (and finds nothing left to restore)
            }
        }
        closed = true;
        closeListener();
        // a copier still blocked in read or write would use whatever reuses the fd number:
        // while one runs (the input copier waits on stdin), the fd stays open until jruntime exits
        if (master >= 0 && !alive(output) && !alive(input)) Libc.close(master);
    }

    private static boolean alive(Thread t) {
        return t != null && t.isAlive();
    }

    private static void deleteQuietly(Path... paths) {
        for (Path p : paths) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // best effort: an empty private directory left in the state root is harmless
            }
        }
    }

    /**
     * libc through FFM. Layouts are those of LP64 Linux (x86_64, aarch64); {@code struct
     * termios} is glibc's (60 bytes) and only handled whole (tcgetattr, cfmakeraw, tcsetattr).
     */
    private static final class Libc {
        private static final Linker LINKER = Linker.nativeLinker();
        private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
        private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
        private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
        private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
        private static final java.lang.foreign.AddressLayout PTR = ValueLayout.ADDRESS;

        static final int AF_UNIX = 1, SOCK_STREAM = 1, SOCK_NONBLOCK = 04000, SOCK_CLOEXEC = 02000000;
        static final int SOL_SOCKET = 1, SCM_RIGHTS = 1, MSG_CMSG_CLOEXEC = 0x40000000;
        static final int EINTR = 4, EAGAIN = 11;
        static final long TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414;
        static final int TCSANOW = 0;
        static final long TERMIOS_SIZE = 64, WINSIZE_SIZE = 8;

        private static final MethodHandle SOCKET = fn("socket", INT, INT, INT, INT);
        private static final MethodHandle BIND = fn("bind", INT, INT, PTR, INT);
        private static final MethodHandle LISTEN = fn("listen", INT, INT, INT);
        private static final MethodHandle ACCEPT4 = fn("accept4", INT, INT, PTR, PTR, INT);
        private static final MethodHandle RECVMSG = fn("recvmsg", LONG, INT, PTR, INT);
        private static final MethodHandle READ = fn("read", LONG, INT, PTR, LONG);
        private static final MethodHandle WRITE = fn("write", LONG, INT, PTR, LONG);
        private static final MethodHandle CLOSE = fn("close", INT, INT);
        private static final MethodHandle ISATTY = fn("isatty", INT, INT);
        private static final MethodHandle TCGETATTR = fn("tcgetattr", INT, INT, PTR);
        private static final MethodHandle TCSETATTR = fn("tcsetattr", INT, INT, INT, PTR);
        private static final MethodHandle CFMAKERAW = LINKER.downcallHandle(
                LINKER.defaultLookup().find("cfmakeraw").orElseThrow(), FunctionDescriptor.ofVoid(PTR));
        /** ioctl(int, unsigned long, ...): variadic from its third argument. */
        private static final MethodHandle IOCTL = LINKER.downcallHandle(
                LINKER.defaultLookup().find("ioctl").orElseThrow(), FunctionDescriptor.of(INT, INT, LONG, PTR),
                Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(2));

        private static MethodHandle fn(String name, MemoryLayout ret, MemoryLayout... args) {
            return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(),
                    FunctionDescriptor.of(ret, args), Linker.Option.captureCallState("errno"));
        }

        private static int errno(MemorySegment state) {
            return (int) ERRNO.get(state, 0L);
        }

        private static JrError failure(String what, MemorySegment state) {
            return JrError.of(what + ": " + Errno.text(errno(state)));
        }

        private static JrError failure(String what, Throwable t) {
            return t instanceof JrError e ? e : JrError.of(what, t);
        }

        /** A non-blocking listening SOCK_STREAM socket bound to {@code path}. */
        static int listenUnix(String path) {
            byte[] name = path.getBytes(StandardCharsets.UTF_8);
            if (name.length > 107) throw JrError.path("console socket", path, "path longer than 107 bytes");
            int fd = -1;
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment st = arena.allocate(CAPTURE);
                fd = (int) SOCKET.invokeExact(st, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
                if (fd < 0) throw failure("socket(AF_UNIX)", st);
                MemorySegment addr = arena.allocate(110); // struct sockaddr_un, zeroed
                addr.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
                MemorySegment.copy(name, 0, addr, ValueLayout.JAVA_BYTE, 2, name.length);
                if ((int) BIND.invokeExact(st, fd, addr, 2 + name.length + 1) < 0) throw failure("bind " + path, st);
                if ((int) LISTEN.invokeExact(st, fd, 1) < 0) throw failure("listen on " + path, st);
                return fd;
            } catch (Throwable t) {
                if (fd >= 0) close(fd);
                throw failure("console socket " + path, t);
            }
        }

        /** The connection the init made; an error if it made none. */
        static int accept(int listenFd) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment st = arena.allocate(CAPTURE);
                int fd;
                do {
                    fd = (int) ACCEPT4.invokeExact(st, listenFd, MemorySegment.NULL, MemorySegment.NULL, SOCK_CLOEXEC);
                } while (fd < 0 && errno(st) == EINTR);
                if (fd < 0 && errno(st) == EAGAIN) throw JrError.of("the container did not connect to jruntime's console socket");
                if (fd < 0) throw failure("accept on the console socket", st);
                return fd;
            } catch (Throwable t) {
                throw failure("accept on the console socket", t);
            }
        }

        /** recvmsg with one SCM_RIGHTS fd (the data is the pts name, unused here). */
        static int receiveFd(int sock) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment st = arena.allocate(CAPTURE);
                MemorySegment data = arena.allocate(256);
                MemorySegment iov = arena.allocate(16); // struct iovec { base; len }
                iov.set(PTR, 0, data);
                iov.set(LONG, 8, data.byteSize());
                MemorySegment control = arena.allocate(64, 8);
                MemorySegment msg = arena.allocate(56, 8); // struct msghdr, zeroed (no name)
                msg.set(PTR, 16, iov);
                msg.set(LONG, 24, 1L);
                msg.set(PTR, 32, control);
                msg.set(LONG, 40, control.byteSize());
                long n;
                do {
                    n = (long) RECVMSG.invokeExact(st, sock, msg, MSG_CMSG_CLOEXEC);
                } while (n < 0 && errno(st) == EINTR);
                if (n < 0) throw failure("receive the pty master", st);
                // first struct cmsghdr { size_t len; int level; int type; data }
                long controlLen = msg.get(LONG, 40);
                if (n == 0 || controlLen < 20 || control.get(INT, 8) != SOL_SOCKET || control.get(INT, 12) != SCM_RIGHTS) {
                    throw JrError.of("the container sent no pty master over jruntime's console socket");
                }
                long fds = (control.get(LONG, 0) - 16) / 4;
                for (int k = 1; k < fds; k++) close(control.get(INT, 16 + 4L * k)); // only one expected
                return control.get(INT, 16);
            } catch (Throwable t) {
                throw failure("receive the pty master", t);
            }
        }

        /** read(2), retried on EINTR: bytes read, 0 at end, -1 on error (EIO: hung up). */
        static int read(int fd, MemorySegment buf) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment st = arena.allocate(CAPTURE);
                long n;
                do {
                    n = (long) READ.invokeExact(st, fd, buf, buf.byteSize());
                } while (n < 0 && errno(st) == EINTR);
                return (int) n;
            } catch (Throwable t) {
                return -1;
            }
        }

        /** write(2) of all {@code n} bytes, retried on EINTR; false on error. */
        static boolean writeAll(int fd, MemorySegment buf, int n) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment st = arena.allocate(CAPTURE);
                long done = 0;
                while (done < n) {
                    long w = (long) WRITE.invokeExact(st, fd, buf.asSlice(done), (long) n - done);
                    if (w < 0 && errno(st) == EINTR) continue;
                    if (w <= 0) return false;
                    done += w;
                }
                return true;
            } catch (Throwable t) {
                return false;
            }
        }

        static void close(int fd) {
            try (Arena arena = Arena.ofConfined()) {
                int ignored = (int) CLOSE.invokeExact(arena.allocate(CAPTURE), fd);
            } catch (Throwable ignored) {
                // closing: nothing to report
            }
        }

        static boolean isatty(int fd) {
            try (Arena arena = Arena.ofConfined()) {
                return (int) ISATTY.invokeExact(arena.allocate(CAPTURE), fd) == 1;
            } catch (Throwable t) {
                return false;
            }
        }

        /** The terminal's settings, in memory that outlives this call. */
        static MemorySegment getTermios(int fd) {
            MemorySegment t = Arena.ofAuto().allocate(TERMIOS_SIZE, 8);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment st = arena.allocate(CAPTURE);
                if ((int) TCGETATTR.invokeExact(st, fd, t) < 0) throw failure("tcgetattr on stdin", st);
                return t;
            } catch (Throwable e) {
                throw failure("tcgetattr on stdin", e);
            }
        }

        /** cfmakeraw of {@code saved}, applied at once. */
        static void setRaw(int fd, MemorySegment saved) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment st = arena.allocate(CAPTURE);
                MemorySegment raw = arena.allocate(TERMIOS_SIZE, 8).copyFrom(saved);
                CFMAKERAW.invokeExact(raw);
                if ((int) TCSETATTR.invokeExact(st, fd, TCSANOW, raw) < 0) throw failure("set stdin to raw mode", st);
            } catch (Throwable e) {
                throw failure("set stdin to raw mode", e);
            }
        }

        /** Puts back the saved settings (at once: waiting for a stuck terminal to drain could hang the exit). */
        static void restore(int fd, MemorySegment saved) {
            try (Arena arena = Arena.ofConfined()) {
                int ignored = (int) TCSETATTR.invokeExact(arena.allocate(CAPTURE), fd, TCSANOW, saved);
            } catch (Throwable ignored) {
                // nothing better to do than leave the terminal as it is
            }
        }

        /** struct winsize of {@code fd}, or null when it is not a terminal. */
        static MemorySegment getWindowSize(int fd) {
            MemorySegment ws = Arena.ofAuto().allocate(WINSIZE_SIZE, 2);
            try (Arena arena = Arena.ofConfined()) {
                int rc = (int) IOCTL.invokeExact(arena.allocate(CAPTURE), fd, TIOCGWINSZ, ws);
                return rc < 0 || ws.get(ValueLayout.JAVA_SHORT, 0) == 0 ? null : ws;
            } catch (Throwable t) {
                return null;
            }
        }

        static void setWindowSize(int fd, MemorySegment ws) {
            try (Arena arena = Arena.ofConfined()) {
                int ignored = (int) IOCTL.invokeExact(arena.allocate(CAPTURE), fd, TIOCSWINSZ, ws);
            } catch (Throwable ignored) {
                // a size that does not stick is not worth failing the container for
            }
        }
    }
}

package dev.jruntime.container;

import dev.jruntime.JrError;
import dev.jruntime.plan.Plan;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The JVM's end of a conversation with jruntime-init (protocol: src/main/c/plan.h).
 *
 * <p>Spawns {@code jruntime-init <in> <out>} with the caller's stdio. The channel is two pipes
 * the JVM creates: a JVM cannot give a child any fd beyond stdio, so the init opens them
 * through this process's {@code /proc/<pid>/fd/<n>} links and says hello. Then frames: plans
 * and "continue" out, pid / sync / ready / error messages in.
 *
 * <p>Why not a Unix socket: the JDK's Unix-domain socket classes seed a SecureRandom when they
 * are first used (for auto-bound names jruntime never uses), and initialising the JCA
 * providers for it cost ~18 ms of every {@code create}. Pipes cost nothing to set up.
 */
public final class InitSession implements AutoCloseable {

    /** A message from the init. */
    public record Message(char type, long value, int opIndex, int errno, String detail) {
        public boolean isError() {
            return type == 'e';
        }
    }

    /** The end of the conversation: the init closed its channel (it exec'd or exited). */
    public static final Message EOF = new Message('\0', 0, -1, 0, "");

    /** How long an init may take to open the channel before it is given up. */
    private static final long HELLO_TIMEOUT_MS = 10_000;

    private final Process process;
    private final Pipe toInit;
    private final Pipe fromInit;
    private boolean connected;

    private InitSession(Process process, Pipe toInit, Pipe fromInit) {
        this.process = process;
        this.toInit = toInit;
        this.fromInit = fromInit;
    }

    /** Starts jruntime-init with the caller's stdio and waits for its hello. */
    public static InitSession start(Path initBinary) {
        return start(initBinary, ProcessBuilder.Redirect.INHERIT);
    }

    /**
     * Starts jruntime-init with its stdout and stderr sent to {@code output} (stdin inherited),
     * and waits for its hello. Used by tests that look at what the container printed.
     */
    public static InitSession start(Path initBinary, ProcessBuilder.Redirect output) {
        InitSession s = spawn(initBinary, output);
        s.connect();
        return s;
    }

    /**
     * Starts jruntime-init with the caller's stdio and returns at once; the hello is awaited by
     * the first send or receive. `create` spawns it first, so that the init's exec overlaps the
     * config loading and the cgroups.
     */
    public static InitSession spawn(Path initBinary) {
        return spawn(initBinary, ProcessBuilder.Redirect.INHERIT);
    }

    private static InitSession spawn(Path initBinary, ProcessBuilder.Redirect output) {
        Pipe toInit = null;
        Pipe fromInit = null;
        try {
            toInit = Pipe.open();
            fromInit = Pipe.open();
            String self = "/proc/" + ProcessHandle.current().pid() + "/fd/";
            ProcessBuilder pb = new ProcessBuilder(initBinary.toString(),
                    self + fdOf(toInit.source()), self + fdOf(fromInit.sink()));
            pb.environment().clear();
            pb.redirectInput(ProcessBuilder.Redirect.INHERIT)
              .redirectOutput(output)
              .redirectError(output);
            return new InitSession(pb.start(), toInit, fromInit);
        } catch (IOException e) {
            closeQuietly(toInit, fromInit);
            throw JrError.of("start " + initBinary, e);
        } catch (RuntimeException e) {
            closeQuietly(toInit, fromInit);
            throw e;
        }
    }

    /** Waits for the hello, then drops our copies of the init's ends: its exit is then end-of-stream. */
    private void connect() {
        if (connected) return;
        try {
            awaitHello(process, fromInit.source());
            toInit.source().close();
            fromInit.sink().close();
            fromInit.source().configureBlocking(true);
            connected = true;
        } catch (IOException e) {
            process.destroyForcibly();
            closeQuietly(toInit, fromInit);
            throw JrError.of("connect to jruntime-init", e);
        } catch (RuntimeException e) {
            process.destroyForcibly();
            closeQuietly(toInit, fromInit);
            throw e;
        }
    }

    /**
     * Waits for the 'h' frame. The channel cannot end while we hold its write end, so an init
     * that dies before its hello is seen by polling its liveness between waits.
     */
    private static void awaitHello(Process process, Pipe.SourceChannel from) throws IOException {
        ByteBuffer hello = ByteBuffer.allocate(5);
        from.configureBlocking(false);
        long deadline = System.nanoTime() + HELLO_TIMEOUT_MS * 1_000_000;
        try (Selector selector = Selector.open()) {
            from.register(selector, SelectionKey.OP_READ);
            while (hello.hasRemaining()) {
                if (from.read(hello) > 0) continue;
                if (!process.isAlive()) {
                    throw JrError.of("jruntime-init exited with status " + process.exitValue() + " before it opened its channel");
                }
                if (System.nanoTime() > deadline) throw JrError.of("jruntime-init did not open its channel in " + HELLO_TIMEOUT_MS + " ms");
                selector.select(50);
                selector.selectedKeys().clear();
            }
        }
        hello.flip();
        if (hello.order(ByteOrder.LITTLE_ENDIAN).getInt() != 1 || hello.get() != 'h') {
            throw JrError.of("jruntime-init sent no hello");
        }
    }

    /** The fd number of a pipe end, for the init's /proc link (needs --add-exports java.base/sun.nio.ch). */
    private static int fdOf(java.nio.channels.Channel end) {
        return ((sun.nio.ch.SelChImpl) end).getFDVal();
    }

    /** The stage-1 process the JVM spawned. */
    public Process process() {
        return process;
    }

    public void sendPlan(Plan plan) {
        send('P', plan.encode());
    }

    /** A plan already encoded: tests send broken ones to see the init refuse them. */
    public void sendEncodedPlan(byte[] encoded) {
        send('P', encoded);
    }

    public void sendContinue() {
        send('c', new byte[0]);
    }

    private void send(char type, byte[] payload) {
        connect();
        ByteBuffer buf = ByteBuffer.allocate(5 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt(1 + payload.length).put((byte) type).put(payload).flip();
        try {
            while (buf.hasRemaining()) toInit.sink().write(buf);
        } catch (IOException e) {
            throw JrError.of("send to jruntime-init", e);
        }
    }

    /** Blocks for the next message; {@link #EOF} when the init closed its channel. */
    public Message receive() {
        connect();
        try {
            ByteBuffer head = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            if (!readFully(head)) return EOF;
            int len = head.flip().getInt();
            if (len < 1 || len > (1 << 20)) throw JrError.of("jruntime-init sent a bad frame length " + len);
            ByteBuffer body = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
            if (!readFully(body)) return EOF;
            body.flip();
            char type = (char) body.get();
            return switch (type) {
                case 'p', 's' -> new Message(type, body.getLong(), -1, 0, "");
                case 'r' -> new Message(type, 0, -1, 0, "");
                case 'e' -> {
                    int index = body.getInt();
                    int errno = body.getInt();
                    byte[] detail = new byte[body.remaining()];
                    body.get(detail);
                    yield new Message(type, 0, index, errno, new String(detail, StandardCharsets.UTF_8));
                }
                default -> throw JrError.of("jruntime-init sent an unknown message type '" + type + "'");
            };
        } catch (IOException e) {
            // a read error on the channel ends the conversation as EOF does
            return EOF;
        }
    }

    private boolean readFully(ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            if (fromInit.source().read(buf) < 0) return false;
        }
        return true;
    }

    /** Waits for stage 1 to exit and returns its status. */
    public int waitForStage1() {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw JrError.of("interrupted while waiting for jruntime-init");
        }
    }

    @Override
    public void close() {
        closeQuietly(toInit, fromInit);
    }

    /** Closes both ends of each pipe (null: not made yet; closing a closed end does nothing). */
    private static void closeQuietly(Pipe... pipes) {
        for (Pipe p : pipes) {
            if (p == null) continue;
            for (java.nio.channels.Channel end : new java.nio.channels.Channel[] {p.sink(), p.source()}) {
                try {
                    end.close();
                } catch (IOException ignored) {
                    // closing a channel we are done with: nothing to report
                }
            }
        }
    }
}

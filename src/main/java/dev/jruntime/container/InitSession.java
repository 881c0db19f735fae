package dev.jruntime.container;

import dev.jruntime.JrError;
import dev.jruntime.plan.Plan;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The JVM's end of a conversation with jruntime-init (protocol: src/main/c/plan.h).
 *
 * <p>Spawns {@code jruntime-init <socket>} with the caller's stdio, accepts its connection on
 * a Unix socket in a private directory, then exchanges frames: plans and "continue" out,
 * pid / sync / ready / error messages in.
 */
public final class InitSession implements AutoCloseable {

    /** A message from the init. */
    public record Message(char type, long value, int opIndex, int errno, String detail) {
        public boolean isError() {
            return type == 'e';
        }
    }

    /** The end of the conversation: the init closed its socket (it exec'd or exited). */
    public static final Message EOF = new Message('\0', 0, -1, 0, "");

    private final Process process;
    private final Path socketDir;
    private final SocketChannel channel;

    private InitSession(Process process, Path socketDir, SocketChannel channel) {
        this.process = process;
        this.socketDir = socketDir;
        this.channel = channel;
    }

    /**
     * Starts jruntime-init and waits for it to connect.
     *
     * @param initBinary the jruntime-init executable
     * @param socketParent a directory for the private socket directory (short path: Unix
     *                     socket paths are limited to 107 bytes)
     */
    public static InitSession start(Path initBinary, Path socketParent) {
        return start(initBinary, socketParent, ProcessBuilder.Redirect.INHERIT);
    }

    /**
     * Starts jruntime-init with its stdout and stderr sent to {@code out} (stdin inherited),
     * and waits for it to connect. Used by tests that look at what the container printed.
     */
    public static InitSession start(Path initBinary, Path socketParent, ProcessBuilder.Redirect out) {
        Path dir;
        try {
            dir = Files.createTempDirectory(socketParent, "sync",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw JrError.of("create sync socket directory in " + socketParent, e);
        }
        Path sock = dir.resolve("s");
        Process process = null;
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
             Selector selector = Selector.open()) {
            server.bind(UnixDomainSocketAddress.of(sock));
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
            ProcessBuilder pb = new ProcessBuilder(initBinary.toString(), sock.toString());
            pb.environment().clear();
            pb.redirectInput(ProcessBuilder.Redirect.INHERIT)
              .redirectOutput(out)
              .redirectError(out);
            process = pb.start();
            SocketChannel ch;
            while ((ch = server.accept()) == null) {
                if (!process.isAlive()) {
                    throw JrError.of("jruntime-init exited with status " + process.exitValue() + " before connecting");
                }
                selector.select(50);
                selector.selectedKeys().clear();
            }
            ch.configureBlocking(true);
            return new InitSession(process, dir, ch);
        } catch (IOException e) {
            if (process != null) process.destroyForcibly();
            deleteQuietly(sock, dir);
            throw JrError.of("start " + initBinary, e);
        } catch (RuntimeException e) {
            if (process != null) process.destroyForcibly();
            deleteQuietly(sock, dir);
            throw e;
        }
    }

    /** The stage-1 process the JVM spawned. */
    public Process process() {
        return process;
    }

    public void sendPlan(Plan plan) {
        send('P', plan.encode());
    }

    public void sendContinue() {
        send('c', new byte[0]);
    }

    private void send(char type, byte[] payload) {
        ByteBuffer buf = ByteBuffer.allocate(5 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt(1 + payload.length).put((byte) type).put(payload).flip();
        try {
            while (buf.hasRemaining()) channel.write(buf);
        } catch (IOException e) {
            throw JrError.of("send to jruntime-init", e);
        }
    }

    /** Blocks for the next message; {@link #EOF} when the init closed the socket. */
    public Message receive() {
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
            // a reset connection is how a killed init ends the conversation
            return EOF;
        }
    }

    private boolean readFully(ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            if (channel.read(buf) < 0) return false;
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
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a socket we are done with: nothing to report
        }
        deleteQuietly(socketDir.resolve("s"), socketDir);
    }

    private static void deleteQuietly(Path... paths) {
        for (Path p : paths) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // best effort: a leftover empty socket dir is harmless
            }
        }
    }
}

package dev.jruntime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Integration-test support: runs the built `target/jruntime/bin/jruntime` with a private
 * --root, builds bundles around one shared busybox rootfs, and removes every container,
 * bundle and state dir it made (call {@link #close()} from @AfterEach, it never throws
 * before it has tried everything).
 */
public final class Jr implements AutoCloseable {
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DIST = Path.of(System.getProperty("jruntime.dist", "target/jruntime"));
    private static final Path BUNDLES = Path.of(System.getProperty("jruntime.bundles", "bundles"));

    public final Path root;
    public final Path work;
    private final List<String> ids = new ArrayList<>();

    public record Result(int exit, String out, String err) {
        public Result ok() {
            if (exit != 0) fail("exit " + exit + "\nstdout: " + out + "\nstderr: " + err);
            return this;
        }
    }

    public Jr() {
        try {
            work = Files.createTempDirectory(Path.of("/tmp"), "jrit");
            root = work.resolve("root");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path binary() {
        return DIST.resolve("bin/jruntime").toAbsolutePath();
    }

    /** The shared busybox rootfs (built once per machine into target/). */
    public static synchronized Path rootfs() {
        Path rootfs = DIST.getParent().resolve("it-rootfs").toAbsolutePath();
        if (!Files.isExecutable(rootfs.resolve("bin/busybox"))) {
            Result r = exec(List.of(BUNDLES.resolve("make-busybox-rootfs").toAbsolutePath().toString(), rootfs.toString()), null, 120);
            if (r.exit != 0) throw new IllegalStateException("make-busybox-rootfs failed: " + r.err);
        }
        return rootfs;
    }

    /** A unique container id, remembered for cleanup. */
    public String newId() {
        String id = "jrit-" + UUID.randomUUID().toString().substring(0, 8);
        ids.add(id);
        return id;
    }

    /** A minimal valid config running {@code args}, rootfs read-only, the usual mounts. */
    public static ObjectNode config(String... args) {
        ObjectNode c = JSON.createObjectNode();
        c.put("ociVersion", "1.3.0");
        ObjectNode p = c.putObject("process");
        p.put("terminal", false);
        p.putObject("user").put("uid", 0).put("gid", 0);
        ArrayNode a = p.putArray("args");
        for (String s : args) a.add(s);
        p.putArray("env").add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin").add("TERM=xterm");
        p.put("cwd", "/");
        ObjectNode root = c.putObject("root");
        root.put("path", rootfs().toString());
        root.put("readonly", true);
        c.put("hostname", "jrit");
        ArrayNode mounts = c.putArray("mounts");
        mount(mounts, "/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev"));
        mount(mounts, "/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k"));
        mount(mounts, "/dev/pts", "devpts", "devpts", List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"));
        mount(mounts, "/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k"));
        mount(mounts, "/tmp", "tmpfs", "tmpfs", List.of("nosuid", "nodev", "mode=1777"));
        mount(mounts, "/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro"));
        ObjectNode linux = c.putObject("linux");
        ArrayNode ns = linux.putArray("namespaces");
        for (String t : List.of("pid", "ipc", "uts", "mount", "network")) ns.addObject().put("type", t);
        return c;
    }

    public static void mount(ArrayNode mounts, String dest, String type, String source, List<String> options) {
        ObjectNode m = mounts.addObject();
        m.put("destination", dest);
        m.put("type", type);
        m.put("source", source);
        ArrayNode o = m.putArray("options");
        options.forEach(o::add);
    }

    /** Writes a bundle dir with this config; returns its path. */
    public Path bundle(JsonNode config) {
        try {
            Path b = Files.createTempDirectory(work, "bundle");
            Files.writeString(b.resolve("config.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config));
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs `jruntime --root <root> args...`. */
    public Result jr(String... args) {
        return jrIn(null, args);
    }

    public Result jrIn(Path cwd, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary().toString());
        cmd.add("--root");
        cmd.add(root.toString());
        cmd.addAll(Arrays.asList(args));
        return exec(cmd, cwd, 60);
    }

    public static Result exec(List<String> cmd, Path cwd, int timeoutSeconds) {
        try {
            Path out = Files.createTempFile("jrit-out", ".txt");
            Path err = Files.createTempFile("jrit-err", ".txt");
            try {
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
                if (cwd != null) pb.directory(cwd.toFile());
                Process p = pb.start();
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor();
                    fail("timed out after " + timeoutSeconds + " s: " + cmd);
                }
                return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** `run` a container in the foreground and return its result. */
    public Result run(JsonNode config) {
        return jr("run", "--bundle", bundle(config).toString(), newId());
    }

    public JsonNode state(String id) {
        Result r = jr("state", id).ok();
        try {
            return JSON.readTree(r.out());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        for (String id : ids) jr("delete", "--force", id);
        try (Stream<Path> s = Files.walk(work)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }

    /** Asserts the state root holds no container any more. */
    public void assertNothingLeft() {
        try (Stream<Path> s = Files.exists(root) ? Files.list(root) : Stream.empty()) {
            assertEquals(List.of(), s.map(p -> p.getFileName().toString()).toList(),
                    "state dirs left behind");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.jruntime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad bundles: each `create` exits 1 with a message naming the field or path and why, and
 * leaves nothing behind (no state dir, no process, no mount).
 */
class MalformedBundlesIT {
    private final Jr jr = new Jr();

    @AfterEach
    void cleanup() {
        jr.close();
    }

    private static Arguments bad(String name, Consumer<ObjectNode> edit, String... expected) {
        return Arguments.of(name, edit, List.of(expected));
    }

    private static ObjectNode proc(ObjectNode c) {
        return (ObjectNode) c.get("process");
    }

    private static ObjectNode linux(ObjectNode c) {
        return (ObjectNode) c.get("linux");
    }

    static Stream<Arguments> bundles() {
        return Stream.of(
                bad("args not an array", c -> proc(c).put("args", "sh"), "/process/args"),
                bad("memory limit as a string", c -> linux(c).putObject("resources").putObject("memory").put("limit", "1G"),
                        "/linux/resources/memory/limit"),
                bad("unknown rlimit", c -> proc(c).putArray("rlimits").addObject().put("type", "RLIMIT_FOO").put("soft", 1).put("hard", 1),
                        "/process/rlimits/0/type"),
                bad("unknown capability", c -> proc(c).putObject("capabilities").putArray("bounding").add("CAP_MAKE_COFFEE"),
                        "/process/capabilities/bounding/0"),
                bad("unknown namespace", c -> ((ArrayNode) linux(c).get("namespaces")).addObject().put("type", "sideways"),
                        "/linux/namespaces/5"),
                bad("duplicate namespace", c -> ((ArrayNode) linux(c).get("namespaces")).addObject().put("type", "pid"),
                        "/linux/namespaces/5"),
                bad("rootfs missing", c -> ((ObjectNode) c.get("root")).put("path", "/nonexistent-rootfs"), "/root/path"),
                // refused while the settings are applied, with jruntime-init already in the cgroups
                bad("cgroup v2 settings on this v1 host", c -> linux(c).putObject("resources").putObject("unified").put("memory.max", "1G"),
                        "/linux/resources/unified", "this host uses cgroup v1"),
                bad("missing executable", c -> proc(c).putArray("args").add("no-such-program"),
                        "executable file not found in $PATH"),
                bad("not executable", c -> proc(c).putArray("args").add("/etc/passwd"), "permission denied"),
                bad("relative mount destination", c -> Jr.mount((ArrayNode) c.get("mounts"), "relative/dir", "tmpfs", "tmpfs", List.of()),
                        "/mounts/6/destination"),
                bad("bind source missing", c -> Jr.mount((ArrayNode) c.get("mounts"), "/mnt", "bind", "/nonexistent-src", List.of("rbind")),
                        "/mounts/6/source"),
                bad("unknown filesystem type", c -> Jr.mount((ArrayNode) c.get("mounts"), "/mnt", "nosuchfs", "x", List.of()),
                        "/mounts/6", "no such device"),
                bad("hostname without uts namespace", c -> {
                    ArrayNode ns = linux(c).putArray("namespaces");
                    ns.addObject().put("type", "mount");
                    c.put("hostname", "h");
                }, "/hostname"),
                bad("relative cwd", c -> proc(c).put("cwd", "tmp"), "/process/cwd"),
                bad("bad device type", c -> linux(c).putArray("devices").addObject().put("type", "z").put("path", "/dev/z").put("major", 1).put("minor", 1),
                        "/linux/devices/0/type"),
                bad("env entry without =", c -> ((ArrayNode) proc(c).get("env")).add("JUSTAKEY"), "/process/env/2"),
                bad("uid mappings without user namespace", c -> linux(c).putArray("uidMappings").addObject()
                        .put("containerID", 0).put("hostID", 100000).put("size", 1000), "/linux/uidMappings"),
                bad("relative hook path", c -> c.putObject("hooks").putArray("prestart").addObject().put("path", "hook.sh"),
                        "/hooks/prestart/0/path"),
                bad("unsupported intelRdt", c -> linux(c).putObject("intelRdt").put("closID", "x"), "/linux/intelRdt"),
                bad("soft rlimit above hard", c -> proc(c).putArray("rlimits").addObject().put("type", "RLIMIT_NOFILE").put("soft", 10).put("hard", 5),
                        "/process/rlimits/0"),
                bad("bad ociVersion", c -> c.put("ociVersion", "2.0.0"), "/ociVersion"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bundles")
    void createFailsCleanly(String name, Consumer<ObjectNode> edit, List<String> expected) throws IOException {
        ObjectNode c = Jr.config("true");
        edit.accept(c);
        Path bundle = jr.bundle(c);
        assertFailsCleanly(bundle, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rawFiles")
    void unreadableConfigs(String name, String content, String expected) throws IOException {
        Path bundle = Files.createTempDirectory(jr.work, "raw");
        if (content != null) Files.writeString(bundle.resolve("config.json"), content);
        assertFailsCleanly(bundle, List.of(expected));
    }

    static Stream<Arguments> rawFiles() {
        return Stream.of(
                Arguments.of("truncated JSON", "{\"ociVersion\": \"1.3.0\",", "config.json"),
                Arguments.of("empty file", "", "config.json"),
                Arguments.of("no config.json", null, "config.json"));
    }

    private void assertFailsCleanly(Path bundle, List<String> expected) throws IOException {
        String id = jr.newId();
        Jr.Result r = jr.jr("create", "--bundle", bundle.toString(), id);
        assertEquals(1, r.exit(), "stdout: " + r.out() + " stderr: " + r.err());
        for (String e : expected) assertTrue(r.err().contains(e), "expected \"" + e + "\" in: " + r.err());
        jr.assertNothingLeft();
        String mounts = Files.readString(Path.of("/proc/self/mountinfo"));
        assertTrue(!mounts.contains(bundle.toString()) && !mounts.contains(Jr.rootfs().toString()), "mounts left");
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            List<String> left = procs.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .map(p -> {
                        try {
                            return Files.readString(p.resolve("cmdline")).replace('\0', ' ');
                        } catch (IOException e) {
                            return "";
                        }
                    })
                    .filter(cmd -> cmd.contains(jr.root.toString()))
                    .toList();
            assertEquals(List.of(), left, "processes left");
        }
    }
}

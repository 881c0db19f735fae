package dev.jruntime.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.jruntime.plan.PlanBuilder;
import dev.jruntime.plan.SeccompProgram;
import dev.jruntime.spec.ConfigLoader;
import dev.jruntime.spec.Spec;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a seccomp agent at listenerPath receives: runc's container process state, and only with SCMP_ACT_NOTIFY. */
class SeccompListenerTest {
    private static Spec spec(String seccomp) {
        String json = """
                {"ociVersion":"1.3.0","root":{"path":"rootfs"},"process":{"args":["sh"],"cwd":"/"},
                 "linux":{"seccomp":%s}}""".formatted(seccomp);
        return ConfigLoader.parse(json.getBytes(StandardCharsets.UTF_8)).spec();
    }

    private static State state(Map<String, String> annotations) {
        return new State("1.3.0", "c1", 4422, "created", "/containers/redis", "/containers/redis/rootfs",
                "2026-11-23T01:02:03.456Z", annotations, 99, Map.of("memory", "/sys/fs/cgroup/memory/c1"), true);
    }

    @Test
    void createSendsTheContainerProcessStateAsRuncDoes() {
        Spec spec = spec("""
                {"defaultAction":"SCMP_ACT_ALLOW","listenerPath":"/run/agent.sock",
                 "listenerMetadata":"MKNOD=/dev/null,/dev/net/tun;quote=\\"",
                 "syscalls":[{"names":["mkdir"],"action":"SCMP_ACT_NOTIFY"}]}""");
        Map<String, String> ann = new LinkedHashMap<>();
        ann.put("myKey", "myValue");
        SeccompProgram p = Seccomp.withListenerState(Seccomp.compile(spec, w -> { }), spec, state(ann));
        assertEquals(PlanBuilder.FD_SECCOMP_LISTENER, p.listenerFd());
        // the runtime-spec's example (config-linux.md), which is also what runc sends at create;
        // none of jruntime's own state fields (rootfs, created)
        assertEquals("{\"ociVersion\":\"1.3.0\",\"fds\":[\"seccompFd\"],\"pid\":4422,"
                + "\"metadata\":\"MKNOD=/dev/null,/dev/net/tun;quote=\\\"\","
                + "\"state\":{\"ociVersion\":\"1.3.0\",\"id\":\"c1\",\"status\":\"creating\",\"pid\":4422,"
                + "\"bundle\":\"/containers/redis\",\"annotations\":{\"myKey\":\"myValue\"}}}", p.message());
        assertEquals("/run/agent.sock", Seccomp.listenerPath(p, spec));
    }

    @Test
    void metadataAndAnnotationsAreLeftOutWhenEmpty() {
        Spec spec = spec("""
                {"defaultAction":"SCMP_ACT_ALLOW","listenerPath":"/run/agent.sock",
                 "syscalls":[{"names":["mkdir"],"action":"SCMP_ACT_NOTIFY"}]}""");
        SeccompProgram p = Seccomp.withListenerState(Seccomp.compile(spec, w -> { }), spec, state(Map.of()));
        assertEquals("{\"ociVersion\":\"1.3.0\",\"fds\":[\"seccompFd\"],\"pid\":4422,"
                + "\"state\":{\"ociVersion\":\"1.3.0\",\"id\":\"c1\",\"status\":\"creating\",\"pid\":4422,"
                + "\"bundle\":\"/containers/redis\"}}", p.message());
    }

    @Test
    void execNamesItsOwnProcessAndARunningContainer() {
        Spec spec = spec("""
                {"defaultAction":"SCMP_ACT_ALLOW","listenerPath":"/run/agent.sock","listenerMetadata":"m",
                 "syscalls":[{"names":["mkdir"],"action":"SCMP_ACT_NOTIFY"}]}""");
        SeccompProgram p = Seccomp.withExecListenerState(Seccomp.compile(spec, w -> { }), spec, state(null), 5000);
        assertEquals("{\"ociVersion\":\"1.3.0\",\"fds\":[\"seccompFd\"],\"pid\":5000,\"metadata\":\"m\","
                + "\"state\":{\"ociVersion\":\"1.3.0\",\"id\":\"c1\",\"status\":\"running\",\"pid\":4422,"
                + "\"bundle\":\"/containers/redis\"}}", p.message());
    }

    @Test
    void withoutNotifyTheListenerPathIsIgnored() {
        Spec spec = spec("""
                {"defaultAction":"SCMP_ACT_ALLOW","listenerPath":"/run/agent.sock","listenerMetadata":"m",
                 "syscalls":[{"names":["mkdir"],"action":"SCMP_ACT_ERRNO"}]}""");
        SeccompProgram p = Seccomp.compile(spec, w -> { });
        assertEquals(-1, p.listenerFd());
        assertNull(Seccomp.listenerPath(p, spec));
        assertEquals(p, Seccomp.withListenerState(p, spec, state(null)));
        assertEquals(p, Seccomp.withExecListenerState(p, spec, state(null), 5000));
    }
}

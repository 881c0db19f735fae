package dev.jruntime.spec;

import static dev.jruntime.spec.ConfigFixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The state and features schemas (the config schemas are exercised by ConfigLoaderTest). */
class SchemaFilesTest {

    @Test
    void stateSchema() {
        assertEquals(List.of(), ConfigLoader.schemaProblems("state-schema.json", json("""
                {"ociVersion": "1.3.0", "id": "c1", "status": "running", "pid": 4242, "bundle": "/b",
                 "rootfs": "/b/rootfs", "created": "2026-11-23T02:00:00Z", "annotations": {"a": "b"}}""")));
        assertEquals(List.of("/status: string \"paused\" is not one of: creating, created, running, stopped"),
                ConfigLoader.schemaProblems("state-schema.json", json("""
                {"ociVersion": "1.3.0", "id": "c1", "status": "paused", "bundle": "/b"}""")));
        assertEquals(List.of("/bundle: required field missing", "/pid: must be >= 0, found -1"),
                ConfigLoader.schemaProblems("state-schema.json", json("""
                {"ociVersion": "1.3.0", "id": "c1", "status": "stopped", "pid": -1}""")));
    }

    @Test
    void featuresSchema() {
        assertEquals(List.of(), ConfigLoader.schemaProblems("features-schema.json", json("""
                {"ociVersionMin": "1.0.0", "ociVersionMax": "1.3.0",
                 "hooks": ["prestart", "createRuntime"], "mountOptions": ["ro", "rbind"],
                 "linux": {"namespaces": ["pid", "time"], "capabilities": ["CAP_KILL"],
                           "cgroup": {"v1": true, "v2": true, "systemd": false, "systemdUser": false, "rdma": false},
                           "seccomp": {"enabled": true, "actions": ["SCMP_ACT_ALLOW"], "operators": ["SCMP_CMP_EQ"],
                                       "archs": ["SCMP_ARCH_X86_64"], "knownFlags": ["SECCOMP_FILTER_FLAG_LOG"],
                                       "supportedFlags": ["SECCOMP_FILTER_FLAG_LOG"]},
                           "apparmor": {"enabled": false}, "selinux": {"enabled": false},
                           "intelRdt": {"enabled": false}, "mountExtensions": {"idmap": {"enabled": false}},
                           "netDevices": {"enabled": false}},
                 "annotations": {"io.github.jruntime.version": "0.1.0"},
                 "potentiallyUnsafeConfigAnnotations": []}""")));
        assertEquals(List.of("/linux/namespaces/0: string \"net\" is not one of: pid, network, mount, ipc, uts, user, cgroup, time",
                        "/ociVersionMax: required field missing"),
                ConfigLoader.schemaProblems("features-schema.json", json("""
                {"ociVersionMin": "1.0.0", "linux": {"namespaces": ["net"]}}""")));
    }
}

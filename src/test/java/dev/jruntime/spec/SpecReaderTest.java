package dev.jruntime.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * {@link SpecReader} maps by hand what Jackson databind would map by reflection: both must give
 * equal records for configs that use every field, so a field the reader forgets fails here.
 */
class SpecReaderTest {

    /** A config that sets every field of the model (validity does not matter here). */
    static final String EVERYTHING = """
            {
              "ociVersion": "1.3.0",
              "process": {
                "terminal": true, "consoleSize": {"height": 24, "width": 80}, "cwd": "/", "env": ["A=1"],
                "args": ["sh"], "commandLine": "sh", "rlimits": [{"type": "RLIMIT_CORE", "soft": 18446744073709551615, "hard": 18446744073709551615}],
                "apparmorProfile": "p",
                "capabilities": {"bounding": ["CAP_KILL"], "effective": ["CAP_KILL"], "inheritable": [], "permitted": ["CAP_KILL"], "ambient": ["CAP_KILL"]},
                "noNewPrivileges": true, "oomScoreAdj": -500,
                "scheduler": {"policy": "SCHED_DEADLINE", "nice": 1, "priority": 0, "flags": ["SCHED_FLAG_RECLAIM"], "runtime": 1, "deadline": 2, "period": 3},
                "selinuxLabel": "s", "ioPriority": {"class": "IOPRIO_CLASS_BE", "priority": 4},
                "execCPUAffinity": {"initial": "0", "final": "1"},
                "user": {"uid": 1, "gid": 2, "umask": 18, "additionalGids": [3, 4], "username": "u"}
              },
              "root": {"path": "rootfs", "readonly": false},
              "hostname": "h", "domainname": "d",
              "mounts": [{"destination": "/x", "source": "/y", "options": ["rbind"], "type": "bind",
                          "uidMappings": [{"containerID": 0, "hostID": 1, "size": 2}], "gidMappings": [{"containerID": 3, "hostID": 4, "size": 5}]}],
              "hooks": {
                "prestart": [{"path": "/a", "args": ["a"], "env": ["E=1"], "timeout": 5}],
                "createRuntime": [{"path": "/b"}], "createContainer": [{"path": "/c"}], "startContainer": [{"path": "/d"}],
                "poststart": [{"path": "/e"}], "poststop": [{"path": "/f"}]
              },
              "annotations": {"k": "v", "dev.jruntime.init": "true"},
              "linux": {
                "namespaces": [{"type": "user"}, {"type": "network", "path": "/run/netns/x"}],
                "uidMappings": [{"containerID": 0, "hostID": 1000, "size": 1}],
                "gidMappings": [{"containerID": 0, "hostID": 1000, "size": 1}],
                "timeOffsets": {"monotonic": {"secs": -5, "nanosecs": 7}},
                "devices": [{"type": "c", "path": "/dev/fuse", "major": 10, "minor": 229, "fileMode": 438, "uid": 0, "gid": 0}],
                "netDevices": {"eth1": {"name": "eth0"}},
                "cgroupsPath": "/a/b",
                "resources": {
                  "devices": [{"allow": true, "type": "c", "major": 1, "minor": 3, "access": "rw"}],
                  "memory": {"limit": 1, "reservation": 2, "swap": 3, "kernel": 4, "kernelTCP": 5, "swappiness": 6,
                             "disableOOMKiller": true, "useHierarchy": false, "checkBeforeUpdate": true},
                  "cpu": {"shares": 1, "quota": 2, "burst": 3, "period": 4, "realtimeRuntime": 5, "realtimePeriod": 6,
                          "cpus": "0", "mems": "0", "idle": 1},
                  "pids": {"limit": 9},
                  "blockIO": {"weight": 10, "leafWeight": 20,
                              "weightDevice": [{"major": 8, "minor": 0, "weight": 30, "leafWeight": 40}],
                              "throttleReadBpsDevice": [{"major": 8, "minor": 0, "rate": 1}],
                              "throttleWriteBpsDevice": [{"major": 8, "minor": 0, "rate": 2}],
                              "throttleReadIOPSDevice": [{"major": 8, "minor": 0, "rate": 3}],
                              "throttleWriteIOPSDevice": [{"major": 8, "minor": 0, "rate": 4}]},
                  "hugepageLimits": [{"pageSize": "2MB", "limit": 1048576}],
                  "network": {"classID": 7, "priorities": [{"name": "eth0", "priority": 1}]},
                  "rdma": {"mlx5_1": {"hcaHandles": 3, "hcaObjects": 10000}},
                  "unified": {"memory.high": "max"}
                },
                "rootfsPropagation": "rslave",
                "seccomp": {"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1, "architectures": ["SCMP_ARCH_X86_64"],
                            "flags": ["SECCOMP_FILTER_FLAG_LOG"], "listenerPath": "/run/l.sock", "listenerMetadata": "m",
                            "syscalls": [{"names": ["kill"], "action": "SCMP_ACT_ERRNO", "errnoRet": 3,
                                          "args": [{"index": 1, "value": 2, "valueTwo": 3, "op": "SCMP_CMP_MASKED_EQ"}]}]},
                "sysctl": {"net.ipv4.ip_forward": "1"},
                "maskedPaths": ["/proc/kcore"], "readonlyPaths": ["/proc/sys"], "mountLabel": "l",
                "intelRdt": {"closID": "c", "l3CacheSchema": "L3:0=f", "memBwSchema": "MB:0=50", "schemata": ["L2:0=3"],
                             "enableMonitoring": true, "enableCMT": true, "enableMBM": false},
                "memoryPolicy": {"mode": "MPOL_BIND", "nodes": "0-1", "flags": ["MPOL_F_STATIC_NODES"]},
                "personality": {"domain": "LINUX32", "flags": []}
              },
              "solaris": {"milestone": "m"}, "windows": {"layerFolders": []}, "vm": {"hypervisor": {}}, "zos": {}
            }
            """;

    @Test
    void readerMatchesJacksonOnEveryField() throws Exception {
        JsonNode tree = ConfigLoader.mapper().readTree(EVERYTHING);
        Spec byHand = SpecReader.spec(tree);
        Spec byJackson = ConfigLoader.mapper().treeToValue(tree, Spec.class);
        assertEquals(byJackson, byHand);
        assertEquals(-1L, byHand.process().rlimits().get(0).soft());
    }

    @Test
    void readerMatchesJacksonOnFixtures() throws Exception {
        for (byte[] raw : new byte[][] {
                ConfigFixtures.resource("podman-config.json"),
                ConfigFixtures.resource("ctr-config.json"),
                ConfigFixtures.utf8(DefaultConfig.text())}) {
            JsonNode tree = ConfigLoader.mapper().readTree(raw);
            assertEquals(ConfigLoader.mapper().treeToValue(tree, Spec.class), SpecReader.spec(tree));
        }
    }
}

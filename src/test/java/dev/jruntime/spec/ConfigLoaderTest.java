package dev.jruntime.spec;

import static dev.jruntime.spec.ConfigFixtures.resource;
import static dev.jruntime.spec.ConfigFixtures.utf8;
import static dev.jruntime.spec.ConfigFixtures.with;
import static dev.jruntime.spec.ConfigFixtures.without;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jruntime.JrError;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    /** Loads {@code raw} expecting an error; returns the message. */
    private static String error(byte[] raw) {
        JrError e = assertThrows(JrError.class, () -> ConfigLoader.parse(raw));
        return e.getMessage();
    }

    /** Asserts the error's first problem is at {@code pointer} and its rule contains {@code why}. */
    private static void assertProblem(byte[] raw, String pointer, String why) {
        String msg = error(raw);
        String prefix = "config.json: " + pointer + ": ";
        assertTrue(msg.startsWith(prefix), () -> "expected " + prefix + "… got: " + msg);
        String first = msg.substring(prefix.length()).split("; ")[0];
        assertTrue(first.contains(why), () -> "expected the rule to say '" + why + "', got: " + msg);
    }

    // ---- valid configs ----

    @Test
    void defaultConfigLoads() {
        LoadedConfig c = ConfigLoader.parse(utf8(DefaultConfig.text()));
        Spec s = c.spec();
        assertEquals("1.3.0", s.ociVersion());
        assertEquals(List.of("sh"), s.process().args());
        assertTrue(s.process().terminal());
        assertEquals("rootfs", s.root().path());
        assertTrue(s.root().readonly());
        assertEquals(List.of("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"), s.process().capabilities().bounding());
        assertEquals(new ProcessSpec.Rlimit("RLIMIT_NOFILE", 1024L, 1024L), s.process().rlimits().get(0));
        assertEquals(7, s.mounts().size());
        assertEquals("/sys/fs/cgroup", s.mounts().get(6).destination());
        assertEquals(List.of("pid", "network", "ipc", "uts", "mount", "cgroup"),
                s.linux().namespaces().stream().map(LinuxSpec.Namespace::type).toList());
        assertEquals(new Resources.DeviceRule(false, null, null, null, "rwm"), s.linux().resources().devices().get(0));
        assertTrue(s.linux().maskedPaths().contains("/proc/kcore"));
        assertTrue(s.linux().readonlyPaths().contains("/proc/sys"));
        assertEquals(List.of(), c.warnings());
        assertTrue(DefaultConfig.text().endsWith("}\n"));
    }

    @Test
    void loadReadsTheBundle(@TempDir Path bundle) throws Exception {
        Files.writeString(bundle.resolve("config.json"), DefaultConfig.text());
        LoadedConfig c = ConfigLoader.load(bundle);
        assertEquals(DefaultConfig.text(), new String(c.raw(), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void deferredLoadGivesTheConfigAndAPassingSchemaCheck(@TempDir Path bundle) throws Exception {
        Files.writeString(bundle.resolve("config.json"), DefaultConfig.text());
        ConfigLoader.Deferred d = ConfigLoader.loadDeferred(bundle);
        d.awaitSchema();
        assertEquals(List.of("sh"), d.config().spec().process().args());
    }

    /** Whichever step finds it first, the deferred load reports what the check-first load does. */
    @Test
    void deferredLoadReportsWhatTheCheckFirstLoadReports(@TempDir Path bundle) throws Exception {
        List<byte[]> bad = List.of(
                with("/process/terminal", "\"yes\""),                     // the mapping trips too
                with("/process/user/uid", "-1"),                           // the schema alone
                with("/process/capabilities/permitted/1", "\"CAP_FOO\""), // semantic check alone
                with("/linux/resources/memory/limit", "\"1G\""),
                utf8("{\"ociVersion\": 1"));                              // syntax
        for (byte[] raw : bad) {
            String expected = error(raw);
            Files.write(bundle.resolve("config.json"), raw);
            JrError e = assertThrows(JrError.class, () -> ConfigLoader.loadDeferred(bundle).awaitSchema());
            assertEquals(expected, e.getMessage());
            ConfigLoader.Deferred d;
            try {
                d = ConfigLoader.loadDeferred(bundle);
            } catch (JrError early) {
                continue;
            }
            // an error found meanwhile (here: a made-up one) yields to the schema's
            RuntimeException later = d.orSchemaError(JrError.of("rootfs missing"));
            assertEquals(expected, later.getMessage());
        }
    }

    @Test
    void missingConfigFileSaysSo(@TempDir Path bundle) {
        JrError e = assertThrows(JrError.class, () -> ConfigLoader.load(bundle));
        assertEquals("read " + bundle.resolve("config.json") + ": no such file or directory", e.getMessage());
    }

    @Test
    void podmanLikeConfig() {
        LoadedConfig c = ConfigLoader.parse(resource("podman-config.json"));
        Spec s = c.spec();
        assertEquals(18L, s.process().user().umask());
        // uint64 RLIM_INFINITY is held as its bit pattern
        ProcessSpec.Rlimit core = s.process().rlimits().get(2);
        assertEquals("RLIMIT_CORE", core.type());
        assertEquals(Rlimits.INFINITY, core.soft());
        assertEquals("18446744073709551615", Long.toUnsignedString(core.hard()));
        LinuxSpec.Seccomp sc = s.linux().seccomp();
        assertEquals("SCMP_ACT_ERRNO", sc.defaultAction());
        assertEquals(38L, sc.defaultErrnoRet());
        assertEquals(List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"), sc.architectures());
        assertEquals(new LinuxSpec.SyscallArg(0L, 2114060288L, 0L, "SCMP_CMP_MASKED_EQ"), sc.syscalls().get(4).args().get(0));
        assertEquals(4294967295L, sc.syscalls().get(3).args().get(0).value());
        Resources r = s.linux().resources();
        assertEquals(268435456L, r.memory().limit());
        assertEquals(536870912L, r.memory().swap());
        assertEquals(50000L, r.cpu().quota());
        assertEquals(100000L, r.cpu().period());
        assertEquals("0-1", r.cpu().cpus());
        assertEquals(2048L, r.pids().limit());
        Spec.Mount cg = s.mounts().get(8);
        assertEquals("cgroup", cg.type());
        assertEquals("/sys/fs/cgroup", cg.destination());
        assertEquals("/run/netns/netns-1234", s.linux().namespaces().get(1).path());
        assertEquals("0 0", s.linux().sysctl().get("net.ipv4.ping_group_range"));
        assertEquals("libpod", s.annotations().get("io.container.manager"));
        assertEquals(List.of(), c.warnings());
    }

    @Test
    void containerdLikeConfig() {
        Spec s = ConfigLoader.parse(resource("ctr-config.json")).spec();
        assertEquals("/default/ctr-test-1", s.linux().cgroupsPath());
        assertEquals(List.of("sleep", "30"), s.process().args());
        assertEquals("", s.hostname());
        assertNull(s.root().readonly());
        Resources.DeviceRule pts = s.linux().resources().devices().get(8);
        assertEquals(new Resources.DeviceRule(true, "c", 136L, null, "rwm"), pts);
        assertTrue(s.process().noNewPrivileges());
        assertEquals(14, s.process().capabilities().effective().size());
    }

    @Test
    void unknownPropertiesAreIgnored() {
        LoadedConfig c = ConfigLoader.parse(with("/process/someFutureField", "{\"x\": 1}"));
        assertEquals(List.of("sh"), c.spec().process().args());
    }

    // ---- syntax ----

    @Test
    void badJsonHasLineAndColumn() {
        String text = "{\n  \"ociVersion\": \"1.3.0\",\n  \"process\": {\n    \"cwd\": \"/\",,\n  }\n}\n";
        String msg = error(utf8(text));
        assertTrue(msg.startsWith("config.json: line 4, column 16: "), msg);
        assertTrue(msg.endsWith("a member name expected"), msg);
    }

    @Test
    void truncatedJson() {
        String msg = error(utf8("{\"ociVersion\": \"1.3.0\", \"process\": {"));
        assertTrue(msg.startsWith("config.json: line 1, column "), msg);
        assertTrue(msg.contains("unexpected end of input"), msg);
    }

    @Test
    void trailingGarbage() {
        String msg = error(utf8(DefaultConfig.text() + "}"));
        assertTrue(msg.startsWith("config.json: line "), msg);
    }

    @Test
    void emptyFile() {
        assertEquals("config.json: empty file, a JSON object expected", error(new byte[0]));
    }

    @Test
    void topLevelMustBeAnObject() {
        assertEquals("config.json: /: object expected, found array", error(utf8("[1, 2]")));
    }

    // ---- schema: types, required fields, enums ----

    @Test
    void memoryLimitAsString() {
        assertEquals("config.json: /linux/resources/memory/limit: integer expected, found string \"1G\"",
                error(with("/linux/resources/memory/limit", "\"1G\"")));
    }

    @Test
    void terminalAsString() {
        assertProblem(with("/process/terminal", "\"yes\""), "/process/terminal", "boolean (true or false) expected, found string \"yes\"");
    }

    @Test
    void argsAsString() {
        assertProblem(with("/process/args", "\"sh -c true\""), "/process/args", "array expected, found string");
    }

    @Test
    void missingOciVersion() {
        assertEquals("config.json: /ociVersion: required field missing", error(without("/ociVersion")));
    }

    @Test
    void missingCwd() {
        assertEquals("config.json: /process/cwd: required field missing", error(without("/process/cwd")));
    }

    @Test
    void missingUid() {
        assertProblem(without("/process/user/uid"), "/process/user/uid", "required field missing");
    }

    @Test
    void missingMountDestination() {
        assertProblem(without("/mounts/2/destination"), "/mounts/2/destination", "required field missing");
    }

    @Test
    void negativeUid() {
        assertProblem(with("/process/user/uid", "-1"), "/process/user/uid", "must be >= 0, found -1");
    }

    @Test
    void rlimitTypeNotUpperCase() {
        assertProblem(with("/process/rlimits/0/type", "\"nofile\""), "/process/rlimits/0/type",
                "string \"nofile\" does not match ^RLIMIT_[A-Z]+$");
    }

    @Test
    void rlimitMissingHard() {
        assertProblem(without("/process/rlimits/0/hard"), "/process/rlimits/0/hard", "required field missing");
    }

    @Test
    void badNamespaceType() {
        assertProblem(with("/linux/namespaces/1", "{\"type\": \"net\"}"), "/linux/namespaces/1/type",
                "string \"net\" is not one of: pid, network, mount, ipc, uts, user, cgroup, time");
    }

    @Test
    void badDeviceType() {
        assertProblem(with("/linux/devices", "[{\"type\": \"x\", \"path\": \"/dev/x\", \"major\": 1, \"minor\": 1}]"),
                "/linux/devices/0/type", "string \"x\" is not one of: c, b, u, p");
    }

    @Test
    void badSeccompAction() {
        assertProblem(with("/linux/seccomp", "{\"defaultAction\": \"SCMP_ACT_DENY\"}"), "/linux/seccomp/defaultAction",
                "is not one of: SCMP_ACT_KILL");
    }

    @Test
    void badSeccompOperator() {
        assertProblem(with("/linux/seccomp", """
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["kill"], "action": "SCMP_ACT_ERRNO",
                 "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_IS"}]}]}"""),
                "/linux/seccomp/syscalls/0/args/0/op", "\"SCMP_CMP_IS\" is not one of");
    }

    @Test
    void badRootfsPropagation() {
        assertProblem(with("/linux/rootfsPropagation", "\"rbind\""), "/linux/rootfsPropagation", "is not one of: private");
    }

    @Test
    void badPersonalityDomain() {
        assertProblem(with("/linux/personality", "{\"domain\": \"BSD\"}"), "/linux/personality/domain", "is not one of: LINUX, LINUX32");
    }

    @Test
    void hookTimeoutZero() {
        assertProblem(with("/hooks/poststart", "[{\"path\": \"/bin/true\", \"timeout\": 0}]"), "/hooks/poststart/0/timeout",
                "must be >= 1, found 0");
    }

    @Test
    void oomScoreAdjOutOfRange() {
        assertProblem(with("/process/oomScoreAdj", "1001"), "/process/oomScoreAdj", "must be <= 1000");
    }

    @Test
    void integralNumbersWrittenWithAFractionAreIntegers() {
        // draft-07 (and JSON) do not tell 2 from 2.0; 1.8446744073709551615e19 is 2^64-1 rounded up to 2^64
        Spec s = ConfigLoader.parse(with("/process/user/uid", "2.0")).spec();
        assertEquals(2L, s.process().user().uid());
        assertProblem(with("/process/user/uid", "2.5"), "/process/user/uid", "integer expected, found number 2.5");
        assertProblem(with("/process/rlimits/0/hard", "1.8446744073709551615e19"), "/process/rlimits/0/hard",
                "must be <= 18446744073709551615, found 18446744073709551616");
    }

    @Test
    void uint64OutOfRange() {
        assertProblem(with("/process/rlimits/0/hard", "18446744073709551616"), "/process/rlimits/0/hard", "must be <= 18446744073709551615");
    }

    @Test
    void severalProblemsAreListedMostSpecificFirst() {
        var root = ConfigFixtures.defaultTree();
        ConfigFixtures.set(root, "/process/user/uid", ConfigFixtures.json("\"root\""));
        ConfigFixtures.set(root, "/hostname", ConfigFixtures.json("7"));
        String msg = error(ConfigFixtures.bytes(root));
        assertEquals("config.json: /process/user/uid: integer expected, found string \"root\"; /hostname: string expected, found integer 7", msg);
    }

    // ---- semantic checks ----

    @Test
    void unknownRlimit() {
        assertProblem(with("/process/rlimits/0/type", "\"RLIMIT_FOO\""), "/process/rlimits/0/type",
                "\"RLIMIT_FOO\" is not a Linux rlimit");
    }

    @Test
    void duplicateRlimit() {
        assertProblem(with("/process/rlimits/1", "{\"type\": \"RLIMIT_NOFILE\", \"soft\": 1, \"hard\": 2}"),
                "/process/rlimits/1/type", "duplicate rlimit \"RLIMIT_NOFILE\"");
    }

    @Test
    void rlimitSoftAboveHard() {
        assertProblem(with("/process/rlimits/0/soft", "4096"), "/process/rlimits/0/soft", "must not exceed hard (1024), found 4096");
    }

    @Test
    void unknownCapability() {
        assertProblem(with("/process/capabilities/permitted/1", "\"CAP_FOO\""), "/process/capabilities/permitted/1",
                "\"CAP_FOO\" is not a known capability");
    }

    @Test
    void capabilityWithoutPrefix() {
        assertProblem(with("/process/capabilities/bounding/0", "\"KILL\""), "/process/capabilities/bounding/0",
                "\"KILL\" is not a known capability");
    }

    @Test
    void duplicateNamespace() {
        assertProblem(with("/linux/namespaces/6", "{\"type\": \"pid\"}"), "/linux/namespaces/6/type", "duplicate namespace \"pid\"");
    }

    @Test
    void relativeNamespacePath() {
        assertProblem(with("/linux/namespaces/1/path", "\"netns/x\""), "/linux/namespaces/1/path", "must be an absolute path");
    }

    @Test
    void relativeMountDestination() {
        assertProblem(with("/mounts/0/destination", "\"proc\""), "/mounts/0/destination", "must be an absolute path, found \"proc\"");
    }

    @Test
    void bindMountWithoutSource() {
        assertProblem(with("/mounts/7", "{\"destination\": \"/data\", \"options\": [\"rbind\", \"ro\"]}"),
                "/mounts/7/source", "required for a bind mount");
    }

    @Test
    void charDeviceWithoutMajor() {
        assertProblem(with("/linux/devices", "[{\"type\": \"c\", \"path\": \"/dev/null\", \"minor\": 3}]"),
                "/linux/devices/0/major", "required for a c device");
    }

    @Test
    void deviceFileModeWithTypeBits() {
        assertProblem(with("/linux/devices", "[{\"type\": \"c\", \"path\": \"/dev/null\", \"major\": 1, \"minor\": 3, \"fileMode\": 8630}]"),
                "/linux/devices/0/fileMode", "must be permission bits only (<= 07777), found 020666");
    }

    @Test
    void relativeDevicePath() {
        assertProblem(with("/linux/devices", "[{\"type\": \"p\", \"path\": \"fifo\"}]"), "/linux/devices/0/path", "must be an absolute path");
    }

    @Test
    void hostnameWithoutUtsNamespace() {
        assertProblem(without("/linux/namespaces/3"), "/hostname", "needs a new uts namespace");
    }

    @Test
    void hostnameWithJoinedUtsNamespace() {
        assertProblem(with("/linux/namespaces/3/path", "\"/proc/1/ns/uts\""), "/hostname", "needs a new uts namespace");
    }

    @Test
    void timeOffsetsWithoutTimeNamespace() {
        assertProblem(with("/linux/timeOffsets", "{\"monotonic\": {\"secs\": 10}}"), "/linux/timeOffsets", "needs a new time namespace");
    }

    @Test
    void uidMappingsWithoutUserNamespace() {
        assertProblem(with("/linux/uidMappings", "[{\"containerID\": 0, \"hostID\": 1000, \"size\": 1}]"),
                "/linux/uidMappings", "only allowed with a new user namespace");
    }

    @Test
    void userNamespaceWithoutMappings() {
        assertProblem(with("/linux/namespaces/6", "{\"type\": \"user\"}"), "/linux/uidMappings", "required when a new user namespace is created");
    }

    @Test
    void userNamespaceWithMappings() {
        var root = ConfigFixtures.defaultTree();
        ConfigFixtures.set(root, "/linux/namespaces/6", ConfigFixtures.json("{\"type\": \"user\"}"));
        ConfigFixtures.set(root, "/linux/uidMappings", ConfigFixtures.json("[{\"containerID\": 0, \"hostID\": 100000, \"size\": 65536}]"));
        ConfigFixtures.set(root, "/linux/gidMappings", ConfigFixtures.json("[{\"containerID\": 0, \"hostID\": 100000, \"size\": 65536}]"));
        Spec s = ConfigLoader.parse(ConfigFixtures.bytes(root)).spec();
        assertEquals(new LinuxSpec.IdMapping(0L, 100000L, 65536L), s.linux().gidMappings().get(0));
    }

    @Test
    void hostSysctlRejected() {
        assertProblem(with("/linux/sysctl", "{\"kernel.panic\": \"1\"}"), "/linux/sysctl/kernel.panic", "not a namespaced sysctl");
    }

    @Test
    void netSysctlNeedsNetworkNamespace() {
        var root = ConfigFixtures.defaultTree();
        ((com.fasterxml.jackson.databind.node.ArrayNode) root.at("/linux/namespaces")).remove(1);
        ConfigFixtures.set(root, "/linux/sysctl", ConfigFixtures.json("{\"net.ipv4.ip_forward\": \"1\"}"));
        assertProblem(ConfigFixtures.bytes(root), "/linux/sysctl/net.ipv4.ip_forward", "needs a network namespace");
    }

    @Test
    void namespacedSysctlsAccepted() {
        Spec s = ConfigLoader.parse(with("/linux/sysctl",
                "{\"net.ipv4.ip_forward\": \"1\", \"kernel.shmmax\": \"1024\", \"fs.mqueue.msg_max\": \"20\", \"kernel.domainname\": \"x\"}")).spec();
        assertEquals(4, s.linux().sysctl().size());
    }

    @Test
    void emptyArgs() {
        assertProblem(with("/process/args", "[]"), "/process/args", "at least one argument");
    }

    @Test
    void relativeCwd() {
        assertProblem(with("/process/cwd", "\"tmp\""), "/process/cwd", "must be an absolute path, found \"tmp\"");
    }

    @Test
    void envWithoutEquals() {
        assertProblem(with("/process/env/1", "\"TERM\""), "/process/env/1", "must be KEY=value, found \"TERM\"");
    }

    @Test
    void ociVersionMajorTwo() {
        assertProblem(with("/ociVersion", "\"2.0.0\""), "/ociVersion", "jruntime implements runtime-spec 1.x");
    }

    @Test
    void ociVersionNotSemver() {
        assertProblem(with("/ociVersion", "\"latest\""), "/ociVersion", "must be a SemVer version");
    }

    @Test
    void missingRoot() {
        assertProblem(without("/root"), "/root", "required field missing");
    }

    @Test
    void missingProcess() {
        assertProblem(without("/process"), "/process", "required field missing");
    }

    @Test
    void relativeHookPath() {
        assertProblem(with("/hooks/createRuntime", "[{\"path\": \"hook.sh\"}]"), "/hooks/createRuntime/0/path", "must be an absolute path");
    }

    @Test
    void relativeMaskedPath() {
        assertProblem(with("/linux/maskedPaths/0", "\"proc/acpi\""), "/linux/maskedPaths/0", "must be an absolute path");
    }

    @Test
    void seccompNotifyNeedsListener() {
        assertProblem(with("/linux/seccomp", """
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mount"], "action": "SCMP_ACT_NOTIFY"}]}"""),
                "/linux/seccomp/listenerPath", "required when an action is SCMP_ACT_NOTIFY");
    }

    @Test
    void seccompErrnoRetWithAllow() {
        assertProblem(with("/linux/seccomp", """
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mount"], "action": "SCMP_ACT_ALLOW", "errnoRet": 1}]}"""),
                "/linux/seccomp/syscalls/0/errnoRet", "only allowed with SCMP_ACT_ERRNO or SCMP_ACT_TRACE");
    }

    @Test
    void seccompArgIndex() {
        assertProblem(with("/linux/seccomp", """
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["kill"], "action": "SCMP_ACT_ERRNO",
                 "args": [{"index": 6, "value": 1, "op": "SCMP_CMP_EQ"}]}]}"""),
                "/linux/seccomp/syscalls/0/args/0/index", "a system call has arguments 0 to 5");
    }

    @Test
    void badCpuList() {
        assertProblem(with("/linux/resources/cpu/cpus", "\"0-2,x\""), "/linux/resources/cpu/cpus", "must be a list like 0-2,4, found \"0-2,x\"");
    }

    @Test
    void reversedCpuRange() {
        assertProblem(with("/linux/resources/cpu/mems", "\"3-1\""), "/linux/resources/cpu/mems", "range 3-1 is reversed");
    }

    @Test
    void swapBelowLimit() {
        assertProblem(with("/linux/resources/memory", "{\"limit\": 1000000, \"swap\": 500000}"), "/linux/resources/memory/swap",
                "must be at least the memory limit");
    }

    @Test
    void zeroMemoryLimit() {
        assertProblem(with("/linux/resources/memory", "{\"limit\": 0}"), "/linux/resources/memory/limit",
                "must be a positive number of bytes or -1");
    }

    @Test
    void deviceRuleAccess() {
        assertProblem(with("/linux/resources/devices/0/access", "\"rwx\""), "/linux/resources/devices/0/access",
                "\"rwx\" is not made of r, w and m");
    }

    @Test
    void deviceRuleType() {
        assertProblem(with("/linux/resources/devices/0/type", "\"u\""), "/linux/resources/devices/0/type",
                "\"u\" is not a device rule type (a, c or b)");
    }

    @Test
    void unifiedKeyEscapingTheCgroup() {
        assertProblem(with("/linux/resources/unified", "{\"../memory.max\": \"1\"}"), "/linux/resources/unified/..~1memory.max",
                "must be a cgroup file name");
    }

    @Test
    void schedulerPriorityForOther() {
        assertProblem(with("/process/scheduler", "{\"policy\": \"SCHED_OTHER\", \"priority\": 10}"), "/process/scheduler/priority",
                "must be 0 for SCHED_OTHER");
    }

    @Test
    void ioPriorityRange() {
        assertProblem(with("/process/ioPriority", "{\"class\": \"IOPRIO_CLASS_BE\", \"priority\": 9}"), "/process/ioPriority/priority",
                "must be between 0 and 7");
    }

    @Test
    void initAnnotation() {
        assertProblem(with("/annotations", "{\"dev.jruntime.init\": \"yes\"}"), "/annotations/dev.jruntime.init",
                "must be \"true\" or \"false\"");
    }

    // ---- fields jruntime cannot honour ----

    @Test
    void intelRdtUnsupported() {
        assertEquals("config.json: /linux/intelRdt: not supported by jruntime (no resctrl)",
                error(with("/linux/intelRdt", "{\"closID\": \"guaranteed_group\"}")));
    }

    @Test
    void netDevicesUnsupported() {
        assertProblem(with("/linux/netDevices", "{\"eth1\": {\"name\": \"eth0\"}}"), "/linux/netDevices", "not supported by jruntime");
    }

    @Test
    void memoryPolicyUnsupported() {
        assertProblem(with("/linux/memoryPolicy", "{\"mode\": \"MPOL_BIND\", \"nodes\": \"0\"}"), "/linux/memoryPolicy", "not supported by jruntime");
    }

    @Test
    void execCpuAffinityUnsupported() {
        assertProblem(with("/process/execCPUAffinity", "{\"initial\": \"0\"}"), "/process/execCPUAffinity", "not supported by jruntime");
    }

    @Test
    void apparmorUnsupported() {
        assertProblem(with("/process/apparmorProfile", "\"docker-default\""), "/process/apparmorProfile",
                "not supported by jruntime (AppArmor is not enabled on this host)");
    }

    @Test
    void idmappedMountUnsupported() {
        assertProblem(with("/mounts/7", "{\"destination\": \"/data\", \"source\": \"/srv\", \"options\": [\"rbind\", \"idmap\"]}"),
                "/mounts/7/options/1", "not supported by jruntime (id-mapped mounts)");
        assertProblem(with("/mounts/7", "{\"destination\": \"/data\", \"source\": \"/srv\", \"type\": \"bind\", "
                + "\"uidMappings\": [{\"containerID\": 0, \"hostID\": 1, \"size\": 1}]}"),
                "/mounts/7/uidMappings", "not supported by jruntime");
    }

    @Test
    void vmUnsupported() {
        assertProblem(with("/vm", "{\"hypervisor\": {\"path\": \"/usr/bin/qemu\"}}"), "/vm", "not supported by jruntime");
    }

    @Test
    void personalityFlagsUnsupported() {
        assertProblem(with("/linux/personality", "{\"domain\": \"LINUX\", \"flags\": [\"ADDR_NO_RANDOMIZE\"]}"),
                "/linux/personality/flags", "no personality flags");
    }

    // ---- documented warnings ----

    @Test
    void warnings() {
        var root = ConfigFixtures.defaultTree();
        ConfigFixtures.set(root, "/process/selinuxLabel", ConfigFixtures.json("\"system_u:system_r:container_t:s0\""));
        ConfigFixtures.set(root, "/process/commandLine", ConfigFixtures.json("\"sh\""));
        ConfigFixtures.set(root, "/linux/mountLabel", ConfigFixtures.json("\"system_u:object_r:container_file_t:s0\""));
        ConfigFixtures.set(root, "/windows", ConfigFixtures.json("{\"layerFolders\": [\"C:\\\\layers\"]}"));
        ConfigFixtures.set(root, "/solaris", ConfigFixtures.json("{}"));
        ConfigFixtures.set(root, "/zos", ConfigFixtures.json("{}"));
        LoadedConfig c = ConfigLoader.parse(ConfigFixtures.bytes(root));
        List<String> w = c.warnings();
        assertEquals(6, w.size(), w.toString());
        assertTrue(w.contains("config.json: /process/selinuxLabel: SELinux is disabled on this host: label ignored"), w.toString());
        assertTrue(w.contains("config.json: /linux/mountLabel: SELinux is disabled on this host: label ignored"), w.toString());
        assertTrue(w.contains("config.json: /process/commandLine: Windows only: ignored, args is used"), w.toString());
        assertTrue(w.contains("config.json: /windows: settings for Windows are ignored on Linux"), w.toString());
        assertTrue(w.stream().anyMatch(s -> s.startsWith("config.json: /solaris: ")));
        assertTrue(w.stream().anyMatch(s -> s.startsWith("config.json: /zos: ")));
    }

    // ---- exec --process and update --resources ----

    @Test
    void loadProcessFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("process.json");
        Files.writeString(f, """
                {"args": ["ls", "-l"], "cwd": "/tmp", "env": ["A=b"], "terminal": false,
                 "user": {"uid": 1000, "gid": 1000}, "selinuxLabel": "x"}""");
        List<String> warnings = new ArrayList<>();
        ProcessSpec p = ConfigLoader.loadProcess(f, warnings);
        assertEquals(List.of("ls", "-l"), p.args());
        assertEquals(1000L, p.user().uid());
        assertEquals(List.of("process.json: /selinuxLabel: SELinux is disabled on this host: label ignored"), warnings);
    }

    @Test
    void processFileErrorsNameTheFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("exec-1.json");
        Files.writeString(f, "{\"args\": [\"ls\"], \"cwd\": \"/\", \"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"soft\": \"many\", \"hard\": 1}]}");
        JrError e = assertThrows(JrError.class, () -> ConfigLoader.loadProcess(f));
        assertEquals("exec-1.json: /rlimits/0/soft: integer expected, found string \"many\"", e.getMessage());

        Files.writeString(f, "{\"args\": [], \"cwd\": \"/\"}");
        e = assertThrows(JrError.class, () -> ConfigLoader.loadProcess(f));
        assertTrue(e.getMessage().startsWith("exec-1.json: /args: at least one argument"), e.getMessage());

        Files.writeString(f, "{\"args\": [\"ls\"]\n\"cwd\": \"/\"}");
        e = assertThrows(JrError.class, () -> ConfigLoader.loadProcess(f));
        assertTrue(e.getMessage().startsWith("exec-1.json: line 2, column 1: "), e.getMessage());
    }

    @Test
    void loadResourcesFromStream() {
        Resources r = ConfigLoader.loadResources(new ByteArrayInputStream(utf8("""
                {"memory": {"limit": 104857600, "swap": 209715200}, "cpu": {"shares": 512, "cpus": "0"},
                 "pids": {"limit": 100}, "blockIO": {"weight": 500, "throttleReadIOPSDevice": [{"major": 8, "minor": 0, "rate": 100}]}}""")));
        assertEquals(104857600L, r.memory().limit());
        assertEquals(512L, r.cpu().shares());
        assertEquals(100L, r.pids().limit());
        assertEquals(500, r.blockIO().weight());
        assertEquals(new Resources.ThrottleDevice(8L, 0L, 100L), r.blockIO().throttleReadIopsDevice().get(0));
    }

    @Test
    void resourcesErrors() {
        JrError e = assertThrows(JrError.class, () -> ConfigLoader.loadResources("stdin",
                new ByteArrayInputStream(utf8("{\"memory\": {\"limit\": \"1G\"}}"))));
        assertEquals("stdin: /memory/limit: integer expected, found string \"1G\"", e.getMessage());
        e = assertThrows(JrError.class, () -> ConfigLoader.loadResources(
                new ByteArrayInputStream(utf8("{\"cpu\": {\"cpus\": \"a\"}}"))));
        assertEquals("resources: /cpu/cpus: must be a list like 0-2,4, found \"a\"", e.getMessage());
    }

    @Test
    void validatorAloneOnRecords() {
        ConfigValidator.Result r = ConfigValidator.checkProcess(
                new ProcessSpec(null, null, "/", null, List.of("x"), null, null, null, null, null, null, null, null, null, null, null), "");
        assertTrue(r.ok());
        assertFalse(ConfigValidator.checkResources(new Resources(null, new Resources.Memory(-5L, null, null, null, null, null, null, null, null),
                null, null, null, null, null, null, null), "").ok());
    }
}

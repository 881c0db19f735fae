package dev.jruntime.cgroups;

import static org.junit.jupiter.api.Assertions.*;

import dev.jruntime.JrError;
import dev.jruntime.spec.Resources;
import dev.jruntime.spec.Resources.*;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupV1ManagerTest {
    @TempDir Path root;
    FakeCgroupFs fs;
    CgroupHost host;

    @BeforeEach
    void setUp() throws Exception {
        fs = new FakeCgroupFs();
        host = FakeTree.hybrid(root, fs, "/process_api/abc");
    }

    static Resources res(Memory m, Cpu c, Pids p, BlockIO b, List<DeviceRule> devs) {
        return new Resources(devs, m, c, p, b, null, null, null, null);
    }

    static Memory mem(Long limit, Long swap) {
        return new Memory(limit, null, swap, null, null, null, null, null, null);
    }

    static Cpu cpu(Long shares, Long quota, Long period, String cpus, String mems) {
        return new Cpu(shares, quota, null, period, null, null, cpus, mems, null);
    }

    CgroupV1Manager created(String cgroupsPath) {
        var m = (CgroupV1Manager) CgroupManager.open(host, cgroupsPath, "ctr1", false);
        m.create();
        return m;
    }

    String read(Path p) throws Exception {
        return Files.readString(p).trim();
    }

    @Test
    void hostIsHybridWithEveryHierarchy() {
        assertEquals(CgroupHost.Mode.HYBRID, host.mode());
        assertEquals(9, host.hierarchies().size());
        assertEquals("name=systemd", host.hierarchy("name=systemd").name());
        assertEquals("/process_api/abc", host.hierarchy("memory").ownCgroup());
        assertEquals(root.resolve("unified"), host.unified().mountPoint());
    }

    @Test
    void absolutePathIsRelativeToEachHierarchyRoot() {
        var m = created("/k8s/ctr1");
        assertEquals(root.resolve("memory/k8s/ctr1"), m.path("memory"));
        assertEquals(root.resolve("cpu/k8s/ctr1"), m.path("cpu"));
        assertEquals(root.resolve("systemd/k8s/ctr1"), m.path("name=systemd"));
        assertTrue(Files.isDirectory(root.resolve("devices/k8s/ctr1")));
        assertFalse(Files.exists(root.resolve("unified/k8s")), "the cgroup2 mount of a hybrid host is not used");
    }

    @Test
    void relativePathJoinsOwnCgroupPerController() {
        var m = created("pod/ctr1");
        assertEquals(root.resolve("memory/process_api/abc/pod/ctr1"), m.path("memory"));
        assertEquals(root.resolve("pids/pod/ctr1"), m.path("pids"));
    }

    @Test
    void defaultPathIsIdUnderOwnCgroup() {
        var m = created(null);
        assertEquals(root.resolve("memory/process_api/abc/ctr1"), m.path("memory"));
        assertEquals(root.resolve("cpuset/ctr1"), m.path("cpuset"));
    }

    @Test
    void pathsAreCleanedAndCannotEscape() {
        assertEquals("a/b", CgroupPath.of("../../a/./b", "x").inner());
        assertEquals("/a", CgroupPath.of("/../a/b/..", "x").inner());
        assertFalse(CgroupPath.of("x/y", "i").absolute());
        var e = assertThrows(JrError.class, () -> CgroupPath.of("system.slice:docker:abc", "abc"));
        assertTrue(e.getMessage().contains("/linux/cgroupsPath") && e.getMessage().contains("systemd"), e.getMessage());
        assertThrows(JrError.class, () -> CgroupManager.open(host, "/a", "a", true));
        assertThrows(JrError.class, () -> CgroupPath.of("/", "a"));
    }

    @Test
    void cpusetIsCopiedFromParentIntoEveryNewLevel() throws Exception {
        var m = created("/a/b/ctr1");
        assertEquals("0-1", read(root.resolve("cpuset/a/cpuset.cpus")));
        assertEquals("0", read(root.resolve("cpuset/a/b/ctr1/cpuset.mems")));
        assertEquals("0-1", read(m.path("cpuset").resolve("cpuset.cpus")));
        // and the config's value replaces it afterwards
        m.apply(res(null, cpu(null, null, null, "1", "0"), null, null, null));
        assertEquals("1", read(m.path("cpuset").resolve("cpuset.cpus")));
    }

    @Test
    void everyFieldLandsInItsFile() throws Exception {
        var m = created("/t/ctr1");
        var mem = new Memory(64L << 20, 32L << 20, 128L << 20, null, 1L << 20, 10L, true, true, null);
        var c = new Cpu(512L, 50000L, 0L, 100000L, 1000L, 1000000L, "0", "0", 1L);
        var b = new BlockIO(null, null, null, List.of(new ThrottleDevice(8L, 0L, 1048576L)),
                List.of(new ThrottleDevice(8L, 0L, 2097152L)), List.of(new ThrottleDevice(8L, 0L, 100L)),
                List.of(new ThrottleDevice(8L, 0L, 200L)));
        var warnings = m.apply(res(mem, c, new Pids(10L), b, null));
        assertEquals(List.of(), warnings);
        Path md = m.path("memory");
        assertEquals(String.valueOf(64L << 20), read(md.resolve("memory.limit_in_bytes")));
        assertEquals(String.valueOf(128L << 20), read(md.resolve("memory.memsw.limit_in_bytes")));
        assertEquals(String.valueOf(32L << 20), read(md.resolve("memory.soft_limit_in_bytes")));
        assertEquals(String.valueOf(1L << 20), read(md.resolve("memory.kmem.tcp.limit_in_bytes")));
        assertEquals("10", read(md.resolve("memory.swappiness")));
        assertEquals("1", read(md.resolve("memory.oom_control")));
        Path cd = m.path("cpu");
        assertEquals("512", read(cd.resolve("cpu.shares")));
        assertEquals("50000", read(cd.resolve("cpu.cfs_quota_us")));
        assertEquals("100000", read(cd.resolve("cpu.cfs_period_us")));
        assertEquals("1000", read(cd.resolve("cpu.rt_runtime_us")));
        assertEquals("1000000", read(cd.resolve("cpu.rt_period_us")));
        assertEquals("0", read(cd.resolve("cpu.cfs_burst_us")));
        assertEquals("1", read(cd.resolve("cpu.idle")));
        assertEquals("0", read(m.path("cpuset").resolve("cpuset.cpus")));
        assertEquals("10", read(m.path("pids").resolve("pids.max")));
        Path bd = m.path("blkio");
        assertEquals("8:0 1048576", read(bd.resolve("blkio.throttle.read_bps_device")));
        assertEquals("8:0 2097152", read(bd.resolve("blkio.throttle.write_bps_device")));
        assertEquals("8:0 100", read(bd.resolve("blkio.throttle.read_iops_device")));
        assertEquals("8:0 200", read(bd.resolve("blkio.throttle.write_iops_device")));
        // rt period is written before rt runtime
        int p = fs.writes.indexOf("ctr1/cpu.rt_period_us=1000000"), r = fs.writes.indexOf("ctr1/cpu.rt_runtime_us=1000");
        assertTrue(p >= 0 && p < r, fs.writes.toString());
    }

    @Test
    void pidsLimitZeroOrNegativeIsMax() throws Exception {
        var m = created("/t/ctr1");
        m.apply(res(null, null, new Pids(-1L), null, null));
        assertEquals("max", read(m.path("pids").resolve("pids.max")));
    }

    @Test
    void devicesDenyAllThenRulesThenRuncDefaults() {
        var m = created("/t/ctr1");
        m.apply(res(null, null, null, null, List.of(
                new DeviceRule(false, null, null, null, "rwm"),
                new DeviceRule(true, "c", 4L, null, "rw"))));
        List<String> w = fs.writes.stream().filter(s -> s.contains("/devices.")).toList();
        assertEquals("ctr1/devices.deny=a *:* rwm", w.get(0));
        assertEquals("ctr1/devices.deny=a *:* rwm", w.get(1));
        assertEquals("ctr1/devices.allow=c 4:* rw", w.get(2));
        assertEquals("ctr1/devices.allow=c *:* m", w.get(3));
        assertEquals("ctr1/devices.allow=b *:* m", w.get(4));
        assertTrue(w.contains("ctr1/devices.allow=c 1:3 rwm"));
        assertTrue(w.contains("ctr1/devices.allow=c 136:* rwm"));
        assertTrue(w.contains("ctr1/devices.allow=c 5:2 rwm"));
        assertEquals(3 + DeviceRules.DEFAULT_ALLOW.size(), w.size());
    }

    @Test
    void badDeviceRuleNamesThePointer() {
        var m = created("/t/ctr1");
        var e = assertThrows(JrError.class, () -> m.apply(res(null, null, null, null,
                List.of(new DeviceRule(true, "x", 1L, 1L, "rwm")))));
        assertTrue(e.getMessage().contains("/linux/resources/devices/0/type"), e.getMessage());
        e = assertThrows(JrError.class, () -> m.apply(res(null, null, null, null,
                List.of(new DeviceRule(true, "c", 1L, 1L, "rwx")))));
        assertTrue(e.getMessage().contains("/linux/resources/devices/0/access"), e.getMessage());
    }

    @Test
    void memoryRaiseWritesMemswFirstLowerWritesLimitFirst() throws Exception {
        var m = created("/t/ctr1");
        m.apply(res(mem(100L << 20, 200L << 20), null, null, null, null));
        // from "unlimited": current limit >= new swap → limit first
        var w = fs.writes.stream().filter(s -> s.contains("limit_in_bytes") && !s.contains("soft")).toList();
        assertEquals(List.of("ctr1/memory.limit_in_bytes=" + (100L << 20), "ctr1/memory.memsw.limit_in_bytes=" + (200L << 20)), w);
        fs.writes.clear();
        m.update(res(mem(300L << 20, 400L << 20), null, null, null, null));
        w = fs.writes.stream().filter(s -> s.contains("limit_in_bytes")).toList();
        assertEquals(List.of("ctr1/memory.memsw.limit_in_bytes=" + (400L << 20), "ctr1/memory.limit_in_bytes=" + (300L << 20)), w);
        fs.writes.clear();
        m.update(res(mem(50L << 20, 60L << 20), null, null, null, null));
        w = fs.writes.stream().filter(s -> s.contains("limit_in_bytes")).toList();
        assertEquals(List.of("ctr1/memory.limit_in_bytes=" + (50L << 20), "ctr1/memory.memsw.limit_in_bytes=" + (60L << 20)), w);
        fs.writes.clear();
        m.update(res(mem(-1L, null), null, null, null, null));
        w = fs.writes.stream().filter(s -> s.contains("limit_in_bytes")).toList();
        assertEquals(List.of("ctr1/memory.memsw.limit_in_bytes=-1", "ctr1/memory.limit_in_bytes=-1"), w);
    }

    @Test
    void memoryLimitTheKernelRefusesNamesTheField() throws Exception {
        var m = created("/t/ctr1");
        fs.failing.put("memory.limit_in_bytes", "Device or resource busy");
        var e = assertThrows(JrError.class, () -> m.apply(res(mem(4096L, null), null, null, null, null)));
        assertTrue(e.getMessage().startsWith("linux.resources.memory.limit: cannot set 4096 bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("uses 4096 bytes (peak 8192)"), e.getMessage());
    }

    @Test
    void hostLimitationsAreWarningsOrErrorsAsDocumented() throws Exception {
        var m = created("/t/ctr1");
        Files.delete(m.path("memory").resolve("memory.memsw.limit_in_bytes"));
        var w = m.apply(res(new Memory(1L << 20, null, 2L << 20, 1L << 20, null, null, null, false, null), null, null, null, null));
        assertEquals(3, w.size(), w.toString());
        assertTrue(w.get(0).startsWith("linux.resources.memory.swap"));
        assertTrue(w.get(1).startsWith("linux.resources.memory.kernel"));
        assertTrue(w.get(2).startsWith("linux.resources.memory.useHierarchy"));
        // blkio weight: no weight files on this kernel → error
        var e = assertThrows(JrError.class, () -> m.apply(res(null, null, null,
                new BlockIO(500, null, null, null, null, null, null), null)));
        assertTrue(e.getMessage().startsWith("linux.resources.blockIO.weight"), e.getMessage());
        // hugetlb/net_cls/rdma not mounted as v1 → error
        e = assertThrows(JrError.class, () -> m.apply(new Resources(null, null, null, null, null,
                List.of(new HugepageLimit("2MB", 1L << 21)), null, null, null)));
        assertTrue(e.getMessage().contains("hugetlb cgroup controller is not mounted"), e.getMessage());
        e = assertThrows(JrError.class, () -> m.apply(new Resources(null, null, null, null, null, null,
                new Network(1L, null), null, null)));
        assertTrue(e.getMessage().contains("net_cls"), e.getMessage());
        e = assertThrows(JrError.class, () -> m.apply(new Resources(null, null, null, null, null, null, null, null,
                Map.of("memory.max", "1"))));
        assertTrue(e.getMessage().contains("/linux/resources/unified"), e.getMessage());
        e = assertThrows(JrError.class, () -> m.apply(res(new Memory(null, null, null, null, null, 101L, null, null, null), null, null, null, null)));
        assertTrue(e.getMessage().contains("swappiness"), e.getMessage());
    }

    @Test
    void cpuSharesClampedByKernelIsAnError() throws Exception {
        var m = created("/t/ctr1");
        // the fake does not clamp; imitate the kernel's read-back
        fs.failing.clear();
        FakeCgroupFs clamping = new FakeCgroupFs() {
            @Override
            void write(Path file, String value) throws java.io.IOException {
                super.write(file, file.getFileName().toString().equals("cpu.shares") ? "262144" : value);
            }
        };
        var m2 = (CgroupV1Manager) CgroupV1Manager.fromState(m.toState(), clamping);
        var e = assertThrows(JrError.class, () -> m2.apply(res(null, cpu(1000000L, null, null, null, null), null, null, null)));
        assertTrue(e.getMessage().contains("linux.resources.cpu.shares") && e.getMessage().contains("262144"), e.getMessage());
    }

    @Test
    void addProcessJoinsEveryHierarchyIncludingNameSystemd() throws Exception {
        var m = created("/t/ctr1");
        m.addProcess(4242);
        assertEquals(9, fs.writesTo("cgroup.procs").size());
        assertEquals("4242", read(root.resolve("systemd/t/ctr1/cgroup.procs")));
        assertEquals(List.of(4242L), m.pids());
    }

    @Test
    void destroyRemovesOnlyWhatCreateMadeDeepestFirst() throws Exception {
        Files.createDirectories(root.resolve("memory/shared"));
        Files.writeString(root.resolve("memory/shared/cgroup.procs"), "");
        var m = created("/shared/ctr1");
        assertFalse(m.created().contains(root.resolve("memory/shared")));
        assertTrue(m.created().contains(root.resolve("cpu/shared")));
        // a sub-cgroup the container made itself goes too
        fs.mkdir(root.resolve("memory/shared/ctr1/inner"));
        m.destroy();
        assertTrue(Files.isDirectory(root.resolve("memory/shared")), "pre-existing parent kept");
        assertFalse(Files.exists(root.resolve("memory/shared/ctr1")));
        assertFalse(Files.exists(root.resolve("cpu/shared")));
        assertFalse(m.exists());
        m.destroy(); // idempotent: missing dirs are fine
    }

    @Test
    void destroyRetriesThenReportsABusyCgroup() throws Exception {
        var m = created("/t/ctr1");
        Files.writeString(m.path("pids").resolve("cgroup.procs"), "77\n");
        long t0 = System.nanoTime();
        var e = assertThrows(JrError.class, m::destroy);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 900 && ms < 3000, "retried about a second: " + ms);
        assertTrue(e.getMessage().contains("pids/t/ctr1"), e.getMessage());
        Files.writeString(m.path("pids").resolve("cgroup.procs"), "");
        m.destroy();
        assertFalse(Files.exists(root.resolve("pids/t")));
    }

    @Test
    void createRefusesAnExistingCgroupAndLeavesNothing() throws Exception {
        Files.createDirectories(root.resolve("pids/t/ctr1"));
        var m = (CgroupV1Manager) CgroupManager.open(host, "/t/ctr1", "ctr1", false);
        var e = assertThrows(JrError.class, m::create);
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        assertFalse(Files.exists(root.resolve("cpu/t")), "what create made before the failure is removed");
        assertTrue(Files.exists(root.resolve("pids/t/ctr1")), "never removes what it did not make");
    }

    @Test
    void fromStateRoundTrip() throws Exception {
        var m = created("/t/ctr1");
        Map<String, String> st = m.toState();
        var back = (CgroupV1Manager) CgroupV1Manager.fromStateAny(st, fs);
        assertEquals(st, back.toState());
        assertEquals(m.path("memory"), back.path("memory"));
        assertEquals(m.created(), back.created());
        back.destroy();
        assertFalse(Files.exists(root.resolve("memory/t")));
    }

    @Test
    void freezeThawAndState() throws Exception {
        var m = created("/t/ctr1");
        assertFalse(m.isFrozen());
        m.freeze();
        assertTrue(m.isFrozen());
        assertEquals("FROZEN", read(m.path("freezer").resolve("freezer.state")));
        m.thaw();
        assertFalse(m.isFrozen());
    }

    @Test
    void statsAndOomKills() throws Exception {
        var m = created("/t/ctr1");
        var s = m.stats();
        assertEquals(5000000, s.cpu().total());
        assertEquals(List.of(3000000L, 2000000L), s.cpu().percpu());
        assertEquals(300_000_000L, s.cpu().user());
        assertEquals(200_000_000L, s.cpu().kernel());
        assertEquals(2, s.cpu().throttledPeriods());
        assertEquals(4096, s.memory().usage().usage());
        assertEquals(8192, s.memory().usage().max());
        assertEquals(1, s.memory().usage().failcnt());
        assertEquals(100, s.memory().cache());
        assertEquals(0, s.pids().limit());
        assertEquals(List.of(new CgroupStats.BlkioEntry(8, 0, "Read", 512), new CgroupStats.BlkioEntry(8, 0, "Write", 1024)),
                s.blkio().ioServiceBytesRecursive());
        assertEquals(3, m.oomKillCount());
    }

    @Test
    void containerMountsOneCgroupMountPerHierarchy() {
        var m = created("/t/ctr1");
        var ms = m.containerMounts("/sys/fs/cgroup", true, true);
        assertEquals(new CgroupMount(CgroupMount.Kind.MOUNT, "tmpfs", "/sys/fs/cgroup", "tmpfs", 14, "mode=755"), ms.get(0));
        assertEquals(new CgroupMount(CgroupMount.Kind.MOUNT, "cgroup", "/sys/fs/cgroup/cpu", "cgroup", 15, "cpu"), ms.get(1));
        assertTrue(ms.contains(new CgroupMount(CgroupMount.Kind.MOUNT, "systemd", "/sys/fs/cgroup/systemd", "cgroup", 15, "name=systemd")));
        assertEquals(CgroupMount.Kind.REMOUNT, ms.get(ms.size() - 1).kind());
        assertEquals(1 + 9 + 1, ms.size());
    }

    @Test
    void coMountedControllersGetSymlinks() throws Exception {
        String mi = "32 31 0:29 / " + root.resolve("cpu,cpuacct") + " rw - cgroup cgroup rw,cpu,cpuacct\n"
                + "33 31 0:30 / " + root.resolve("devices") + " rw - cgroup cgroup rw,devices\n";
        Files.createDirectories(root.resolve("cpu,cpuacct"));
        var h = CgroupHost.parse(mi, "2:cpu,cpuacct:/\n1:devices:/\n", fs);
        assertEquals(CgroupHost.Mode.V1, h.mode());
        var m = CgroupManager.open(h, "/x", "x", false);
        var ms = m.containerMounts("/sys/fs/cgroup", false, true);
        assertEquals("cpu,cpuacct", ms.get(1).data());
        assertEquals("/sys/fs/cgroup/cpu,cpuacct", ms.get(1).target());
        assertTrue(ms.contains(new CgroupMount(CgroupMount.Kind.SYMLINK, "cpu,cpuacct", "/sys/fs/cgroup/cpu", null, 0, null)));
        assertTrue(ms.contains(new CgroupMount(CgroupMount.Kind.SYMLINK, "cpu,cpuacct", "/sys/fs/cgroup/cpuacct", null, 0, null)));
    }

    @Test
    void withoutACgroupNamespaceTheContainersOwnDirectoriesAreBound() throws Exception {
        String mi = "33 31 0:30 / " + root.resolve("devices") + " rw - cgroup cgroup rw,devices\n";
        Files.createDirectories(root.resolve("devices"));
        var h = CgroupHost.parse(mi, "1:devices:/\n", fs);
        var m = CgroupManager.open(h, "/ns/x", "x", false);
        var ms = m.containerMounts("/sys/fs/cgroup", true, false);
        CgroupMount bind = ms.get(1);
        assertEquals(root.resolve("devices/ns/x").toString(), bind.source());
        assertEquals("/sys/fs/cgroup/devices", bind.target());
        assertEquals(CgroupMount.MS_BIND, bind.flags() & CgroupMount.MS_BIND);
        assertEquals(CgroupMount.Kind.REMOUNT, ms.get(2).kind());
    }

    @Test
    void mountinfoEscapes() {
        assertEquals("/a b", CgroupHost.unescape("/a\\040b"));
    }
}

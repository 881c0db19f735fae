package dev.jruntime.cgroups;

import static org.junit.jupiter.api.Assertions.*;

import dev.jruntime.JrError;
import dev.jruntime.spec.Resources;
import dev.jruntime.spec.Resources.*;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupV2ManagerTest {
    @TempDir Path tmp;
    Path root;
    FakeCgroupFs fs;
    CgroupHost host;

    @BeforeEach
    void setUp() throws Exception {
        root = tmp.resolve("cg2");
        fs = new FakeCgroupFs();
        host = FakeTree.unified(root, fs, false);
    }

    CgroupV2Manager created(String path) {
        var m = (CgroupV2Manager) CgroupManager.open(host, path, "ctr1", false);
        m.create();
        return m;
    }

    String read(Path p) throws Exception {
        return Files.readString(p).trim();
    }

    static Resources res(Memory m, Cpu c, Pids p, BlockIO b) {
        return new Resources(null, m, c, p, b, null, null, null, null);
    }

    @Test
    void detectsUnifiedAndEnablesControllersTopDown() throws Exception {
        assertEquals(CgroupHost.Mode.UNIFIED, host.mode());
        var m = created("/a/ctr1");
        assertEquals(root.resolve("a/ctr1"), m.dir());
        assertEquals("cpuset cpu io memory hugetlb pids rdma", read(root.resolve("cgroup.subtree_control")));
        assertEquals("cpuset cpu io memory hugetlb pids rdma", read(root.resolve("a/cgroup.subtree_control")));
        assertEquals("", read(root.resolve("a/ctr1/cgroup.subtree_control")), "the leaf enables nothing");
        assertEquals(List.of(root.resolve("a"), root.resolve("a/ctr1")), m.created());
    }

    @Test
    void conversions() {
        assertEquals(1, CgroupV2Manager.cpuWeight(2));
        assertEquals(100, CgroupV2Manager.cpuWeight(1024));
        assertEquals(10000, CgroupV2Manager.cpuWeight(262144));
        assertEquals(0, CgroupV2Manager.cpuWeight(0));
        assertEquals(1, CgroupV2Manager.ioWeight(10));
        assertEquals(10000, CgroupV2Manager.ioWeight(1000));
        assertEquals(5000, CgroupV2Manager.ioWeight(505));
        assertEquals(100L, CgroupV2Manager.swapMax(300, 200));
        assertEquals(-1L, CgroupV2Manager.swapMax(0, -1));
        assertEquals(-1L, CgroupV2Manager.swapMax(-1, 200));
        assertNull(CgroupV2Manager.swapMax(0, 200));
        assertThrows(JrError.class, () -> CgroupV2Manager.swapMax(100, 200));
        assertThrows(JrError.class, () -> CgroupV2Manager.swapMax(100, 0));
    }

    @Test
    void everyFieldConverted() throws Exception {
        var m = created("/ctr1");
        var w = m.apply(new Resources(List.of(new DeviceRule(false, null, null, null, "rwm")),
                new Memory(64L << 20, 16L << 20, 96L << 20, null, null, null, null, null, null),
                new Cpu(1024L, 50000L, 1000L, 100000L, null, null, "0", "0", 0L),
                new Pids(10L),
                new BlockIO(505, null, List.of(new WeightDevice(8L, 0L, 200, null)),
                        List.of(new ThrottleDevice(8L, 0L, 1000L)), List.of(new ThrottleDevice(8L, 0L, 2000L)),
                        List.of(new ThrottleDevice(8L, 0L, 10L)), List.of(new ThrottleDevice(8L, 0L, 20L))),
                List.of(new HugepageLimit("2MB", 4L << 21)), null,
                Map.of("mlx5_1", new Rdma(3L, 4L)), Map.of("memory.high", "50000000")));
        assertEquals(List.of(), w);
        var rules = fs.deviceFilters.get(m.dir());
        assertEquals(DeviceRules.effective(List.of(new DeviceRule(false, null, null, null, "rwm"))), rules);
        Path d = m.dir();
        assertEquals("100", read(d.resolve("cpu.weight")));
        assertEquals("50000 100000", read(d.resolve("cpu.max")));
        assertEquals("1000", read(d.resolve("cpu.max.burst")));
        assertEquals("0", read(d.resolve("cpuset.cpus")));
        assertEquals(String.valueOf(64L << 20), read(d.resolve("memory.max")));
        assertEquals(String.valueOf(32L << 20), read(d.resolve("memory.swap.max")));
        assertEquals(String.valueOf(16L << 20), read(d.resolve("memory.low")));
        assertEquals("10", read(d.resolve("pids.max")));
        assertEquals("ctr1/io.weight=5000", fs.writesTo("io.weight").get(0));
        assertEquals(List.of("ctr1/io.max=8:0 rbps=1000", "ctr1/io.max=8:0 wbps=2000", "ctr1/io.max=8:0 riops=10",
                "ctr1/io.max=8:0 wiops=20"), fs.writesTo("io.max"));
        assertTrue(fs.writesTo("io.weight").contains("ctr1/io.weight=8:0 " + CgroupV2Manager.ioWeight(200)));
        assertEquals(String.valueOf(4L << 21), read(d.resolve("hugetlb.2MB.max")));
        assertEquals("mlx5_1 hca_handle=3 hca_object=4", read(d.resolve("rdma.max")));
        assertEquals(List.of("ctr1/memory.high=50000000"), fs.writesTo("memory.high"));
    }

    @Test
    void bfqWeightWrittenAsIsWhenPresent() throws Exception {
        host = FakeTree.unified(tmp.resolve("bfq"), fs, true);
        var m = (CgroupV2Manager) CgroupManager.open(host, "/c", "c", false);
        m.create();
        m.apply(res(null, null, null, new BlockIO(500, null, null, null, null, null, null)));
        assertEquals("500", read(m.dir().resolve("io.bfq.weight")));
    }

    @Test
    void quotaAloneAndUnlimited() throws Exception {
        var m = created("/ctr1");
        m.apply(res(null, new Cpu(null, -1L, null, 50000L, null, null, null, null, null), null, null));
        assertEquals("max 50000", read(m.dir().resolve("cpu.max")));
        m.update(res(new Memory(-1L, null, null, null, null, null, null, null, null), null, new Pids(0L), null));
        assertEquals("max", read(m.dir().resolve("memory.max")));
        assertEquals("max", read(m.dir().resolve("memory.swap.max")));
        assertEquals("max", read(m.dir().resolve("pids.max")));
    }

    @Test
    void swapEqualToLimitDisablesSwap() throws Exception {
        var m = created("/ctr1");
        m.apply(res(new Memory(100L, null, 100L, null, null, null, null, null, null), null, null, null));
        assertEquals("0", read(m.dir().resolve("memory.swap.max")));
    }

    @Test
    void notApplicableFieldsWarnOrFail() {
        var m = created("/ctr1");
        var w = m.update(res(new Memory(null, null, null, 1L, 2L, 10L, true, null, null), null, null,
                new BlockIO(null, 100, null, null, null, null, null)));
        assertEquals(5, w.size(), w.toString());
        var e = assertThrows(JrError.class, () -> m.apply(res(null,
                new Cpu(null, null, null, null, 1000L, null, null, null, null), null, null)));
        assertTrue(e.getMessage().contains("real-time"), e.getMessage());
        e = assertThrows(JrError.class, () -> m.apply(new Resources(List.of(new DeviceRule(true, "q", 4L, 1L, "rw")),
                null, null, null, null, null, null, null, null)));
        assertTrue(e.getMessage().contains("/linux/resources/devices/0/type"), e.getMessage());
        e = assertThrows(JrError.class, () -> m.apply(new Resources(null, null, null, null, null, null,
                new Network(1L, null), null, null)));
        assertTrue(e.getMessage().contains("net_cls"), e.getMessage());
        e = assertThrows(JrError.class, () -> m.apply(new Resources(null, null, null, null, null, null, null, null,
                Map.of("../x", "1"))));
        assertTrue(e.getMessage().contains("/linux/resources/unified/../x"), e.getMessage());
    }

    @Test
    void devicesAttachedOnApplyAndOnUpdateOnlyWhenGiven() {
        var m = created("/ctr1");
        m.apply(null);
        assertEquals(DeviceRules.DEFAULT_ALLOW, fs.deviceFilters.get(m.dir()));
        fs.deviceFilters.clear();
        m.update(new Resources(null, null, null, new Pids(5L), null, null, null, null, null));
        assertTrue(fs.deviceFilters.isEmpty(), "update without devices leaves the program alone");
        m.update(new Resources(List.of(new DeviceRule(true, "c", 4L, 1L, "rw")), null, null, null, null, null, null, null, null));
        assertEquals(new DeviceRules.Rule(true, 'c', 4, 1, "rw"), fs.deviceFilters.get(m.dir()).get(0));
    }

    @Test
    void missingControllerIsNamed() throws Exception {
        var m = created("/ctr1");
        Files.writeString(m.dir().resolve("cgroup.controllers"), "cpu pids");
        Files.delete(m.dir().resolve("memory.max"));
        var e = assertThrows(JrError.class, () -> m.apply(res(new Memory(100L, null, null, null, null, null, null, null, null),
                null, null, null)));
        assertTrue(e.getMessage().contains("the memory controller is not enabled"), e.getMessage());
    }

    @Test
    void checkBeforeUpdateRefusesLimitBelowUsage() {
        var m = created("/ctr1");
        var e = assertThrows(JrError.class, () -> m.update(res(new Memory(1000L, null, null, null, null, null, null, null, true),
                null, null, null)));
        assertTrue(e.getMessage().contains("checkBeforeUpdate"), e.getMessage());
    }

    @Test
    void freezeUsesCgroupFreezeAndEvents() throws Exception {
        // the fake has no kernel to update cgroup.events: imitate it
        FakeCgroupFs kernel = new FakeCgroupFs() {
            @Override
            void write(Path file, String value) throws java.io.IOException {
                super.write(file, value);
                if (file.getFileName().toString().equals("cgroup.freeze")) {
                    Files.writeString(file.resolveSibling("cgroup.events"), "populated 1\nfrozen " + value + "\n");
                }
            }
        };
        var m = created("/ctr1");
        var m2 = (CgroupV2Manager) CgroupV1Manager.fromStateAny(m.toState(), kernel);
        m2.freeze();
        assertTrue(m2.isFrozen());
        m2.thaw();
        assertFalse(m2.isFrozen());
    }

    @Test
    void statsPidsDestroyAndState() throws Exception {
        var m = created("/p/ctr1");
        m.addProcess(99);
        assertEquals(List.of(99L), m.pids());
        var s = m.stats();
        assertEquals(1_000_000, s.cpu().total());
        assertEquals(600_000, s.cpu().user());
        assertEquals(4096, s.memory().usage().usage());
        assertEquals(200, s.memory().cache());
        assertEquals(2, s.memory().usage().failcnt());
        assertEquals(List.of(new CgroupStats.BlkioEntry(8, 0, "Read", 512), new CgroupStats.BlkioEntry(8, 0, "Write", 1024)),
                s.blkio().ioServiceBytesRecursive());
        assertEquals(1, m.oomKillCount());
        Map<String, String> st = new LinkedHashMap<>(m.toState());
        var back = (CgroupV2Manager) CgroupV1Manager.fromStateAny(st, fs);
        assertEquals(st, back.toState());
        Files.writeString(m.dir().resolve("cgroup.procs"), "");
        back.destroy();
        assertFalse(Files.exists(root.resolve("p")));
        assertTrue(Files.exists(root));
    }

    @Test
    void containerMountIsOneCgroup2() {
        var m = created("/ctr1");
        assertEquals(List.of(new CgroupMount(CgroupMount.Kind.MOUNT, "cgroup2", "/sys/fs/cgroup", "cgroup2",
                CgroupMount.MS_NOSUID | CgroupMount.MS_NODEV | CgroupMount.MS_NOEXEC | CgroupMount.MS_RELATIME, "")),
                m.containerMounts("/sys/fs/cgroup", false, true));
    }
}

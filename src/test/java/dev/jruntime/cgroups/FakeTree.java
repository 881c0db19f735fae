package dev.jruntime.cgroups;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds fake v1 (hybrid, like this host) and v2 cgroup trees in a temp dir. */
final class FakeTree {
    private FakeTree() {}

    static final String BIG = "9223372036854771712";

    /** The v1 hierarchies of the test host and their root control files. */
    static Map<String, Map<String, String>> v1Files() {
        Map<String, Map<String, String>> m = new LinkedHashMap<>();
        m.put("cpu", files("cpu.shares", "1024", "cpu.cfs_period_us", "100000", "cpu.cfs_quota_us", "-1",
                "cpu.cfs_burst_us", "0", "cpu.rt_period_us", "1000000", "cpu.rt_runtime_us", "0", "cpu.idle", "0",
                "cpu.stat", "nr_periods 7\nnr_throttled 2\nthrottled_time 12345\n"));
        m.put("cpuacct", files("cpuacct.usage", "5000000", "cpuacct.usage_percpu", "3000000 2000000 ",
                "cpuacct.stat", "user 30\nsystem 20\n"));
        m.put("cpuset", files("cpuset.cpus", "0-1", "cpuset.mems", "0"));
        m.put("memory", files("memory.limit_in_bytes", BIG, "memory.memsw.limit_in_bytes", BIG,
                "memory.soft_limit_in_bytes", BIG, "memory.kmem.limit_in_bytes", BIG,
                "memory.kmem.tcp.limit_in_bytes", BIG, "memory.swappiness", "60", "memory.use_hierarchy", "1",
                "memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 3\n",
                "memory.usage_in_bytes", "4096", "memory.max_usage_in_bytes", "8192", "memory.failcnt", "1",
                "memory.memsw.usage_in_bytes", "4096", "memory.memsw.max_usage_in_bytes", "8192", "memory.memsw.failcnt", "0",
                "memory.stat", "cache 100\nrss 200\n"));
        m.put("devices", files("devices.allow", "", "devices.deny", "", "devices.list", "a *:* rwm"));
        m.put("freezer", files("freezer.state", "THAWED"));
        m.put("blkio", files("blkio.throttle.read_bps_device", "", "blkio.throttle.write_bps_device", "",
                "blkio.throttle.read_iops_device", "", "blkio.throttle.write_iops_device", "",
                "blkio.bfq.io_service_bytes_recursive", "8:0 Read 512\n8:0 Write 1024\nTotal 1536\n",
                "blkio.bfq.io_serviced_recursive", "8:0 Read 1\n8:0 Write 2\nTotal 3\n"));
        m.put("pids", files("pids.max", "max", "pids.current", "0"));
        m.put("systemd", files());
        return m;
    }

    private static Map<String, String> files(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("cgroup.procs", "");
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    /** A hybrid host like this one under {@code root}; own cgroups "/" except memory {@code ownMemory}. */
    static CgroupHost hybrid(Path root, FakeCgroupFs fs, String ownMemory) throws IOException {
        StringBuilder mi = new StringBuilder("31 23 0:28 / " + root + " rw,relatime - tmpfs tmpfs rw,mode=755\n");
        int id = 32;
        for (var e : v1Files().entrySet()) {
            Path dir = root.resolve(e.getKey());
            Files.createDirectories(dir);
            for (var f : e.getValue().entrySet()) Files.writeString(dir.resolve(f.getKey()), f.getValue());
            String opt = e.getKey().equals("systemd") ? "name=systemd" : e.getKey();
            mi.append(id).append(" 31 0:").append(id).append(" / ").append(dir)
                    .append(" rw,relatime - cgroup cgroup rw,").append(opt).append('\n');
            id++;
        }
        Files.createDirectories(root.resolve("unified"));
        mi.append(id).append(" 31 0:99 / ").append(root.resolve("unified")).append(" rw,relatime - cgroup2 cgroup2 rw\n");
        if (!ownMemory.equals("/")) {
            Path own = root.resolve("memory").resolve(ownMemory.substring(1));
            Files.createDirectories(own);
            for (var f : v1Files().get("memory").entrySet()) Files.writeString(own.resolve(f.getKey()), f.getValue());
        }
        String self = """
                9:name=systemd:/
                8:pids:/
                7:blkio:/
                6:freezer:/
                5:devices:/
                4:memory:%s
                3:cpuset:/
                2:cpuacct:/
                1:cpu:/
                0::/
                """.formatted(ownMemory);
        return CgroupHost.parse(mi.toString(), self, fs);
    }

    /** A unified host: cgroup2 at {@code root}, with cpu/io/memory/pids/cpuset/hugetlb controllers. */
    static CgroupHost unified(Path root, FakeCgroupFs fs, boolean bfq) throws IOException {
        Files.createDirectories(root);
        Map<String, String> f = new LinkedHashMap<>();
        f.put("cgroup.procs", "");
        f.put("cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma");
        f.put("cgroup.subtree_control", "");
        f.put("cgroup.events", "populated 0\nfrozen 0\n");
        f.put("cgroup.freeze", "0");
        f.put("cpu.weight", "100");
        f.put("cpu.max", "max 100000");
        f.put("cpu.max.burst", "0");
        f.put("cpu.idle", "0");
        f.put("cpu.stat", "usage_usec 1000\nuser_usec 600\nsystem_usec 400\nnr_periods 0\nnr_throttled 0\nthrottled_usec 0\n");
        f.put("cpuset.cpus", "");
        f.put("cpuset.mems", "");
        f.put("memory.max", "max");
        f.put("memory.swap.max", "max");
        f.put("memory.low", "0");
        f.put("memory.high", "max");
        f.put("memory.current", "4096");
        f.put("memory.events", "low 0\nhigh 0\nmax 2\noom 1\noom_kill 1\n");
        f.put("memory.stat", "anon 100\nfile 200\n");
        f.put("pids.max", "max");
        f.put("pids.current", "1");
        f.put("io.weight", "default 100");
        f.put("io.max", "");
        f.put("io.stat", "8:0 rbytes=512 wbytes=1024 rios=1 wios=2 dbytes=0 dios=0\n");
        if (bfq) f.put("io.bfq.weight", "default 100");
        f.put("hugetlb.2MB.max", "max");
        f.put("rdma.max", "");
        for (var e : f.entrySet()) Files.writeString(root.resolve(e.getKey()), e.getValue());
        String mi = "41 23 0:38 / " + root + " rw,relatime - cgroup2 cgroup2 rw\n";
        return CgroupHost.parse(mi, "0::/\n", fs);
    }
}

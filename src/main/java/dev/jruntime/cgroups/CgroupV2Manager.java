package dev.jruntime.cgroups;

import dev.jruntime.JrError;
import dev.jruntime.spec.Resources;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * cgroup v2 (unified hierarchy): one directory, controllers enabled top-down through
 * {@code cgroup.subtree_control}, and the OCI's v1-shaped values converted the way
 * runc (opencontainers/cgroups) and crun convert them:
 * <pre>
 * OCI field                      | v2 file              | conversion
 * -------------------------------+----------------------+-----------------------------------------------
 * cpu.shares                     | cpu.weight           | 0 unset; &lt;=2 → 1; &gt;=262144 → 10000; else
 *                                |                      | ceil(10^((L²+125L)/612 − 7/34)), L = log2(shares)
 *                                |                      | (the current formula: 1024 → 100, the defaults)
 * cpu.quota/period               | cpu.max              | "quota period", quota &lt;= 0 → "max"
 * cpu.burst                      | cpu.max.burst        | as is
 * cpu.idle                       | cpu.idle             | as is
 * cpu.cpus/mems                  | cpuset.cpus/.mems    | as is
 * memory.limit                   | memory.max           | -1 → "max"
 * memory.swap (memory+swap)      | memory.swap.max      | swap − limit; -1 → "max"; limit -1 and no swap
 *                                |                      | → "max"; swap == limit → 0; swap &lt; limit: error
 * memory.reservation             | memory.low           | -1 → "max"
 * memory.checkBeforeUpdate       | (update)             | refuses a limit below memory.current
 * pids.limit                     | pids.max             | &lt;= 0 → "max"
 * blockIO.weight                 | io.bfq.weight if the | as is (BFQ range); else io.weight =
 *                                | file exists, else    | 1 + (weight − 10) × 9999 / 990
 *                                | io.weight            |
 * blockIO.weightDevice           | io.bfq.weight /      | "maj:min weight" (converted for io.weight)
 *                                | io.weight            |
 * blockIO.throttle*              | io.max               | "maj:min rbps=|wbps=|riops=|wiops=N"
 * hugepageLimits                 | hugetlb.SIZE.max     | as is (and .rsvd.max when present)
 * rdma                           | rdma.max             | as is
 * unified                        | the key              | written as is (a plain file name is required)
 * freezer                        | cgroup.freeze        | 1/0, waiting for cgroup.events "frozen"
 * </pre>
 * Not applicable on v2 — warnings: memory.kernel, memory.kernelTCP, memory.swappiness,
 * memory.disableOOMKiller, blockIO.leafWeight (v2 has no such knobs; runc ignores them).
 * Errors: cpu.realtime* (no RT groups on v2), network (net_cls/net_prio do not exist on v2).
 * <p><b>Devices</b>: v2 has no devices files; the rules (deny all, the config's rules, runc's
 * default allow list — {@link DeviceRules}) are compiled to an eBPF program attached to the
 * container's cgroup ({@link DeviceFilter}), as runc and crun do. {@code update} with device
 * rules attaches a new program, which replaces the old one atomically.
 */
final class CgroupV2Manager implements CgroupManager {
    static final String DRIVER = "fs-v2";

    private final CgroupFs fs;
    private final Path mountPoint;
    private final Path dir;
    private final List<Path> created;

    private CgroupV2Manager(CgroupFs fs, Path mountPoint, Path dir, List<Path> created) {
        this.fs = fs;
        this.mountPoint = mountPoint;
        this.dir = dir;
        this.created = created;
    }

    static CgroupV2Manager open(CgroupHost host, CgroupPath path) {
        CgroupHost.Unified u = host.unified();
        return new CgroupV2Manager(host.fs, u.mountPoint(), path.resolve(u.mountPoint(), u.mountRoot(), u.ownCgroup()),
                new ArrayList<>());
    }

    static CgroupV2Manager fromState(Map<String, String> state, CgroupFs fs) {
        List<Path> created = new ArrayList<>();
        for (String p : state.getOrDefault("created", "").split("\n")) if (!p.isEmpty()) created.add(Path.of(p));
        String mnt = state.get("mount");
        return new CgroupV2Manager(fs, mnt == null ? null : Path.of(mnt), Path.of(state.get("dir")), created);
    }

    @Override
    public Map<String, String> toState() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("driver", DRIVER);
        m.put("dir", dir.toString());
        if (mountPoint != null) m.put("mount", mountPoint.toString());
        List<String> cs = new ArrayList<>();
        for (Path p : created) cs.add(p.toString());
        m.put("created", String.join("\n", cs));
        return m;
    }

    Path dir() {
        return dir;
    }

    List<Path> created() {
        return List.copyOf(created);
    }

    // ---------------------------------------------------------------- create

    @Override
    public void create() {
        try {
            if (fs.exists(dir)) {
                throw JrError.path("cgroup", dir, "already exists (another container's or a leftover);"
                        + " jruntime only uses cgroups it creates");
            }
            Path cur = mountPoint;
            for (Path part : mountPoint.relativize(dir)) {
                enableControllers(cur);
                cur = cur.resolve(part.toString());
                try {
                    if (fs.mkdir(cur)) created.add(cur);
                } catch (IOException e) {
                    throw JrError.path("cgroup: mkdir", cur, CgroupFs.why(e));
                }
            }
        } catch (RuntimeException e) {
            try {
                destroy();
            } catch (RuntimeException e2) {
                e.addSuppressed(e2);
            }
            throw e;
        }
    }

    /**
     * Makes every controller available in {@code parent} available to its children (as runc):
     * all at once, or one by one when one of them cannot be delegated (e.g. a controller with
     * real-time threads in the way), skipping those that fail.
     */
    private void enableControllers(Path parent) {
        Path avail = parent.resolve("cgroup.controllers");
        if (!fs.exists(avail)) return;
        String ctrls = fs.readTrimmed(avail);
        if (ctrls.isEmpty()) return;
        String enabled = " " + fs.readTrimmed(parent.resolve("cgroup.subtree_control")) + " ";
        List<String> missing = new ArrayList<>();
        for (String c : ctrls.split("\\s+")) if (!enabled.contains(" " + c + " ")) missing.add("+" + c);
        if (missing.isEmpty()) return;
        Path f = parent.resolve("cgroup.subtree_control");
        try {
            fs.write(f, String.join(" ", missing));
        } catch (IOException e) {
            for (String c : missing) {
                try {
                    fs.write(f, c);
                } catch (IOException ignoredOne) {
                    // this controller stays disabled below; a setting that needs it fails with its own error
                }
            }
        }
    }

    // ---------------------------------------------------------------- apply / update

    @Override
    public List<String> apply(Resources r) {
        return set(r, false);
    }

    @Override
    public List<String> update(Resources r) {
        return set(r, true);
    }

    private List<String> set(Resources r, boolean update) {
        List<String> warnings = new ArrayList<>();
        if (!update || (r != null && r.devices() != null)) {
            fs.attachDeviceFilter(dir, DeviceRules.effective(r == null ? null : r.devices()));
        }
        if (r == null) return warnings;
        if (r.cpu() != null) setCpu(r.cpu());
        if (r.memory() != null) setMemory(r.memory(), update, warnings);
        if (r.pids() != null && r.pids().limit() != null) {
            long l = r.pids().limit();
            put("pids.max", l > 0 ? Long.toString(l) : "max", "linux.resources.pids.limit");
        }
        if (r.blockIO() != null) setIo(r.blockIO(), warnings);
        if (r.hugepageLimits() != null) {
            for (int i = 0; i < r.hugepageLimits().size(); i++) {
                var h = r.hugepageLimits().get(i);
                String field = "linux.resources.hugepageLimits[" + i + "]";
                put("hugetlb." + h.pageSize() + ".max", Long.toString(h.limit()), field);
                String rsvd = "hugetlb." + h.pageSize() + ".rsvd.max";
                if (fs.exists(dir.resolve(rsvd))) put(rsvd, Long.toString(h.limit()), field);
            }
        }
        if (r.network() != null && (r.network().classID() != null
                || (r.network().priorities() != null && !r.network().priorities().isEmpty()))) {
            throw JrError.of("linux.resources.network: net_cls and net_prio do not exist on cgroup v2");
        }
        if (r.rdma() != null) {
            for (var e : r.rdma().entrySet()) {
                put("rdma.max", CgroupV1Manager.rdmaLine(e.getKey(), e.getValue()), "linux.resources.rdma." + e.getKey());
            }
        }
        if (r.unified() != null) {
            for (var e : r.unified().entrySet()) {
                String k = e.getKey();
                if (k.isEmpty() || k.contains("/") || k.equals(".") || k.equals("..")) {
                    throw JrError.config("/linux/resources/unified/" + k, "must be the name of a file of the cgroup");
                }
                put(k, e.getValue(), "linux.resources.unified." + k);
            }
        }
        return warnings;
    }

    /**
     * Writes one file of the container's cgroup. A missing file usually means its controller
     * is not enabled here: say so rather than "no such file".
     */
    private void put(String file, String value, String field) {
        int dot = file.indexOf('.');
        if (dot > 0 && !fs.exists(dir.resolve(file)) && !file.startsWith("cgroup.")) {
            String ctrl = file.substring(0, dot);
            Path list = dir.resolve("cgroup.controllers");
            String enabled = " " + (fs.exists(list) ? fs.readTrimmed(list) : "") + " ";
            if (!enabled.contains(" " + ctrl + " ")) {
                throw JrError.of(field + ": cannot set " + value + ": the " + ctrl + " controller is not enabled for "
                        + dir + " (missing from the parent's cgroup.subtree_control; a parent cgroup that"
                        + " holds processes cannot delegate controllers)");
            }
        }
        fs.set(dir, file, value, field);
    }

    /** runc's current cpu.shares → cpu.weight mapping (maps 2, 1024, 262144 to 1, 100, 10000). */
    static long cpuWeight(long shares) {
        if (shares == 0) return 0;
        if (shares <= 2) return 1;
        if (shares >= 262144) return 10000;
        double l = Math.log(shares) / Math.log(2);
        double exponent = (l * l + 125 * l) / 612.0 - 7.0 / 34.0;
        return (long) Math.ceil(Math.pow(10, exponent));
    }

    /** blkio weight (10..1000) → io.weight (1..10000). */
    static long ioWeight(long blkioWeight) {
        if (blkioWeight == 0) return 0;
        return 1 + (blkioWeight - 10) * 9999 / 990;
    }

    /**
     * OCI memory.swap (memory+swap) → memory.swap.max (swap alone); null means "do not write".
     * The rules of runc's ConvertMemorySwapToCgroupV2Value.
     */
    static Long swapMax(long swap, long limit) {
        if (limit == -1 && swap == 0) return -1L;
        if (swap == -1) return -1L;
        if (swap == 0) return null;
        if (limit == -1) return swap;
        if (limit == 0) {
            throw JrError.config("/linux/resources/memory/swap", "a swap limit needs a memory limit");
        }
        if (swap < limit) {
            throw JrError.config("/linux/resources/memory/swap", "memory+swap (" + swap + ") must be >= memory.limit (" + limit + ")");
        }
        return swap - limit;
    }

    private static String maxOr(long v) {
        return v < 0 ? "max" : Long.toString(v);
    }

    private void setCpu(Resources.Cpu c) {
        if (c.realtimePeriod() != null && c.realtimePeriod() != 0 || c.realtimeRuntime() != null && c.realtimeRuntime() != 0) {
            throw JrError.of("linux.resources.cpu.realtimePeriod/realtimeRuntime: real-time group scheduling does not exist on cgroup v2");
        }
        if (c.shares() != null && c.shares() != 0) {
            if (c.shares() < 2 || c.shares() > 262144) {
                throw JrError.config("/linux/resources/cpu/shares", "must be between 2 and 262144, found " + c.shares());
            }
            put("cpu.weight", Long.toString(cpuWeight(c.shares())), "linux.resources.cpu.shares");
        }
        long quota = c.quota() == null ? 0 : c.quota();
        long period = c.period() == null ? 0 : c.period();
        if (quota != 0 || period != 0) {
            String v = quota > 0 ? Long.toString(quota) : "max";
            if (period != 0) v += " " + period;
            put("cpu.max", v, "linux.resources.cpu.quota/period");
        }
        if (c.burst() != null) put("cpu.max.burst", Long.toString(c.burst()), "linux.resources.cpu.burst");
        if (c.idle() != null) put("cpu.idle", Long.toString(c.idle()), "linux.resources.cpu.idle");
        if (c.cpus() != null && !c.cpus().isEmpty()) put("cpuset.cpus", c.cpus(), "linux.resources.cpu.cpus");
        if (c.mems() != null && !c.mems().isEmpty()) put("cpuset.mems", c.mems(), "linux.resources.cpu.mems");
    }

    private void setMemory(Resources.Memory m, boolean update, List<String> warnings) {
        long limit = m.limit() == null ? 0 : m.limit();
        long swap = m.swap() == null ? 0 : m.swap();
        if (update && Boolean.TRUE.equals(m.checkBeforeUpdate()) && limit > 0) {
            long current = fs.readLong(dir.resolve("memory.current"));
            if (current > limit) {
                throw JrError.of("linux.resources.memory.limit: " + limit + " is below the current usage " + current
                        + " (checkBeforeUpdate)");
            }
        }
        Long swapMax = swapMax(swap, limit);
        if (swapMax == null && swap > 0 && swap == limit) swapMax = 0L;
        if (swapMax != null) {
            Path f = dir.resolve("memory.swap.max");
            if (fs.exists(f)) {
                put("memory.swap.max", maxOr(swapMax), "linux.resources.memory.swap");
            } else if (swapMax != -1 && swapMax != 0) {
                warnings.add("linux.resources.memory.swap: not applied, swap accounting is off on this host (no memory.swap.max)");
            }
        }
        if (limit != 0) put("memory.max", maxOr(limit), "linux.resources.memory.limit");
        if (m.reservation() != null && m.reservation() != 0) {
            put("memory.low", maxOr(m.reservation()), "linux.resources.memory.reservation");
        }
        if (m.kernel() != null && m.kernel() != 0) warnings.add("linux.resources.memory.kernel: not applied, cgroup v2 has no kernel memory limit");
        if (m.kernelTCP() != null && m.kernelTCP() != 0) warnings.add("linux.resources.memory.kernelTCP: not applied, cgroup v2 has no TCP buffer limit");
        if (m.swappiness() != null && m.swappiness() != -1) warnings.add("linux.resources.memory.swappiness: not applied, cgroup v2 has no per-cgroup swappiness");
        if (Boolean.TRUE.equals(m.disableOOMKiller())) warnings.add("linux.resources.memory.disableOOMKiller: not applied, cgroup v2 cannot disable the OOM killer");
    }

    private void setIo(Resources.BlockIO b, List<String> warnings) {
        boolean bfq = fs.exists(dir.resolve("io.bfq.weight"));
        if (b.weight() != null && b.weight() != 0) {
            if (bfq) put("io.bfq.weight", Integer.toString(b.weight()), "linux.resources.blockIO.weight");
            else put("io.weight", Long.toString(ioWeight(b.weight())), "linux.resources.blockIO.weight");
        }
        if (b.leafWeight() != null && b.leafWeight() != 0) warnings.add("linux.resources.blockIO.leafWeight: not applied, cgroup v2 has no leaf weight");
        if (b.weightDevice() != null) {
            for (int i = 0; i < b.weightDevice().size(); i++) {
                var w = b.weightDevice().get(i);
                String field = "linux.resources.blockIO.weightDevice[" + i + "]";
                if (w.weight() != null && w.weight() != 0) {
                    String dev = w.major() + ":" + w.minor() + " ";
                    if (bfq) put("io.bfq.weight", dev + w.weight(), field);
                    else put("io.weight", dev + ioWeight(w.weight()), field);
                }
                if (w.leafWeight() != null && w.leafWeight() != 0) warnings.add(field + ".leafWeight: not applied, cgroup v2 has no leaf weight");
            }
        }
        ioMax(b.throttleReadBpsDevice(), "rbps", "throttleReadBpsDevice");
        ioMax(b.throttleWriteBpsDevice(), "wbps", "throttleWriteBpsDevice");
        ioMax(b.throttleReadIopsDevice(), "riops", "throttleReadIOPSDevice");
        ioMax(b.throttleWriteIopsDevice(), "wiops", "throttleWriteIOPSDevice");
    }

    private void ioMax(List<Resources.ThrottleDevice> list, String key, String field) {
        if (list == null) return;
        for (int i = 0; i < list.size(); i++) {
            var t = list.get(i);
            put("io.max", t.major() + ":" + t.minor() + " " + key + "=" + (t.rate() == 0 ? "max" : t.rate()),
                    "linux.resources.blockIO." + field + "[" + i + "]");
        }
    }

    // ---------------------------------------------------------------- processes, freezer

    @Override
    public void addProcess(long pid) {
        CgroupV1Manager.writeProcs(fs, dir, pid);
    }

    @Override
    public List<Long> pids() {
        List<Long> out = new ArrayList<>();
        CgroupV1Manager.collectPids(fs, dir, out);
        return out;
    }

    @Override
    public void freeze() {
        setFrozen(true);
    }

    @Override
    public void thaw() {
        setFrozen(false);
    }

    private void setFrozen(boolean frozen) {
        put("cgroup.freeze", frozen ? "1" : "0", "cgroup freezer");
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (isFrozen() != frozen) {
            if (System.nanoTime() > deadline) {
                if (frozen) put("cgroup.freeze", "0", "cgroup freezer");
                throw JrError.path("cgroup: " + (frozen ? "freezing" : "thawing"), dir, "not done within 5 s");
            }
            CgroupV1Manager.sleep(1);
        }
    }

    @Override
    public boolean isFrozen() {
        if (!fs.exists(dir)) return false;
        return CgroupV1Manager.parseKeyValues(fs, dir.resolve("cgroup.events")).getOrDefault("frozen", 0L) == 1;
    }

    // ---------------------------------------------------------------- stats

    @Override
    public CgroupStats stats() {
        Map<String, Long> cpu = CgroupV1Manager.parseKeyValues(fs, dir.resolve("cpu.stat"));
        var cpuStats = new CgroupStats.Cpu(cpu.getOrDefault("usage_usec", 0L) * 1000, List.of(),
                cpu.getOrDefault("system_usec", 0L) * 1000, cpu.getOrDefault("user_usec", 0L) * 1000,
                cpu.getOrDefault("nr_periods", 0L), cpu.getOrDefault("nr_throttled", 0L),
                cpu.getOrDefault("throttled_usec", 0L) * 1000);
        Map<String, Long> raw = CgroupV1Manager.parseKeyValues(fs, dir.resolve("memory.stat"));
        Map<String, Long> events = CgroupV1Manager.parseKeyValues(fs, dir.resolve("memory.events"));
        var usage = new CgroupStats.MemoryEntry(z(fs.readLong(dir.resolve("memory.max"))),
                z(fs.readLong(dir.resolve("memory.current"))), z(fs.readLong(dir.resolve("memory.peak"))),
                events.getOrDefault("max", 0L));
        // runc reports swap as memory+swap, like v1's memsw
        long swapCur = z(fs.readLong(dir.resolve("memory.swap.current")));
        long swapMax = fs.readLong(dir.resolve("memory.swap.max"));
        var swap = new CgroupStats.MemoryEntry(swapMax < 0 || usage.limit() == 0 ? 0 : swapMax + usage.limit(),
                swapCur + usage.usage(), 0, 0);
        var zero = new CgroupStats.MemoryEntry(0, 0, 0, 0);
        var mem = new CgroupStats.Memory(raw.getOrDefault("file", 0L), usage, swap, zero, zero, raw);
        var pids = new CgroupStats.Pids(z(fs.readLong(dir.resolve("pids.current"))), z(fs.readLong(dir.resolve("pids.max"))));
        List<CgroupStats.BlkioEntry> bytes = new ArrayList<>(), ios = new ArrayList<>();
        Path io = dir.resolve("io.stat");
        if (fs.exists(io)) {
            for (String line : fs.readTrimmed(io).split("\n")) {
                String[] p = line.trim().split("\\s+");
                if (p.length < 2) continue;
                String[] mm = p[0].split(":");
                if (mm.length != 2) continue;
                long maj = Long.parseLong(mm[0]), min = Long.parseLong(mm[1]);
                for (int i = 1; i < p.length; i++) {
                    String[] kv = p[i].split("=");
                    if (kv.length != 2) continue;
                    long v = Long.parseLong(kv[1]);
                    switch (kv[0]) {
                        case "rbytes" -> bytes.add(new CgroupStats.BlkioEntry(maj, min, "Read", v));
                        case "wbytes" -> bytes.add(new CgroupStats.BlkioEntry(maj, min, "Write", v));
                        case "rios" -> ios.add(new CgroupStats.BlkioEntry(maj, min, "Read", v));
                        case "wios" -> ios.add(new CgroupStats.BlkioEntry(maj, min, "Write", v));
                        default -> { }
                    }
                }
            }
        }
        return new CgroupStats(cpuStats, mem, pids, new CgroupStats.Blkio(bytes, ios));
    }

    private static long z(long v) {
        return Math.max(0, v);
    }

    @Override
    public long oomKillCount() {
        return CgroupV1Manager.parseKeyValues(fs, dir.resolve("memory.events")).getOrDefault("oom_kill", 0L);
    }

    // ---------------------------------------------------------------- destroy, mounts

    @Override
    public boolean exists() {
        return fs.exists(dir);
    }

    @Override
    public void destroy() {
        if (!created.isEmpty() && isFrozen()) thaw();
        CgroupV1Manager.removeCreated(fs, created);
    }

    /** One cgroup2 mount; in the container's cgroup namespace it shows the container's cgroup as root. */
    @Override
    public List<CgroupMount> containerMounts(String destination, boolean readOnly, boolean ownCgroupNamespace) {
        // without a cgroup namespace the mount shows the host's whole tree, as runc's does on v2
        long flags = CgroupMount.MS_NOSUID | CgroupMount.MS_NODEV | CgroupMount.MS_NOEXEC | CgroupMount.MS_RELATIME
                | (readOnly ? CgroupMount.MS_RDONLY : 0);
        return List.of(CgroupMount.mount("cgroup2", destination, "cgroup2", flags, ""));
    }
}

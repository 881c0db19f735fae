package dev.jruntime.cgroups;

import dev.jruntime.JrError;
import dev.jruntime.spec.Resources;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * cgroup v1 (and the hybrid layout): one directory per hierarchy, as runc's fs driver.
 *
 * <p>The container gets a directory in every mounted v1 hierarchy, named hierarchies
 * included ({@code name=systemd}: created and joined, no settings, as runc). On a hybrid host
 * the cgroup2 mount is left alone (runc's fs driver neither configures nor joins it).
 *
 * <h2>Fields this host may not be able to apply: what happens</h2>
 * <pre>
 * field                          | situation                                   | decision
 * -------------------------------+---------------------------------------------+---------------------------
 * memory.limit                   | kernel refuses (EBUSY: usage above it)      | error, with usage and peak
 * memory.swap                    | memory.memsw.* absent (swap accounting off) | WARNING, not applied
 *                                | swap below limit (kernel EINVAL)            | error naming the field
 * memory.kernel                  | kmem limits are deprecated: the kernel      | WARNING, not applied
 *                                | accepts the write and ignores it (measured) |
 * memory.kernelTCP               | memory.kmem.tcp.limit_in_bytes works here   | applied; error if absent
 * memory.swappiness              | outside 0..100 (-1 = leave the default)     | error
 * memory.disableOOMKiller        | memory.oom_control                          | applied
 * memory.useHierarchy = false    | always 1 on current kernels (EINVAL)        | WARNING, not applied
 * memory.checkBeforeUpdate       | v1 kernels refuse a limit below usage anyway| nothing to do (inherent)
 * cpu.shares                     | the kernel clamps to 2..262144              | error (read back, as runc)
 * cpu.realtime*                  | cpu.rt_* absent (no RT group scheduling)    | error
 * blockIO.weight/leafWeight/     | blkio.weight and blkio.bfq.weight absent    | error (runc fails too)
 *   weightDevice                 |   (no CFQ/BFQ weight files on this kernel)  |
 * blockIO.throttle*              | blkio.throttle.* files                      | applied
 * hugepageLimits                 | hugetlb not mounted as v1 (here it sits on  | error (runc fails too)
 *                                |   the cgroup2 mount, which v1 mode ignores) |
 * network (net_cls/net_prio)     | not mounted here                            | error
 * rdma                           | not mounted here                            | error
 * unified                        | v1 host                                     | error (as runc)
 * pids.limit                     | &lt;= 0 means "max"                            | applied
 * devices                        | always: deny-all, rules, runc's defaults    | applied (see DeviceRules)
 * </pre>
 * A missing devices hierarchy is fatal (the container would see every device), as in runc.
 */
final class CgroupV1Manager implements CgroupManager {
    static final String DRIVER = "fs-v1";
    static final long USER_HZ = 100;

    /** The container's directory in one hierarchy ({@code name} = its controllers, comma-separated). */
    private static final long MS_REC = 16384;

    record Dir(String name, Path mountPoint, Path path) {
        boolean has(String controller) {
            for (String c : name.split(",")) if (c.equals(controller)) return true;
            return false;
        }
    }

    private final CgroupFs fs;
    private final List<Dir> dirs;
    private final List<Path> created;

    private CgroupV1Manager(CgroupFs fs, List<Dir> dirs, List<Path> created) {
        this.fs = fs;
        this.dirs = dirs;
        this.created = created;
    }

    static CgroupV1Manager open(CgroupHost host, CgroupPath path) {
        List<Dir> dirs = new ArrayList<>();
        for (CgroupHost.Hierarchy h : host.hierarchies()) {
            dirs.add(new Dir(h.name(), h.mountPoint(), path.resolve(h.mountPoint(), h.mountRoot(), h.ownCgroup())));
        }
        if (dirs.stream().noneMatch(d -> d.has("devices"))) {
            throw JrError.of("cgroup: the devices controller is not mounted; jruntime will not run a container"
                    + " without device access control");
        }
        return new CgroupV1Manager(host.fs, dirs, new ArrayList<>());
    }

    /** Dispatch on the driver recorded by {@link #toState()} of either manager. */
    static CgroupManager fromStateAny(Map<String, String> state, CgroupFs fs) {
        String driver = state.get("driver");
        if (DRIVER.equals(driver)) return fromState(state, fs);
        if (CgroupV2Manager.DRIVER.equals(driver)) return CgroupV2Manager.fromState(state, fs);
        throw JrError.of("state.json: cgroup driver " + driver + " is unknown");
    }

    static Map<String, String> stateOf(Map<String, Path> dirs, List<Path> created) {
        List<Dir> ds = new ArrayList<>();
        for (Map.Entry<String, Path> e : dirs.entrySet()) ds.add(new Dir(e.getKey(), null, e.getValue()));
        return new CgroupV1Manager(CgroupFs.REAL, ds, new ArrayList<>(created)).toState();
    }

    static CgroupV1Manager fromState(Map<String, String> state, CgroupFs fs) {
        List<Dir> dirs = new ArrayList<>();
        for (var e : state.entrySet()) {
            if (e.getKey().startsWith("dir:")) {
                String name = e.getKey().substring(4);
                String mnt = state.get("mount:" + name);
                dirs.add(new Dir(name, mnt == null ? null : Path.of(mnt), Path.of(e.getValue())));
            }
        }
        List<Path> created = new ArrayList<>();
        String c = state.getOrDefault("created", "");
        for (String p : c.split("\n")) if (!p.isEmpty()) created.add(Path.of(p));
        return new CgroupV1Manager(fs, dirs, created);
    }

    @Override
    public Map<String, String> toState() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("driver", DRIVER);
        for (Dir d : dirs) {
            m.put("dir:" + d.name(), d.path().toString());
            if (d.mountPoint() != null) m.put("mount:" + d.name(), d.mountPoint().toString());
        }
        List<String> cs = new ArrayList<>();
        for (Path p : created) cs.add(p.toString());
        m.put("created", String.join("\n", cs));
        return m;
    }

    /** The container's directory for {@code controller}, or null if that controller is not mounted. */
    Path path(String controller) {
        for (Dir d : dirs) if (d.has(controller)) return d.path();
        return null;
    }

    List<Dir> dirs() {
        return dirs;
    }

    List<Path> created() {
        return List.copyOf(created);
    }

    // ---------------------------------------------------------------- create

    @Override
    public void create() {
        try {
            for (Dir d : dirs) {
                if (fs.exists(d.path())) {
                    throw JrError.path("cgroup", d.path(), "already exists (another container's or a leftover);"
                            + " jruntime only uses cgroups it creates");
                }
                Path rel = d.mountPoint().relativize(d.path());
                Path cur = d.mountPoint();
                for (Path part : rel) {
                    Path parent = cur;
                    cur = cur.resolve(part.toString());
                    boolean made;
                    try {
                        made = fs.mkdir(cur);
                    } catch (IOException e) {
                        throw JrError.path("cgroup: mkdir", cur, CgroupFs.why(e));
                    }
                    if (!made) continue;
                    created.add(cur);
                    if (d.has("cpuset")) copyCpusetFromParent(parent, cur);
                }
            }
        } catch (RuntimeException e) {
            destroyQuietly(e);
            throw e;
        }
    }

    /**
     * A new v1 cpuset cgroup starts with empty cpuset.cpus and cpuset.mems and then refuses
     * processes (ENOSPC); runc copies the parent's values into each new level, and so do we.
     */
    private void copyCpusetFromParent(Path parent, Path dir) {
        for (String f : List.of("cpuset.cpus", "cpuset.mems")) {
            String mine = fs.readTrimmed(dir.resolve(f));
            if (!mine.isEmpty()) continue;
            String theirs = fs.readTrimmed(parent.resolve(f));
            if (theirs.isEmpty()) continue; // nothing to copy; adding a process will say why it fails
            fs.set(dir, f, theirs, "cgroup: copying " + f + " from " + parent);
        }
    }

    // ---------------------------------------------------------------- apply / update

    @Override
    public List<String> apply(Resources r) {
        return set(r, true);
    }

    @Override
    public List<String> update(Resources r) {
        return set(r, false);
    }

    private List<String> set(Resources r, boolean initial) {
        List<String> warnings = new ArrayList<>();
        if (r != null && r.unified() != null && !r.unified().isEmpty()) {
            throw JrError.config("/linux/resources/unified", "cgroup v2 settings cannot be applied: this host uses cgroup v1");
        }
        // the order of runc's fs driver: cpuset, devices, memory, cpu, pids, blkio, hugetlb, net, rdma
        if (r != null && r.cpu() != null) setCpuset(r.cpu());
        if (initial || (r != null && r.devices() != null)) setDevices(r == null ? null : r.devices());
        if (r == null) return warnings;
        if (r.memory() != null) setMemory(r.memory(), warnings);
        if (r.cpu() != null) setCpu(r.cpu());
        if (r.pids() != null && r.pids().limit() != null) {
            long l = r.pids().limit();
            fs.set(need("pids", "linux.resources.pids"), "pids.max", l > 0 ? Long.toString(l) : "max",
                    "linux.resources.pids.limit");
        }
        if (r.blockIO() != null) setBlkio(r.blockIO());
        if (r.hugepageLimits() != null && !r.hugepageLimits().isEmpty()) setHugetlb(r.hugepageLimits());
        if (r.network() != null) setNetwork(r.network());
        if (r.rdma() != null && !r.rdma().isEmpty()) {
            Path d = need("rdma", "linux.resources.rdma");
            for (var e : r.rdma().entrySet()) fs.set(d, "rdma.max", rdmaLine(e.getKey(), e.getValue()), "linux.resources.rdma." + e.getKey());
        }
        return warnings;
    }

    static String rdmaLine(String dev, Resources.Rdma v) {
        StringBuilder b = new StringBuilder(dev);
        if (v.hcaHandles() != null) b.append(" hca_handle=").append(v.hcaHandles());
        if (v.hcaObjects() != null) b.append(" hca_object=").append(v.hcaObjects());
        return b.toString();
    }

    /** The directory of a controller a field needs; a clear error if this host does not mount it. */
    private Path need(String controller, String field) {
        Path p = path(controller);
        if (p == null) {
            throw JrError.of(field + ": the " + controller + " cgroup controller is not mounted as cgroup v1 on this host");
        }
        return p;
    }

    private void setCpuset(Resources.Cpu c) {
        if (c.cpus() == null && c.mems() == null) return;
        Path d = need("cpuset", "linux.resources.cpu.cpus/mems");
        if (c.cpus() != null && !c.cpus().isEmpty()) fs.set(d, "cpuset.cpus", c.cpus(), "linux.resources.cpu.cpus");
        if (c.mems() != null && !c.mems().isEmpty()) fs.set(d, "cpuset.mems", c.mems(), "linux.resources.cpu.mems");
    }

    private void setDevices(List<Resources.DeviceRule> config) {
        List<DeviceRules.Rule> rules = DeviceRules.effective(config); // validates before touching anything
        Path d = need("devices", "linux.resources.devices");
        fs.set(d, "devices.deny", "a *:* rwm", "linux.resources.devices (initial deny-all)");
        for (int i = 0; i < rules.size(); i++) {
            DeviceRules.Rule rule = rules.get(i);
            String field = i < (config == null ? 0 : config.size())
                    ? "linux.resources.devices[" + i + "]" : "default device rule";
            fs.set(d, rule.allow() ? "devices.allow" : "devices.deny", rule.line(), field);
        }
    }

    // ---- memory

    private void setMemory(Resources.Memory m, List<String> warnings) {
        Path d = need("memory", "linux.resources.memory");
        boolean memsw = fs.exists(d.resolve("memory.memsw.limit_in_bytes"));
        long limit = m.limit() == null ? 0 : m.limit();
        long swap = m.swap() == null ? 0 : m.swap();
        if (swap != 0 && !memsw) {
            warnings.add("linux.resources.memory.swap: not applied, swap accounting is off on this host"
                    + " (no memory.memsw.limit_in_bytes)");
            swap = 0;
        }
        // unlimited memory with swap not given means unlimited swap as well (runc)
        if (limit == -1 && swap == 0 && memsw) swap = -1;
        if (limit != 0 && swap != 0) {
            long cur = fs.readLong(d.resolve("memory.limit_in_bytes"));
            // raising: memsw first so that limit <= memsw holds at every step; lowering: limit first
            if (swap == -1 || (cur != -1 && cur < swap)) {
                setSwap(d, swap);
                setLimit(d, limit);
            } else {
                setLimit(d, limit);
                setSwap(d, swap);
            }
        } else {
            if (limit != 0) setLimit(d, limit);
            if (swap != 0) setSwap(d, swap);
        }
        if (m.reservation() != null && m.reservation() != 0) {
            fs.set(d, "memory.soft_limit_in_bytes", Long.toString(m.reservation()), "linux.resources.memory.reservation");
        }
        if (m.kernel() != null && m.kernel() != 0) {
            warnings.add("linux.resources.memory.kernel: not applied, kernel memory limits are deprecated"
                    + " and ignored by this kernel");
        }
        if (m.kernelTCP() != null && m.kernelTCP() != 0) {
            fs.set(d, "memory.kmem.tcp.limit_in_bytes", Long.toString(m.kernelTCP()), "linux.resources.memory.kernelTCP");
        }
        if (m.swappiness() != null && m.swappiness() != -1) {
            long s = m.swappiness();
            if (s < 0 || s > 100) {
                throw JrError.config("/linux/resources/memory/swappiness", "must be between 0 and 100, found " + s);
            }
            fs.set(d, "memory.swappiness", Long.toString(s), "linux.resources.memory.swappiness");
        }
        if (m.disableOOMKiller() != null) {
            fs.set(d, "memory.oom_control", m.disableOOMKiller() ? "1" : "0", "linux.resources.memory.disableOOMKiller");
        }
        if (Boolean.FALSE.equals(m.useHierarchy())) {
            warnings.add("linux.resources.memory.useHierarchy: false is not applied, memory cgroups are always"
                    + " hierarchical on this kernel");
        }
    }

    private void setLimit(Path d, long limit) {
        try {
            fs.write(d.resolve("memory.limit_in_bytes"), Long.toString(limit));
        } catch (IOException e) {
            String why = CgroupFs.why(e);
            if (why.contains("busy")) {
                long usage = fs.readLong(d.resolve("memory.usage_in_bytes"));
                long peak = fs.readLong(d.resolve("memory.max_usage_in_bytes"));
                throw JrError.of("linux.resources.memory.limit: cannot set " + limit + " bytes: the container uses "
                        + usage + " bytes (peak " + peak + "), more than the new limit: " + why);
            }
            if (why.contains("invalid")) {
                throw JrError.of("linux.resources.memory.limit: cannot set " + limit + " in "
                        + d.resolve("memory.limit_in_bytes") + ": " + why
                        + " (the memory limit must not exceed memory.swap, the memory+swap limit)");
            }
            throw JrError.of("linux.resources.memory.limit: cannot set " + limit + " in " + d.resolve("memory.limit_in_bytes") + ": " + why);
        }
    }

    private void setSwap(Path d, long swap) {
        try {
            fs.write(d.resolve("memory.memsw.limit_in_bytes"), Long.toString(swap));
        } catch (IOException e) {
            String why = CgroupFs.why(e);
            String hint = why.contains("invalid") ? " (memory.swap is memory+swap and must be >= memory.limit)" : "";
            throw JrError.of("linux.resources.memory.swap: cannot set " + swap + " in "
                    + d.resolve("memory.memsw.limit_in_bytes") + ": " + why + hint);
        }
    }

    // ---- cpu

    private void setCpu(Resources.Cpu c) {
        boolean any = c.shares() != null || c.quota() != null || c.period() != null || c.burst() != null
                || c.realtimePeriod() != null || c.realtimeRuntime() != null || c.idle() != null;
        if (!any) return;
        Path d = need("cpu", "linux.resources.cpu");
        if (c.shares() != null && c.shares() != 0) {
            fs.set(d, "cpu.shares", Long.toString(c.shares()), "linux.resources.cpu.shares");
            long got = fs.readLong(d.resolve("cpu.shares"));
            if (got != c.shares()) {
                throw JrError.of("linux.resources.cpu.shares: " + c.shares() + " is out of range: the kernel set "
                        + got + " (allowed: 2 to 262144)");
            }
        }
        long quota = c.quota() == null ? 0 : c.quota();
        long period = c.period() == null ? 0 : c.period();
        boolean periodPending = false;
        if (period != 0) {
            try {
                fs.write(d.resolve("cpu.cfs_period_us"), Long.toString(period));
            } catch (IOException e) {
                // a shorter period can be refused while the old quota/new period exceeds the
                // parent's; if a quota comes too, retry after it (runc's order)
                if (quota == 0 || !CgroupFs.why(e).contains("invalid")) {
                    throw JrError.of("linux.resources.cpu.period: cannot set " + period + " in "
                            + d.resolve("cpu.cfs_period_us") + ": " + CgroupFs.why(e));
                }
                periodPending = true;
            }
        }
        if (quota != 0) {
            fs.set(d, "cpu.cfs_quota_us", Long.toString(quota), "linux.resources.cpu.quota");
            if (periodPending) fs.set(d, "cpu.cfs_period_us", Long.toString(period), "linux.resources.cpu.period");
        }
        if (c.burst() != null) fs.set(d, "cpu.cfs_burst_us", Long.toString(c.burst()), "linux.resources.cpu.burst");
        if (c.realtimePeriod() != null && c.realtimePeriod() != 0) {
            fs.set(d, "cpu.rt_period_us", Long.toString(c.realtimePeriod()), "linux.resources.cpu.realtimePeriod");
        }
        if (c.realtimeRuntime() != null && c.realtimeRuntime() != 0) {
            fs.set(d, "cpu.rt_runtime_us", Long.toString(c.realtimeRuntime()), "linux.resources.cpu.realtimeRuntime");
        }
        if (c.idle() != null) fs.set(d, "cpu.idle", Long.toString(c.idle()), "linux.resources.cpu.idle");
    }

    // ---- blkio, hugetlb, network

    private void setBlkio(Resources.BlockIO b) {
        Path d = need("blkio", "linux.resources.blockIO");
        boolean wantsWeight = b.weight() != null || b.leafWeight() != null
                || (b.weightDevice() != null && !b.weightDevice().isEmpty());
        if (wantsWeight) {
            String weightFile = fs.exists(d.resolve("blkio.bfq.weight")) ? "blkio.bfq.weight"
                    : fs.exists(d.resolve("blkio.weight")) ? "blkio.weight" : null;
            if (weightFile == null) {
                throw JrError.of("linux.resources.blockIO.weight: cannot be applied: this kernel offers neither"
                        + " blkio.weight nor blkio.bfq.weight (no CFQ/BFQ I/O scheduler weights)");
            }
            if (b.weight() != null && b.weight() != 0) fs.set(d, weightFile, Integer.toString(b.weight()), "linux.resources.blockIO.weight");
            if (b.leafWeight() != null && b.leafWeight() != 0) fs.set(d, "blkio.leaf_weight", Integer.toString(b.leafWeight()), "linux.resources.blockIO.leafWeight");
            if (b.weightDevice() != null) {
                for (int i = 0; i < b.weightDevice().size(); i++) {
                    var w = b.weightDevice().get(i);
                    String dev = w.major() + ":" + w.minor();
                    String f = "linux.resources.blockIO.weightDevice[" + i + "]";
                    if (w.weight() != null && w.weight() != 0) fs.set(d, weightFile.equals("blkio.bfq.weight") ? "blkio.bfq.weight_device" : "blkio.weight_device", dev + " " + w.weight(), f);
                    if (w.leafWeight() != null && w.leafWeight() != 0) fs.set(d, "blkio.leaf_weight_device", dev + " " + w.leafWeight(), f);
                }
            }
        }
        throttle(d, "blkio.throttle.read_bps_device", b.throttleReadBpsDevice(), "throttleReadBpsDevice");
        throttle(d, "blkio.throttle.write_bps_device", b.throttleWriteBpsDevice(), "throttleWriteBpsDevice");
        throttle(d, "blkio.throttle.read_iops_device", b.throttleReadIopsDevice(), "throttleReadIOPSDevice");
        throttle(d, "blkio.throttle.write_iops_device", b.throttleWriteIopsDevice(), "throttleWriteIOPSDevice");
    }

    private void throttle(Path d, String file, List<Resources.ThrottleDevice> list, String field) {
        if (list == null) return;
        for (int i = 0; i < list.size(); i++) {
            var t = list.get(i);
            fs.set(d, file, t.major() + ":" + t.minor() + " " + t.rate(), "linux.resources.blockIO." + field + "[" + i + "]");
        }
    }

    private void setHugetlb(List<Resources.HugepageLimit> limits) {
        Path d = need("hugetlb", "linux.resources.hugepageLimits");
        for (int i = 0; i < limits.size(); i++) {
            var h = limits.get(i);
            String field = "linux.resources.hugepageLimits[" + i + "]";
            fs.set(d, "hugetlb." + h.pageSize() + ".limit_in_bytes", Long.toString(h.limit()), field);
            String rsvd = "hugetlb." + h.pageSize() + ".rsvd.limit_in_bytes";
            if (fs.exists(d.resolve(rsvd))) fs.set(d, rsvd, Long.toString(h.limit()), field);
        }
    }

    private void setNetwork(Resources.Network n) {
        if (n.classID() != null) {
            fs.set(need("net_cls", "linux.resources.network.classID"), "net_cls.classid", Long.toString(n.classID()),
                    "linux.resources.network.classID");
        }
        if (n.priorities() != null && !n.priorities().isEmpty()) {
            Path d = need("net_prio", "linux.resources.network.priorities");
            for (var p : n.priorities()) {
                fs.set(d, "net_prio.ifpriomap", p.name() + " " + p.priority(), "linux.resources.network.priorities." + p.name());
            }
        }
    }

    // ---------------------------------------------------------------- processes

    @Override
    public void addProcess(long pid) {
        for (Dir d : dirs) writeProcs(fs, d.path(), pid);
    }

    /** Writes a pid to cgroup.procs; EINVAL can mean the task is still being created: retry briefly (runc). */
    static void writeProcs(CgroupFs fs, Path dir, long pid) {
        Path f = dir.resolve("cgroup.procs");
        for (int attempt = 0; ; attempt++) {
            try {
                fs.write(f, Long.toString(pid));
                return;
            } catch (IOException e) {
                String why = CgroupFs.why(e);
                if (why.contains("invalid") && attempt < 5) {
                    sleep(30);
                    continue;
                }
                String hint = why.contains("no space") ? " (the cgroup's cpuset.cpus or cpuset.mems is empty)" : "";
                throw JrError.of("cgroup: cannot add process " + pid + " to " + f + ": " + why + hint);
            }
        }
    }

    @Override
    public List<Long> pids() {
        Path d = path("devices");
        if (d == null) d = dirs.get(0).path();
        List<Long> out = new ArrayList<>();
        collectPids(fs, d, out);
        return out;
    }

    /** cgroup.procs of {@code dir} and of every cgroup below it. */
    static void collectPids(CgroupFs fs, Path dir, List<Long> out) {
        String procs;
        try {
            procs = fs.read(dir.resolve("cgroup.procs"));
        } catch (NoSuchFileException e) {
            return; // the cgroup is gone: no processes
        } catch (IOException e) {
            throw JrError.path("read", dir.resolve("cgroup.procs"), CgroupFs.why(e));
        }
        for (String l : procs.split("\n")) if (!l.isBlank()) out.add(Long.parseLong(l.trim()));
        for (Path sub : subdirs(dir)) collectPids(fs, sub, out);
    }

    static List<Path> subdirs(Path dir) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, Files::isDirectory)) {
            for (Path p : s) out.add(p);
        } catch (IOException e) {
            // gone or unreadable: no sub-cgroups to report
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    // ---------------------------------------------------------------- freezer

    @Override
    public void freeze() {
        Path d = need("freezer", "pause");
        Path state = d.resolve("freezer.state");
        long deadline = System.nanoTime() + 5_000_000_000L;
        for (int i = 0; ; i++) {
            if (i % 10 == 0) fs.set(d, "freezer.state", "FROZEN", "cgroup freezer");
            if (fs.readTrimmed(state).equals("FROZEN")) return;
            if (System.nanoTime() > deadline) {
                fs.set(d, "freezer.state", "THAWED", "cgroup freezer");
                throw JrError.path("cgroup: freezing", d, "the processes did not freeze within 5 s (thawed again)");
            }
            sleep(1);
        }
    }

    @Override
    public void thaw() {
        Path d = need("freezer", "resume");
        fs.set(d, "freezer.state", "THAWED", "cgroup freezer");
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!fs.readTrimmed(d.resolve("freezer.state")).equals("THAWED")) {
            if (System.nanoTime() > deadline) throw JrError.path("cgroup: thawing", d, "still not thawed after 5 s");
            sleep(1);
        }
    }

    /** FROZEN only; FREEZING (a freeze in progress) is not frozen yet. */
    @Override
    public boolean isFrozen() {
        Path d = path("freezer");
        if (d == null || !fs.exists(d)) return false;
        return fs.readTrimmed(d.resolve("freezer.state")).equals("FROZEN");
    }

    // ---------------------------------------------------------------- stats

    @Override
    public CgroupStats stats() {
        return new CgroupStats(cpuStats(), memoryStats(), pidsStats(), blkioStats());
    }

    private CgroupStats.Cpu cpuStats() {
        long total = 0, user = 0, kernel = 0, periods = 0, throttled = 0, throttledTime = 0;
        List<Long> percpu = new ArrayList<>();
        Path acct = path("cpuacct");
        if (acct != null) {
            total = Math.max(0, fs.readLong(acct.resolve("cpuacct.usage")));
            Path pc = acct.resolve("cpuacct.usage_percpu");
            if (fs.exists(pc)) for (String s : fs.readTrimmed(pc).split("\\s+")) if (!s.isEmpty()) percpu.add(Long.parseLong(s));
            Map<String, Long> st = keyValues(acct.resolve("cpuacct.stat"));
            long nsPerTick = 1_000_000_000L / USER_HZ;
            user = st.getOrDefault("user", 0L) * nsPerTick;
            kernel = st.getOrDefault("system", 0L) * nsPerTick;
        }
        Path cpu = path("cpu");
        if (cpu != null) {
            Map<String, Long> st = keyValues(cpu.resolve("cpu.stat"));
            periods = st.getOrDefault("nr_periods", 0L);
            throttled = st.getOrDefault("nr_throttled", 0L);
            throttledTime = st.getOrDefault("throttled_time", 0L);
        }
        return new CgroupStats.Cpu(total, percpu, kernel, user, periods, throttled, throttledTime);
    }

    private CgroupStats.Memory memoryStats() {
        Path d = path("memory");
        if (d == null) return null;
        Map<String, Long> raw = keyValues(d.resolve("memory.stat"));
        return new CgroupStats.Memory(raw.getOrDefault("cache", 0L), memEntry(d, "memory"), memEntry(d, "memory.memsw"),
                memEntry(d, "memory.kmem"), memEntry(d, "memory.kmem.tcp"), raw);
    }

    private CgroupStats.MemoryEntry memEntry(Path d, String prefix) {
        return new CgroupStats.MemoryEntry(z(fs.readLong(d.resolve(prefix + ".limit_in_bytes"))),
                z(fs.readLong(d.resolve(prefix + ".usage_in_bytes"))),
                z(fs.readLong(d.resolve(prefix + ".max_usage_in_bytes"))),
                z(fs.readLong(d.resolve(prefix + ".failcnt"))));
    }

    private static long z(long v) {
        return Math.max(0, v);
    }

    private CgroupStats.Pids pidsStats() {
        Path d = path("pids");
        if (d == null) return null;
        return new CgroupStats.Pids(z(fs.readLong(d.resolve("pids.current"))), z(fs.readLong(d.resolve("pids.max"))));
    }

    private CgroupStats.Blkio blkioStats() {
        Path d = path("blkio");
        if (d == null) return null;
        // CFQ files if present, else BFQ, else the throttle layer's counters (runc's order)
        String prefix = fs.exists(d.resolve("blkio.io_service_bytes_recursive")) ? "blkio."
                : fs.exists(d.resolve("blkio.bfq.io_service_bytes_recursive")) ? "blkio.bfq." : "blkio.throttle.";
        return new CgroupStats.Blkio(blkioEntries(d.resolve(prefix + "io_service_bytes_recursive")),
                blkioEntries(d.resolve(prefix + "io_serviced_recursive")));
    }

    private List<CgroupStats.BlkioEntry> blkioEntries(Path f) {
        List<CgroupStats.BlkioEntry> out = new ArrayList<>();
        if (!fs.exists(f)) return out;
        for (String line : fs.readTrimmed(f).split("\n")) {
            String[] p = line.trim().split("\\s+");
            if (p.length != 3) continue; // "Total N"
            String[] mm = p[0].split(":");
            if (mm.length != 2) continue;
            out.add(new CgroupStats.BlkioEntry(Long.parseLong(mm[0]), Long.parseLong(mm[1]), p[1], Long.parseLong(p[2])));
        }
        return out;
    }

    /** A "key value" file as a map; empty if absent. */
    Map<String, Long> keyValues(Path f) {
        return parseKeyValues(fs, f);
    }

    static Map<String, Long> parseKeyValues(CgroupFs fs, Path f) {
        Map<String, Long> m = new LinkedHashMap<>();
        if (!fs.exists(f)) return m;
        for (String line : fs.readTrimmed(f).split("\n")) {
            String[] p = line.trim().split("\\s+");
            if (p.length != 2) continue;
            try {
                m.put(p[0], Long.parseLong(p[1]));
            } catch (NumberFormatException e) {
                // not a counter
            }
        }
        return m;
    }

    @Override
    public long oomKillCount() {
        Path d = path("memory");
        if (d == null) return 0;
        return keyValues(d.resolve("memory.oom_control")).getOrDefault("oom_kill", 0L);
    }

    // ---------------------------------------------------------------- destroy

    @Override
    public boolean exists() {
        Path d = path("devices");
        return fs.exists(d == null ? dirs.get(0).path() : d);
    }

    @Override
    public void destroy() {
        if (!created.isEmpty() && isFrozen()) thaw();
        removeCreated(fs, created);
    }

    private void destroyQuietly(RuntimeException cause) {
        try {
            destroy();
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    /**
     * Deeper paths first, then reverse lexical order. A class rather than a Comparator chain:
     * the JDK spins the chain's lambdas at run time, ~2 ms on every delete.
     */
    private static final Comparator<Path> DEEPEST_FIRST = new Comparator<>() {
        @Override
        public int compare(Path a, Path b) {
            int byDepth = Integer.compare(b.getNameCount(), a.getNameCount());
            return byDepth != 0 ? byDepth : b.compareTo(a);
        }
    };

    /**
     * Removes the created directories deepest first (sub-cgroups the container made inside
     * them first), retrying EBUSY for about a second while exiting processes leave.
     */
    static void removeCreated(CgroupFs fs, List<Path> created) {
        List<Path> order = new ArrayList<>(created);
        order.sort(DEEPEST_FIRST);
        long deadline = System.nanoTime() + 1_000_000_000L;
        List<String> failures = new ArrayList<>();
        for (Path p : order) {
            String err = removeTree(fs, p, deadline);
            if (err != null) failures.add(p + ": " + err);
        }
        created.removeIf(p -> !fs.exists(p));
        if (!failures.isEmpty()) throw JrError.of("cgroup: cannot remove " + String.join("; ", failures));
    }

    /**
     * rmdir first, and only when that fails look for sub-cgroups: listing a cgroup directory
     * stats each of its ~25 control files, which was most of a `delete`'s cgroup time, and a
     * container seldom makes sub-cgroups.
     */
    private static String removeTree(CgroupFs fs, Path dir, long deadline) {
        while (true) {
            try {
                fs.rmdir(dir);
                return null;
            } catch (NoSuchFileException e) {
                return null;
            } catch (IOException e) {
                List<Path> subs = subdirs(dir);
                for (Path sub : subs) {
                    String err = removeTree(fs, sub, deadline);
                    if (err != null) return err;
                }
                if (!subs.isEmpty()) continue; // emptied: try again at once
                if (System.nanoTime() > deadline) return CgroupFs.why(e);
                sleep(10);
            }
        }
    }

    // ---------------------------------------------------------------- container mounts

    @Override
    public List<CgroupMount> containerMounts(String destination, boolean readOnly, boolean ownCgroupNamespace) {
        String dest = destination.endsWith("/") && destination.length() > 1
                ? destination.substring(0, destination.length() - 1) : destination;
        long base = CgroupMount.MS_NOSUID | CgroupMount.MS_NODEV | CgroupMount.MS_NOEXEC;
        List<CgroupMount> out = new ArrayList<>();
        out.add(CgroupMount.mount("tmpfs", dest, "tmpfs", base, "mode=755"));
        List<CgroupMount> links = new ArrayList<>();
        for (Dir d : dirs) {
            String dirName = d.mountPoint() == null ? d.name() : d.mountPoint().getFileName().toString();
            String source = d.name().startsWith("name=") ? d.name().substring(5) : "cgroup";
            if (ownCgroupNamespace) {
                // in its own cgroup namespace, a cgroup mount shows the container's cgroup as root
                out.add(CgroupMount.mount(source, dest + "/" + dirName, "cgroup",
                        base | (readOnly ? CgroupMount.MS_RDONLY : 0), d.name()));
            } else {
                // without one it would show the host's whole hierarchy: bind the container's own
                // cgroup directory instead, as runc does
                String target = dest + "/" + dirName;
                out.add(CgroupMount.mount(d.path().toString(), target, "", CgroupMount.MS_BIND | MS_REC, ""));
                if (readOnly) {
                    out.add(CgroupMount.remount(target, CgroupMount.MS_BIND | CgroupMount.MS_REMOUNT | CgroupMount.MS_RDONLY | base));
                }
            }
            // co-mounted controllers (cpu,cpuacct): one symlink per controller, as on the host
            if (d.name().contains(",")) {
                for (String c : d.name().split(",")) {
                    if (!c.equals(dirName)) links.add(CgroupMount.symlink(dirName, dest + "/" + c));
                }
            }
        }
        out.addAll(links);
        if (readOnly) {
            out.add(CgroupMount.remount(dest, CgroupMount.MS_BIND | CgroupMount.MS_REMOUNT | CgroupMount.MS_RDONLY | base));
        }
        return out;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw JrError.of("cgroup: interrupted");
        }
    }
}

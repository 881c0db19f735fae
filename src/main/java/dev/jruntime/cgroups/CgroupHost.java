package dev.jruntime.cgroups;

import dev.jruntime.JrError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What this host's cgroups look like, read from {@code /proc/self/mountinfo} and
 * {@code /proc/self/cgroup} at run time.
 *
 * <ul>
 * <li>{@link Mode#V1}: only cgroup v1 hierarchies (one mount per controller or per group of
 *     co-mounted controllers, plus named hierarchies such as {@code name=systemd}).
 * <li>{@link Mode#HYBRID}: v1 hierarchies <em>and</em> a cgroup2 mount (systemd's
 *     {@code /sys/fs/cgroup/unified}). As runc's fs driver does, the container gets v1 cgroups
 *     only; the cgroup2 mount is neither configured nor joined (runc's fs driver does not join
 *     it either; only its systemd driver does).
 * <li>{@link Mode#UNIFIED}: a cgroup2 mount and no v1 controller hierarchies.
 * </ul>
 *
 * Mount points come from mountinfo, so tests point a host at a fake tree in a temp dir by
 * giving it a mountinfo text whose mount points are there ({@link #parse}).
 */
public final class CgroupHost {

    public enum Mode { V1, HYBRID, UNIFIED }

    /** The v1 controllers jruntime knows; anything else in the super options is a mount option. */
    static final Set<String> V1_CONTROLLERS = Set.of("cpu", "cpuacct", "cpuset", "memory", "devices",
            "freezer", "net_cls", "net_prio", "blkio", "perf_event", "hugetlb", "pids", "rdma", "misc");

    /**
     * One v1 hierarchy: where it is mounted, which cgroup of it the mount shows as its root,
     * its controllers (or {@code name=…}) in mount order, and this process's own cgroup in it.
     */
    public record Hierarchy(Path mountPoint, String mountRoot, List<String> controllers, String ownCgroup) {
        /** The controllers as the kernel lists them, e.g. {@code cpu,cpuacct} or {@code name=systemd}. */
        public String name() {
            return String.join(",", controllers);
        }

        boolean has(String controller) {
            return controllers.contains(controller);
        }
    }

    /** The cgroup2 mount: where, its root, this process's cgroup in it. */
    public record Unified(Path mountPoint, String mountRoot, String ownCgroup) {}

    private final Mode mode;
    private final List<Hierarchy> hierarchies;
    private final Unified unified;
    final CgroupFs fs;

    private CgroupHost(Mode mode, List<Hierarchy> hierarchies, Unified unified, CgroupFs fs) {
        this.mode = mode;
        this.hierarchies = List.copyOf(hierarchies);
        this.unified = unified;
        this.fs = fs;
    }

    public Mode mode() {
        return mode;
    }

    /** The v1 hierarchies (empty in unified mode). */
    public List<Hierarchy> hierarchies() {
        return hierarchies;
    }

    /** The cgroup2 mount, or null if there is none. */
    public Unified unified() {
        return unified;
    }

    /** The hierarchy that carries {@code controller}, or null if it is not mounted. */
    public Hierarchy hierarchy(String controller) {
        for (Hierarchy h : hierarchies) if (h.has(controller)) return h;
        return null;
    }

    /** Reads this process's mountinfo and cgroup membership. */
    public static CgroupHost detect() {
        try {
            return parse(Files.readString(Path.of("/proc/self/mountinfo")),
                    Files.readString(Path.of("/proc/self/cgroup")), CgroupFs.REAL);
        } catch (IOException e) {
            throw JrError.of("cannot read /proc/self/mountinfo or /proc/self/cgroup", e);
        }
    }

    /** A host from the texts of a mountinfo and a /proc/self/cgroup file. */
    public static CgroupHost parse(String mountinfo, String procSelfCgroup) {
        return parse(mountinfo, procSelfCgroup, CgroupFs.REAL);
    }

    static CgroupHost parse(String mountinfo, String procSelfCgroup, CgroupFs fs) {
        // own cgroups: "<id>:<controllers>:<path>"; "0::<path>" is the unified one
        Map<String, String> own = new TreeMap<>();
        String ownUnified = null;
        for (String line : procSelfCgroup.split("\n")) {
            if (line.isBlank()) continue;
            String[] f = line.split(":", 3);
            if (f.length != 3) continue;
            if (f[0].equals("0") && f[1].isEmpty()) {
                ownUnified = f[2];
            } else {
                for (String c : f[1].split(",")) own.put(c, f[2]);
            }
        }
        List<Hierarchy> hs = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        Unified uni = null;
        for (String line : mountinfo.split("\n")) {
            if (line.isBlank()) continue;
            String[] f = line.split(" ");
            int dash = -1;
            for (int i = 6; i < f.length; i++) {
                if (f[i].equals("-")) {
                    dash = i;
                    break;
                }
            }
            if (dash < 0 || dash + 3 >= f.length) continue;
            String fstype = f[dash + 1];
            String root = unescape(f[3]);
            Path mountPoint = Path.of(unescape(f[4]));
            if (fstype.equals("cgroup2")) {
                if (uni == null) uni = new Unified(mountPoint, root, ownUnified == null ? "/" : ownUnified);
            } else if (fstype.equals("cgroup")) {
                List<String> ctrls = new ArrayList<>();
                for (String o : f[dash + 3].split(",")) {
                    if (V1_CONTROLLERS.contains(o) || o.startsWith("name=")) ctrls.add(o);
                }
                if (ctrls.isEmpty()) continue;
                String name = String.join(",", ctrls);
                if (!seen.add(name)) continue; // the same hierarchy mounted twice: the first wins, as in runc
                String ownPath = own.getOrDefault(ctrls.get(0), "/");
                hs.add(new Hierarchy(mountPoint, root, List.copyOf(ctrls), ownPath));
            }
        }
        boolean anyController = false;
        for (Hierarchy h : hs) anyController |= !h.controllers().get(0).startsWith("name=");
        Mode mode;
        if (anyController) {
            mode = uni == null ? Mode.V1 : Mode.HYBRID;
        } else if (uni != null) {
            mode = Mode.UNIFIED;
            hs.clear();
        } else {
            throw JrError.of("no cgroup file system is mounted (neither cgroup v1 controllers nor cgroup2 in /proc/self/mountinfo)");
        }
        return new CgroupHost(mode, hs, uni, fs);
    }

    /** The octal escapes of mountinfo ({@code \040} for a space, …). */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) return s;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 4 <= s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}

package dev.jruntime.cgroups;

import dev.jruntime.JrError;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * {@code linux.cgroupsPath}, cleaned and classified, and its resolution in one hierarchy.
 *
 * <p>Rules (those of runc's fs driver):
 * <ul>
 * <li>absolute ({@code /<ns>/<id>} from containerd): relative to the root of each hierarchy,
 *     e.g. {@code /sys/fs/cgroup/memory/<ns>/<id>};
 * <li>relative: joined to the runtime's own cgroup in that hierarchy as listed in
 *     {@code /proc/self/cgroup} (runc uses its own cgroup, not that of pid 1);
 * <li>absent or empty: the relative path {@code <id>}, i.e. {@code <own cgroup>/<id>}; this is
 *     what runc does ({@code Name = id}, no parent). On this host, where jruntime runs in the
 *     memory cgroup {@code /process_api/…}, the default memory cgroup is therefore
 *     {@code /process_api/…/<id>}, created (and later removed) by jruntime.
 * </ul>
 * Cleaning is lexical, as runc's {@code CleanPath}: {@code .} and {@code ..} are resolved and
 * a relative path can never climb above the cgroup it is joined to. A systemd-style
 * {@code slice:prefix:name} value needs the systemd driver, which jruntime does not have: error.
 */
public record CgroupPath(boolean absolute, String inner) {

    /** The path of the container's cgroup for {@code cgroupsPath} (may be null) and {@code id}. */
    public static CgroupPath of(String cgroupsPath, String id) {
        if (cgroupsPath == null || cgroupsPath.isEmpty()) {
            return new CgroupPath(false, clean(id, false));
        }
        if (isSystemdStyle(cgroupsPath)) {
            throw JrError.config("/linux/cgroupsPath", "\"" + cgroupsPath
                    + "\" is a systemd slice:prefix:name path; the systemd cgroup driver is not implemented"
                    + " by jruntime (use a path such as /" + "<parent>/<id>)");
        }
        boolean abs = cgroupsPath.startsWith("/");
        String c = clean(cgroupsPath, abs);
        if (c.isEmpty() || c.equals("/")) {
            throw JrError.config("/linux/cgroupsPath", "\"" + cgroupsPath + "\" names the root cgroup, which a container cannot own");
        }
        return new CgroupPath(abs, c);
    }

    /** runc's systemd form: exactly three colon-separated parts and no slash. */
    static boolean isSystemdStyle(String p) {
        return !p.contains("/") && p.split(":", -1).length == 3;
    }

    /** Lexical cleaning; the result of a relative path is relative and never starts with "..". */
    static String clean(String p, boolean absolute) {
        Deque<String> parts = new ArrayDeque<>();
        for (String s : p.split("/")) {
            if (s.isEmpty() || s.equals(".")) continue;
            if (s.equals("..")) {
                if (!parts.isEmpty()) parts.removeLast();
                continue;
            }
            parts.addLast(s);
        }
        String j = String.join("/", parts);
        return absolute ? "/" + j : j;
    }

    /** The directory of this path in a hierarchy mounted at {@code mountPoint}. */
    Path resolve(Path mountPoint, String mountRoot, String ownCgroup) {
        if (absolute) return mountPoint.resolve(inner.substring(1));
        String rel = relativeTo(mountRoot, ownCgroup);
        Path base = rel.isEmpty() ? mountPoint : mountPoint.resolve(rel);
        return base.resolve(inner);
    }

    /** {@code own} relative to {@code root} (both cgroup paths as the kernel lists them). */
    static String relativeTo(String root, String own) {
        String r = clean(root, true), o = clean(own, true);
        if (r.equals("/")) return o.substring(1);
        if (o.equals(r)) return "";
        if (o.startsWith(r + "/")) return o.substring(r.length() + 1);
        throw JrError.of("cgroup: jruntime's own cgroup " + own + " lies outside the mounted part " + root
                + " of its hierarchy; use an absolute linux.cgroupsPath");
    }

    @Override
    public String toString() {
        return inner;
    }
}

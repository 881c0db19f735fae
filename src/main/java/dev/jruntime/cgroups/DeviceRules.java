package dev.jruntime.cgroups;

import dev.jruntime.JrError;
import dev.jruntime.spec.Resources.DeviceRule;
import java.util.ArrayList;
import java.util.List;

/**
 * The device-access rules a container's devices cgroup gets, in the order they are written.
 *
 * <p>What runc does (libcontainer/specconv {@code CreateCgroupConfig} plus
 * {@code AllowedDevices}): the cgroup starts from deny-all, the rules of
 * {@code linux.resources.devices} are applied in order, then runc <em>appends</em> its
 * default allow list, so a config rule cannot take these devices away:
 * <pre>
 *   c *:* m   b *:* m            (mknod of any device; opening still needs a rule)
 *   c 1:3 rwm  /dev/null         c 1:8 rwm  /dev/random     c 1:7 rwm  /dev/full
 *   c 5:0 rwm  /dev/tty          c 1:5 rwm  /dev/zero       c 1:9 rwm  /dev/urandom
 *   c 136:* rwm /dev/pts/*       c 5:2 rwm  /dev/ptmx       c 10:200 rwm /dev/net/tun
 * </pre>
 * jruntime does the same: on v1 {@code a *:* rwm} to {@code devices.deny}, the config's
 * rules in order, then this list; on v2 the same sequence compiled to eBPF ({@link DeviceFilter}).
 */
final class DeviceRules {
    private DeviceRules() {}

    /** One rule in the kernel's v1 syntax and whether it allows. */
    record Rule(boolean allow, char type, long major, long minor, String access) {
        /** {@code c 1:3 rwm}; -1 is the wildcard. */
        String line() {
            return type + " " + (major < 0 ? "*" : Long.toString(major)) + ":"
                    + (minor < 0 ? "*" : Long.toString(minor)) + " " + access;
        }
    }

    static final List<Rule> DEFAULT_ALLOW = List.of(
            new Rule(true, 'c', -1, -1, "m"),
            new Rule(true, 'b', -1, -1, "m"),
            new Rule(true, 'c', 1, 3, "rwm"),
            new Rule(true, 'c', 1, 8, "rwm"),
            new Rule(true, 'c', 1, 7, "rwm"),
            new Rule(true, 'c', 5, 0, "rwm"),
            new Rule(true, 'c', 1, 5, "rwm"),
            new Rule(true, 'c', 1, 9, "rwm"),
            new Rule(true, 'c', 136, -1, "rwm"),
            new Rule(true, 'c', 5, 2, "rwm"),
            new Rule(true, 'c', 10, 200, "rwm"));

    /** The config's rules, validated, in order ({@code /linux/resources/devices/i/...} errors). */
    static List<Rule> fromConfig(List<DeviceRule> rules) {
        List<Rule> out = new ArrayList<>();
        if (rules == null) return out;
        for (int i = 0; i < rules.size(); i++) {
            DeviceRule r = rules.get(i);
            String ptr = "/linux/resources/devices/" + i;
            if (r == null) throw JrError.config(ptr, "device rule expected, found null");
            if (r.allow() == null) throw JrError.config(ptr + "/allow", "required");
            String type = r.type() == null ? "a" : r.type();
            if (!type.equals("a") && !type.equals("b") && !type.equals("c")) {
                throw JrError.config(ptr + "/type", "must be \"a\", \"b\" or \"c\", found \"" + type + "\"");
            }
            String access = r.access() == null || r.access().isEmpty() ? "rwm" : r.access();
            if (!isAccess(access)) {
                throw JrError.config(ptr + "/access", "must be a combination of r, w and m, found \"" + access + "\"");
            }
            long major = r.major() == null ? -1 : r.major();
            long minor = r.minor() == null ? -1 : r.minor();
            if (r.major() != null && major < 0) throw JrError.config(ptr + "/major", "must not be negative");
            if (r.minor() != null && minor < 0) throw JrError.config(ptr + "/minor", "must not be negative");
            out.add(new Rule(r.allow(), type.charAt(0), major, minor, access));
        }
        return out;
    }

    /**
     * One to three of r, w, m, none twice. A loop, not a regex and a stream: this runs in every
     * create, and those would load and spin ~40 classes there.
     */
    private static boolean isAccess(String access) {
        if (access.isEmpty() || access.length() > 3) return false;
        for (int i = 0; i < access.length(); i++) {
            char c = access.charAt(i);
            if ((c != 'r' && c != 'w' && c != 'm') || access.indexOf(c) != i) return false;
        }
        return true;
    }

    /** The full sequence after the initial deny-all: config rules, then the default allow list. */
    static List<Rule> effective(List<DeviceRule> config) {
        List<Rule> all = new ArrayList<>(fromConfig(config));
        all.addAll(DEFAULT_ALLOW);
        return all;
    }
}

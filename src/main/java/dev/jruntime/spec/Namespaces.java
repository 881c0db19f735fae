package dev.jruntime.spec;

import java.util.List;

/**
 * The OCI namespace types, their {@code CLONE_NEW*} flags and their files under
 * {@code /proc/<pid>/ns/}. No dependencies.
 */
public final class Namespaces {
    private Namespaces() {}

    public static final long CLONE_NEWTIME = 0x00000080L;
    public static final long CLONE_NEWNS = 0x00020000L;
    public static final long CLONE_NEWCGROUP = 0x02000000L;
    public static final long CLONE_NEWUTS = 0x04000000L;
    public static final long CLONE_NEWIPC = 0x08000000L;
    public static final long CLONE_NEWUSER = 0x10000000L;
    public static final long CLONE_NEWPID = 0x20000000L;
    public static final long CLONE_NEWNET = 0x40000000L;

    /** The OCI types, in the order jruntime joins existing namespaces ({@code setns}).
     *  The user namespace comes first: joining it gives the capabilities needed to join the
     *  namespaces it owns. The mount namespace comes last, after every other path is opened. */
    public static final List<String> JOIN_ORDER =
            List.of("user", "ipc", "uts", "network", "pid", "cgroup", "time", "mount");

    /** All OCI namespace types. */
    public static List<String> all() {
        return JOIN_ORDER;
    }

    public static boolean isKnown(String type) {
        return type != null && JOIN_ORDER.contains(type);
    }

    /** The {@code CLONE_NEW*} flag of an OCI type, or 0 if unknown. */
    public static long cloneFlag(String type) {
        if (type == null) return 0;
        return switch (type) {
            case "pid" -> CLONE_NEWPID;
            case "network" -> CLONE_NEWNET;
            case "mount" -> CLONE_NEWNS;
            case "ipc" -> CLONE_NEWIPC;
            case "uts" -> CLONE_NEWUTS;
            case "user" -> CLONE_NEWUSER;
            case "cgroup" -> CLONE_NEWCGROUP;
            case "time" -> CLONE_NEWTIME;
            default -> 0;
        };
    }

    /** The file name under {@code /proc/<pid>/ns/} of an OCI type ({@code network} → {@code net}), or null. */
    public static String procName(String type) {
        if (type == null) return null;
        return switch (type) {
            case "pid" -> "pid";
            case "network" -> "net";
            case "mount" -> "mnt";
            case "ipc" -> "ipc";
            case "uts" -> "uts";
            case "user" -> "user";
            case "cgroup" -> "cgroup";
            case "time" -> "time";
            default -> null;
        };
    }
}

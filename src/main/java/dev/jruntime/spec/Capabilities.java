package dev.jruntime.spec;

import java.util.List;

/**
 * Linux capability names as the OCI config spells them ({@code CAP_} + the kernel's name) and
 * their bit numbers, from {@code CAP_CHOWN = 0} to {@code CAP_CHECKPOINT_RESTORE = 40}
 * ({@code include/uapi/linux/capability.h}). No dependencies: the planner uses it to build
 * the capset masks.
 */
public final class Capabilities {
    private Capabilities() {}

    /** Index = bit number. */
    private static final String[] NAMES = {
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID",
        "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
        "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK",
        "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
        "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE",
        "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE",
        "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
        "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
        "CAP_CHECKPOINT_RESTORE",
    };

    /** The highest bit number jruntime knows (CAP_CHECKPOINT_RESTORE). */
    public static final int LAST = NAMES.length - 1;

    /** The bit number of {@code name} (e.g. {@code "CAP_KILL"} → 5), or -1 if unknown. */
    public static int bit(String name) {
        if (name == null) return -1;
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equals(name)) return i;
        }
        return -1;
    }

    /** Whether {@code name} is a capability jruntime knows. */
    public static boolean isKnown(String name) {
        return bit(name) >= 0;
    }

    /** The name of bit {@code bit}, or null. */
    public static String name(int bit) {
        return bit >= 0 && bit < NAMES.length ? NAMES[bit] : null;
    }

    /** All known names, in bit order. */
    public static List<String> all() {
        return List.of(NAMES);
    }

    /** The capability set as a 64-bit mask (bit n = capability n); unknown names are an error. */
    public static long mask(List<String> names) {
        long m = 0;
        if (names == null) return 0;
        for (String n : names) {
            int b = bit(n);
            if (b < 0) throw new IllegalArgumentException("unknown capability " + n);
            m |= 1L << b;
        }
        return m;
    }
}

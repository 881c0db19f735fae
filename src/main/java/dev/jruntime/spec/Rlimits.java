package dev.jruntime.spec;

import java.util.List;

/**
 * {@code RLIMIT_*} names and their resource numbers on Linux (x86-64 and the generic ABI;
 * {@code include/uapi/asm-generic/resource.h}). No dependencies.
 */
public final class Rlimits {
    private Rlimits() {}

    /** Index = resource number. */
    private static final String[] NAMES = {
        "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK", "RLIMIT_CORE",
        "RLIMIT_RSS", "RLIMIT_NPROC", "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS",
        "RLIMIT_LOCKS", "RLIMIT_SIGPENDING", "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_RTPRIO",
        "RLIMIT_RTTIME",
    };

    /** RLIM_INFINITY: the all-ones 64-bit value (-1 as a Java long). */
    public static final long INFINITY = -1L;

    /** The resource number of {@code name} ({@code "RLIMIT_NOFILE"} → 7), or -1 if unknown. */
    public static int resource(String name) {
        if (name == null) return -1;
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equals(name)) return i;
        }
        return -1;
    }

    public static boolean isKnown(String name) {
        return resource(name) >= 0;
    }

    /** The name of resource {@code number}, or null. */
    public static String name(int number) {
        return number >= 0 && number < NAMES.length ? NAMES[number] : null;
    }

    /** All known names, in resource-number order. */
    public static List<String> all() {
        return List.of(NAMES);
    }
}

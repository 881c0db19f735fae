package dev.jruntime.seccomp;

import java.util.List;

/**
 * What the seccomp compiler supports, for the {@code features} verb ({@code linux.seccomp} of
 * the runtime-spec's features document). Everything here is what {@link SeccompCompiler} really
 * compiles; nothing is probed or loaded.
 */
public final class SeccompFeatures {
    private SeccompFeatures() {}

    /** Every action the compiler accepts. */
    public static List<String> actions() {
        return List.of("SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS",
                "SCMP_ACT_KILL_THREAD", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY", "SCMP_ACT_TRACE", "SCMP_ACT_TRAP");
    }

    /** Every comparison operator the compiler accepts. */
    public static List<String> operators() {
        return List.of("SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_LE", "SCMP_CMP_LT",
                "SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE");
    }

    /**
     * The architectures jruntime has syscall tables for. Other architectures of the spec are
     * accepted in a config but left out of the filter (and reported), so they are not listed.
     */
    public static List<String> archs() {
        return List.of("SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM", "SCMP_ARCH_X32", "SCMP_ARCH_X86", "SCMP_ARCH_X86_64");
    }

    /** The {@code flags} values the compiler understands. */
    public static List<String> knownFlags() {
        return List.of("SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
                "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV");
    }

    /**
     * The known flags the running kernel accepts, judged by its version (os.version): TSYNC since
     * 3.17, LOG since 4.14, SPEC_ALLOW since 4.17, WAIT_KILLABLE_RECV since 5.19.
     */
    public static List<String> supportedFlags() {
        return supportedFlags(System.getProperty("os.version", ""));
    }

    static List<String> supportedFlags(String kernelVersion) {
        int v = kernelVersionCode(kernelVersion);
        java.util.ArrayList<String> out = new java.util.ArrayList<>(4);
        if (v >= 3_17) out.add("SECCOMP_FILTER_FLAG_TSYNC");
        if (v >= 4_14) out.add("SECCOMP_FILTER_FLAG_LOG");
        if (v >= 4_17) out.add("SECCOMP_FILTER_FLAG_SPEC_ALLOW");
        if (v >= 5_19) out.add("SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV");
        return List.copyOf(out);
    }

    /** "6.18.44-fc" → 618, "5.4.0" → 504; 0 when unreadable. */
    private static int kernelVersionCode(String v) {
        int major = 0, minor = 0, i = 0;
        while (i < v.length() && Character.isDigit(v.charAt(i))) major = major * 10 + (v.charAt(i++) - '0');
        if (i == 0 || i >= v.length() || v.charAt(i) != '.') return 0;
        i++;
        int start = i;
        while (i < v.length() && Character.isDigit(v.charAt(i))) minor = minor * 10 + (v.charAt(i++) - '0');
        if (i == start) return 0;
        return major * 100 + Math.min(minor, 99);
    }
}

package dev.jruntime.seccomp;

/**
 * The architectures jruntime has syscall tables for, with the values the kernel puts in
 * {@code seccomp_data.arch} (the {@code AUDIT_ARCH_*} constants of linux/audit.h).
 *
 * <p>x32 shares {@code AUDIT_ARCH_X86_64} with x86_64: the kernel tells them apart only by
 * {@code __X32_SYSCALL_BIT} (0x40000000) in the syscall number.
 */
public enum Arch {
    X86_64("SCMP_ARCH_X86_64", 0xC000003E, true),
    X86("SCMP_ARCH_X86", 0x40000003, false),
    X32("SCMP_ARCH_X32", 0xC000003E, true),
    AARCH64("SCMP_ARCH_AARCH64", 0xC00000B7, true),
    ARM("SCMP_ARCH_ARM", 0x40000028, false);

    /** {@code __X32_SYSCALL_BIT}. */
    static final int X32_SYSCALL_BIT = 0x40000000;

    private final String specName;
    private final int auditArch;
    private final boolean wideArgs;

    Arch(String specName, int auditArch, boolean wideArgs) {
        this.specName = specName;
        this.auditArch = auditArch;
        this.wideArgs = wideArgs;
    }

    /** The name used in config.json ({@code SCMP_ARCH_X86_64}). */
    public String specName() {
        return specName;
    }

    /** The {@code seccomp_data.arch} value. */
    public int auditArch() {
        return auditArch;
    }

    /**
     * Whether syscall arguments are 64 bits wide. For the 32-bit ABIs (x86, arm) the kernel
     * zero-extends each argument, so only the low word is compared (as libseccomp does).
     */
    boolean wideArgs() {
        return wideArgs;
    }

    /** The architecture of a config name, or null when jruntime has no syscall table for it. */
    public static Arch fromSpecName(String name) {
        return switch (name) {
            case "SCMP_ARCH_X86_64" -> X86_64;
            case "SCMP_ARCH_X86" -> X86;
            case "SCMP_ARCH_X32" -> X32;
            case "SCMP_ARCH_AARCH64" -> AARCH64;
            case "SCMP_ARCH_ARM" -> ARM;
            default -> null;
        };
    }

    /**
     * Whether {@code name} is an architecture the runtime spec (and libseccomp) knows but jruntime
     * has no syscall table for: such entries are skipped and reported, not rejected.
     */
    static boolean isKnownForeign(String name) {
        return switch (name) {
            case "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32",
                    "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32",
                    "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE",
                    "SCMP_ARCH_S390", "SCMP_ARCH_S390X", "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64",
                    "SCMP_ARCH_RISCV64", "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K",
                    "SCMP_ARCH_SH", "SCMP_ARCH_SHEB" -> true;
            default -> false;
        };
    }

    /**
     * The architecture this JVM runs on, which (like libseccomp's native arch) every filter
     * includes; null on a machine jruntime has no table for.
     */
    public static Arch nativeArch() {
        return switch (System.getProperty("os.arch", "")) {
            case "amd64", "x86_64" -> X86_64;
            case "aarch64", "arm64" -> AARCH64;
            case "x86", "i386", "i486", "i586", "i686" -> X86;
            case "arm" -> ARM;
            default -> null;
        };
    }
}

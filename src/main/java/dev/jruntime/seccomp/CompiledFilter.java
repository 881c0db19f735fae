package dev.jruntime.seccomp;

import java.util.List;

/**
 * A compiled {@code linux.seccomp} section, ready for {@code seccomp(SECCOMP_SET_MODE_FILTER, filterFlags, &prog)}.
 *
 * @param program              {@code struct sock_filter[]}, little endian, 8 bytes an instruction
 *                             ({@code u16 code, u8 jt, u8 jf, u32 k})
 * @param filterFlags          the {@code SECCOMP_FILTER_FLAG_*} bits to load the program with;
 *                             includes {@code NEW_LISTENER} when {@code needsListener}
 * @param needsListener        whether an action is {@code SCMP_ACT_NOTIFY}: loading returns a listener
 *                             fd that must be sent to {@code listenerPath}
 * @param skippedArchitectures architectures of the config that jruntime has no syscall table for
 *                             (mips, ppc, s390, …): left out of the filter, so a process of that ABI
 *                             gets the bad-arch action; the caller should warn
 * @param unknownSyscalls      syscall names that no filtered architecture has (misspelt, too new
 *                             for jruntime's tables, or of another architecture such as arm's
 *                             {@code breakpoint} in an x86 filter): skipped, as runc skips names
 *                             libseccomp cannot resolve; the caller should log them at debug level
 * @param notes                other adjustments worth a warning (a flag dropped because the kernel
 *                             would refuse it, …)
 */
public record CompiledFilter(
        byte[] program,
        long filterFlags,
        boolean needsListener,
        List<String> skippedArchitectures,
        List<String> unknownSyscalls,
        List<String> notes) {

    /** The number of BPF instructions ({@code sock_fprog.len}). */
    public int instructionCount() {
        return program.length / 8;
    }
}

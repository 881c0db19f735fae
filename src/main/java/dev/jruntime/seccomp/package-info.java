/**
 * seccomp: the OCI {@code linux.seccomp} section compiled to a classic BPF program in pure Java.
 *
 * <p>{@link dev.jruntime.seccomp.SeccompCompiler#compile} gives a {@link dev.jruntime.seccomp.CompiledFilter}:
 * the {@code struct sock_filter[]} bytes and the {@code SECCOMP_FILTER_FLAG_*} bits that jruntime-init
 * passes to {@code seccomp(SECCOMP_SET_MODE_FILTER)} just before {@code execve}, whether a listener fd
 * comes back (SCMP_ACT_NOTIFY), and what was skipped (architectures without a table, unknown syscall
 * names) for the caller to report. {@link dev.jruntime.seccomp.SeccompFeatures} lists what is supported,
 * for the {@code features} verb. The semantics, and where they follow runc and libseccomp, are on
 * {@code SeccompCompiler}.
 *
 * <p>Only {@code create}/{@code run} touch this package: nothing here runs in a static initialiser, and
 * the syscall tables ({@code SyscallTable}, one nested class per architecture) load only when used.
 */
package dev.jruntime.seccomp;

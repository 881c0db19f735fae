package dev.jruntime.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jruntime.JrError;
import dev.jruntime.seccomp.BpfInterpreter.SeccompData;
import dev.jruntime.spec.LinuxSpec.Seccomp;
import dev.jruntime.spec.LinuxSpec.Syscall;
import dev.jruntime.spec.LinuxSpec.SyscallArg;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeccompCompilerTest {
    static final int ALLOW = 0x7fff0000, KILL_THREAD = 0, KILL_PROCESS = 0x80000000, TRAP = 0x00030000;
    static final int ERRNO = 0x00050000, TRACE = 0x7ff00000, LOG = 0x7ffc0000, NOTIFY = 0x7fc00000;
    static final int AUDIT_X86_64 = 0xC000003E, AUDIT_I386 = 0x40000003, AUDIT_AARCH64 = 0xC00000B7,
            AUDIT_ARM = 0x40000028, AUDIT_PPC64LE = 0xC0000015;

    static Seccomp profile(String defaultAction, Long defaultErrno, List<String> arches, Syscall... rules) {
        return new Seccomp(defaultAction, defaultErrno, arches, null, null, null, List.of(rules));
    }

    static Syscall rule(String action, Long errno, List<SyscallArg> args, String... names) {
        return new Syscall(List.of(names), action, errno, args);
    }

    static Syscall allow(String... names) {
        return rule("SCMP_ACT_ALLOW", null, null, names);
    }

    static SyscallArg arg(int index, String op, long value) {
        return new SyscallArg((long) index, value, null, op);
    }

    static int nr(Arch a, String name) {
        int n = SyscallTable.number(a, name);
        assertTrue(n >= 0, name + " unknown on " + a);
        return n;
    }

    static int run(CompiledFilter f, int arch, int nr, long... args) {
        return new BpfInterpreter(f.program()).run(new SeccompData(nr, arch, 0x1234, args));
    }

    static int runX64(CompiledFilter f, String name, long... args) {
        return run(f, AUDIT_X86_64, nr(Arch.X86_64, name), args);
    }

    @Test
    void defaultActionAndDefaultErrno() {
        CompiledFilter f = SeccompCompiler.compile(profile("SCMP_ACT_ERRNO", null, null, allow("getpid", "io_uring_setup")),
                Arch.X86_64);
        assertEquals(ALLOW, runX64(f, "getpid"));
        assertEquals(ERRNO | 1, runX64(f, "mount")); // EPERM unless defaultErrnoRet says otherwise
        assertEquals(ERRNO | 1, run(f, AUDIT_X86_64, 38)); // below getpid: the default
        f = SeccompCompiler.compile(profile("SCMP_ACT_ERRNO", 13L, null, allow("getpid", "io_uring_setup")),
                Arch.X86_64);
        assertEquals(ERRNO | 13, runX64(f, "mount"));
        f = SeccompCompiler.compile(profile("SCMP_ACT_ALLOW", null, null,
                rule("SCMP_ACT_KILL_PROCESS", null, null, "mount")), Arch.X86_64);
        assertEquals(ALLOW, runX64(f, "getpid"));
        assertEquals(KILL_PROCESS, runX64(f, "mount"));
        assertEquals(0, f.filterFlags());
        assertFalse(f.needsListener());
    }

    @Test
    void syscallsNewerThanTheProfileGetEnosysWithAnErrnoDefault() {
        CompiledFilter f = SeccompCompiler.compile(profile("SCMP_ACT_ERRNO", null, List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86"),
                allow("read", "openat"), rule("SCMP_ACT_ERRNO", null, null, "faccessat")), Arch.X86_64);
        int maxX64 = nr(Arch.X86_64, "faccessat"); // 269 on x86_64, the highest named (the rule itself is dropped)
        assertEquals(ERRNO | 1, runX64(f, "mount"));
        assertEquals(ERRNO | 1, run(f, AUDIT_X86_64, maxX64));
        assertEquals(ERRNO | 38, run(f, AUDIT_X86_64, maxX64 + 1));
        assertEquals(ERRNO | 38, runX64(f, "clone3"));
        assertEquals(ERRNO | 38, run(f, AUDIT_X86_64, 0x3FFFFFFF));
        assertEquals(ERRNO | 38, runX64(f, "faccessat2"));
        // per architecture: faccessat is 307 on x86, openat 295
        assertEquals(ERRNO | 1, run(f, AUDIT_I386, nr(Arch.X86, "faccessat")));
        assertEquals(ERRNO | 38, run(f, AUDIT_I386, nr(Arch.X86, "faccessat") + 1));
        assertEquals(ALLOW, run(f, AUDIT_I386, nr(Arch.X86, "openat")));
        // not with a kill default
        f = SeccompCompiler.compile(profile("SCMP_ACT_KILL_PROCESS", null, null, allow("read")), Arch.X86_64);
        assertEquals(KILL_PROCESS, runX64(f, "clone3"));
    }

    @Test
    void everyActionAndErrnoRet() {
        CompiledFilter f = SeccompCompiler.compile(profile("SCMP_ACT_ALLOW", null, null,
                rule("SCMP_ACT_KILL", null, null, "mount"),
                rule("SCMP_ACT_KILL_THREAD", null, null, "umount2"),
                rule("SCMP_ACT_KILL_PROCESS", null, null, "reboot"),
                rule("SCMP_ACT_TRAP", null, null, "swapon"),
                rule("SCMP_ACT_ERRNO", 13L, null, "chroot"),
                rule("SCMP_ACT_ERRNO", null, null, "pivot_root"),
                rule("SCMP_ACT_TRACE", 7L, null, "ptrace"),
                rule("SCMP_ACT_TRACE", null, null, "kcmp"),
                rule("SCMP_ACT_LOG", null, null, "unshare")), Arch.X86_64);
        assertEquals(KILL_THREAD, runX64(f, "mount"));
        assertEquals(KILL_THREAD, runX64(f, "umount2"));
        assertEquals(KILL_PROCESS, runX64(f, "reboot"));
        assertEquals(TRAP, runX64(f, "swapon"));
        assertEquals(ERRNO | 13, runX64(f, "chroot"));
        assertEquals(ERRNO | 1, runX64(f, "pivot_root"));
        assertEquals(TRACE | 7, runX64(f, "ptrace"));
        assertEquals(TRACE | 1, runX64(f, "kcmp"));
        assertEquals(LOG, runX64(f, "unshare"));
        assertEquals(ALLOW, runX64(f, "read"));
    }

    static final long[] EDGE = {0, 1, 2, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFEL, 0xFFFF_FFFFL, 0x1_0000_0000L,
        0x1_0000_0001L, 0x1_FFFF_FFFFL, 0x2_0000_0000L, 0x7FFF_FFFF_FFFF_FFFFL, 0x8000_0000_0000_0000L,
        0xFFFF_FFFF_0000_0000L, 0xFFFF_FFFF_FFFF_FFFFL, 0xFFFF_FFFE_FFFF_FFFFL};

    static boolean holds(String op, long arg, long value, long valueTwo) {
        int c = Long.compareUnsigned(arg, value);
        return switch (op) {
            case "SCMP_CMP_NE" -> c != 0;
            case "SCMP_CMP_LT" -> c < 0;
            case "SCMP_CMP_LE" -> c <= 0;
            case "SCMP_CMP_EQ" -> c == 0;
            case "SCMP_CMP_GE" -> c >= 0;
            case "SCMP_CMP_GT" -> c > 0;
            case "SCMP_CMP_MASKED_EQ" -> (arg & value) == valueTwo;
            default -> throw new IllegalArgumentException(op);
        };
    }

    /** Every operator against every pair of edge values: the halves of the 64-bit words differ. */
    @Test
    void operatorsCompare64BitValues() {
        for (String op : SeccompFeatures.operators()) {
            for (long value : EDGE) {
                long valueTwo = op.equals("SCMP_CMP_MASKED_EQ") ? value & 0x1_0000_0001L : 0;
                CompiledFilter f = SeccompCompiler.compile(profile("SCMP_ACT_ERRNO", null, null,
                        rule("SCMP_ACT_ALLOW", null, List.of(new SyscallArg(2L, value, valueTwo, op)), "ioctl")),
                        Arch.X86_64);
                for (long a : EDGE) {
                    for (long probe : new long[] {a, value, value + 1, value - 1}) {
                        int expect = holds(op, probe, value, valueTwo) ? ALLOW : ERRNO | 1;
                        assertEquals(expect, runX64(f, "ioctl", 0, 0, probe),
                                op + " arg=" + Long.toHexString(probe) + " value=" + Long.toHexString(value));
                    }
                }
            }
        }
    }

    @Test
    void maskedEqMasksBothHalves() {
        // clone's flags: allowed when none of the namespace bits (and a high-word bit) are set.
        long mask = 0x7E02_0000L | 0x1_0000_0000L;
        CompiledFilter f = SeccompCompiler.compile(profile("SCMP_ACT_ERRNO", null, null,
                rule("SCMP_ACT_ALLOW", null, List.of(new SyscallArg(0L, mask, 0L, "SCMP_CMP_MASKED_EQ")), "clone")),
                Arch.X86_64);
        assertEquals(ALLOW, runX64(f, "clone", 0x0001_1200L)); // CLONE_THREAD-ish bits only
        assertEquals(ERRNO | 1, runX64(f, "clone", 0x1000_0000L)); // CLONE_NEWUSER
        assertEquals(ERRNO | 1, runX64(f, "clone", 0x1_0000_0000L)); // the high-word bit
        assertEquals(ALLOW, runX64(f, "clone", 0x2_0000_0000L)); // a high-word bit outside the mask
        // datum in the high word
        f = SeccompCompiler.compile(profile("SCMP_ACT_ERRNO", null, null,
                rule("SCMP_ACT_ALLOW", null, List.of(new SyscallArg(1L, 0xFFFF_0000_0000_00FFL, 0x1234_0000_0000_0012L,
                        "SCMP_CMP_MASKED_EQ")), "ioctl")), Arch.X86_64);
        assertEquals(ALLOW, runX64(f, "ioctl", 0, 0x1234_5678_9ABC_DE12L));
        assertEquals(ERRNO | 1, runX64(f, "ioctl", 0, 0x1235_5678_9ABC_DE12L));
        assertEquals(ERRNO | 1, runX64(f, "ioctl", 0, 0x1234_5678_9ABC_DE13L));
    }

    @Test
    void argsOfOneRuleAreAnded() {
        CompiledFilter f = SeccompCompiler.compile(profile("SCMP_ACT_ERRNO", null, null,
                rule("SCMP_ACT_ALLOW", null, List.of(arg(0, "SCMP_CMP_EQ", 1), arg(2, "SCMP_CMP_GT", 0x1_0000_0000L),
                        arg(5, "SCMP_CMP_NE", 7)), "ioctl")), Arch.X86_64);
        assertEquals(ALLOW, runX64(f, "ioctl", 1, 99, 0x1_0000_0001L, 0, 0, 8));
        assertEquals(ERRNO | 1, runX64(f, "ioctl", 2, 99, 0x1_0000_0001L, 0, 0, 8));
        assertEquals(ERRNO | 1, runX64(f, "ioctl", 1, 99, 0x1_0000_0000L, 0, 0, 8));
        assertEquals(ERRNO | 1, runX64(f, "ioctl", 1, 99, 0x1_0000_0001L, 0, 0, 7));
    }

    @Test
    void repeatedArgIndexSplitsIntoOredRules() {
        // runc's behaviour: two comparisons of arg 0 in one rule become two rules.
        CompiledFilter f = SeccompCompiler.compile(profile("SCMP_ACT_ERRNO", null, null,
                rule("SCMP_ACT_ALLOW", null, List.of(arg(0, "SCMP_CMP_EQ", 0), arg(0, "SCMP_CMP_EQ", 8)), "personality")),
                Arch.X86_64);
        assertEquals(ALLOW, runX64(f, "personality", 0));
        assertEquals(ALLOW, runX64(f, "personality", 8));
        assertEquals(ERRNO | 1, runX64(f, "personality", 9));
    }

    @Test
    void rulesForOneSyscallFirstMatchWinsAndUnconditionalWins() {
        CompiledFilter f = SeccompCompiler.compile(profile("SCMP_ACT_ERRNO", null, null,
                rule("SCMP_ACT_ERRNO", 22L, List.of(arg(0, "SCMP_CMP_EQ", 40)), "socket"),
                rule("SCMP_ACT_ALLOW", null, List.of(arg(0, "SCMP_CMP_LT", 100)), "socket"),
                rule("SCMP_ACT_TRAP", null, List.of(arg(0, "SCMP_CMP_GE", 100)), "socket")), Arch.X86_64);
        assertEquals(ERRNO | 22, runX64(f, "socket", 40));
        assertEquals(ALLOW, runX64(f, "socket", 2));
        assertEquals(TRAP, runX64(f, "socket", 100));
        // An unconditional rule decides, before or after rules with arguments (libseccomp).
        for (boolean first : new boolean[] {true, false}) {
            Syscall cond = rule("SCMP_ACT_TRAP", null, List.of(arg(0, "SCMP_CMP_EQ", 40)), "socket");
            Syscall all = rule("SCMP_ACT_LOG", null, null, "socket");
            f = SeccompCompiler.compile(profile("SCMP_ACT_ERRNO", null, null, first ? all : cond, first ? cond : all),
                    Arch.X86_64);
            assertEquals(LOG, runX64(f, "socket", 40));
            assertEquals(LOG, runX64(f, "socket", 1));
        }
        // Two unconditional rules: the first wins.
        f = SeccompCompiler.compile(profile("SCMP_ACT_ERRNO", null, null,
                rule("SCMP_ACT_LOG", null, null, "socket"), allow("socket")), Arch.X86_64);
        assertEquals(LOG, runX64(f, "socket"));
    }

    @Test
    void ruleWithTheDefaultActionIsDropped() {
        // runc skips such rules, so the later unconditional ALLOW decides.
        CompiledFilter f = SeccompCompiler.compile(profile("SCMP_ACT_ERRNO", null, null,
                rule("SCMP_ACT_ERRNO", null, List.of(arg(0, "SCMP_CMP_EQ", 40)), "socket"), allow("socket")),
                Arch.X86_64);
        assertEquals(ALLOW, runX64(f, "socket", 40));
    }

    @Test
    void architecturesUseTheirOwnNumbers() {
        CompiledFilter f = SeccompCompiler.compile(profile("SCMP_ACT_ERRNO", null,
                List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"),
                allow("getpid", "socketcall", "breakpoint"),
                rule("SCMP_ACT_ALLOW", null, List.of(arg(1, "SCMP_CMP_EQ", 0x1_0000_0005L)), "ioctl")), Arch.X86_64);
        assertEquals(39, nr(Arch.X86_64, "getpid"));
        assertEquals(20, nr(Arch.X86, "getpid"));
        assertEquals(ALLOW, run(f, AUDIT_X86_64, 39));
        assertEquals(ERRNO | 1, run(f, AUDIT_X86_64, 20)); // x86's getpid number is getpid only on x86
        assertEquals(ALLOW, run(f, AUDIT_I386, 20));
        assertEquals(ERRNO | 1, run(f, AUDIT_I386, 39)); // 39 is mkdir on x86
        assertEquals(ALLOW, run(f, AUDIT_I386, nr(Arch.X86, "socketcall")));
        assertEquals(ALLOW, run(f, AUDIT_AARCH64, 172));
        assertEquals(ALLOW, run(f, AUDIT_ARM, 20));
        assertEquals(ALLOW, run(f, AUDIT_ARM, 0x0f0001)); // ARM private breakpoint
        // 64-bit argument on x86_64, low word only on the 32-bit ABIs (the kernel zero-extends).
        assertEquals(ALLOW, run(f, AUDIT_X86_64, nr(Arch.X86_64, "ioctl"), 0, 0x1_0000_0005L));
        assertEquals(ERRNO | 1, run(f, AUDIT_X86_64, nr(Arch.X86_64, "ioctl"), 0, 5));
        assertEquals(ALLOW, run(f, AUDIT_I386, nr(Arch.X86, "ioctl"), 0, 5));
        assertEquals(ALLOW, run(f, AUDIT_ARM, nr(Arch.ARM, "ioctl"), 0, 5));
        assertEquals(ALLOW, run(f, AUDIT_AARCH64, nr(Arch.AARCH64, "ioctl"), 0, 0x1_0000_0005L));
        assertEquals(ERRNO | 1, run(f, AUDIT_AARCH64, nr(Arch.AARCH64, "ioctl"), 0, 5));
        assertTrue(f.skippedArchitectures().isEmpty());
    }

    @Test
    void x32SyscallsHaveTheirBitAndShareTheAuditArch() {
        int x32Getpid = nr(Arch.X32, "getpid");
        assertEquals(0x40000000 | 39, x32Getpid);
        CompiledFilter without = SeccompCompiler.compile(profile("SCMP_ACT_ERRNO", null, List.of("SCMP_ARCH_X86_64"),
                allow("getpid", "rt_sigaction")), Arch.X86_64);
        assertEquals(ALLOW, run(without, AUDIT_X86_64, 39));
        assertEquals(KILL_THREAD, run(without, AUDIT_X86_64, x32Getpid)); // x32 not filtered: bad arch
        CompiledFilter with = SeccompCompiler.compile(profile("SCMP_ACT_ERRNO", null,
                List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X32"), allow("getpid", "rt_sigaction")), Arch.X86_64);
        assertEquals(ALLOW, run(with, AUDIT_X86_64, 39));
        assertEquals(ALLOW, run(with, AUDIT_X86_64, x32Getpid));
        assertEquals(ALLOW, run(with, AUDIT_X86_64, nr(Arch.X32, "rt_sigaction"))); // x32's own 512
        assertEquals(0x40000000 + 512, nr(Arch.X32, "rt_sigaction"));
        assertEquals(0x40000000 + 514, nr(Arch.X32, "ioctl"));
        assertEquals(0x40000000 + 451, nr(Arch.X32, "cachestat"));
        assertEquals(-1, SyscallTable.number(Arch.X32, "uselib")); // x86_64 only
        assertEquals(-1, SyscallTable.number(Arch.X32, "set_thread_area"));
        assertEquals(ERRNO | 1, run(with, AUDIT_X86_64, 0x40000000 | 13)); // x86_64 rt_sigaction number, x32 bit
        assertEquals(ERRNO | 1, run(with, AUDIT_X86_64, 0x40000000 | 165)); // mount on x32
        // x32 alone on an aarch64 host: numbers without the bit are a bad arch
        CompiledFilter only = SeccompCompiler.compile(profile("SCMP_ACT_ERRNO", null, List.of("SCMP_ARCH_X32"),
                allow("getpid")), Arch.AARCH64);
        assertEquals(ALLOW, run(only, AUDIT_X86_64, x32Getpid));
        assertEquals(KILL_THREAD, run(only, AUDIT_X86_64, 39));
        assertEquals(ALLOW, run(only, AUDIT_AARCH64, 172));
    }

    @Test
    void foreignArchitectureGetsTheBadArchAction() {
        CompiledFilter f = SeccompCompiler.compile(profile("SCMP_ACT_ALLOW", null,
                List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390X"),
                rule("SCMP_ACT_ERRNO", null, null, "mount")), Arch.X86_64);
        assertEquals(ALLOW, runX64(f, "getpid"));
        assertEquals(KILL_THREAD, run(f, AUDIT_I386, 20)); // x86 not listed: not the default action
        assertEquals(KILL_THREAD, run(f, AUDIT_PPC64LE, 20)); // listed but no table: skipped, reported
        assertEquals(List.of("SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390X"), f.skippedArchitectures());
    }

    @Test
    void nativeArchIsAlwaysFiltered() {
        CompiledFilter f = SeccompCompiler.compile(profile("SCMP_ACT_ERRNO", null, List.of("SCMP_ARCH_ARM"),
                allow("getpid")), Arch.AARCH64);
        assertEquals(ALLOW, run(f, AUDIT_AARCH64, 172));
        assertEquals(ALLOW, run(f, AUDIT_ARM, 20));
        assertEquals(KILL_THREAD, run(f, AUDIT_X86_64, 39));
    }

    @Test
    void unknownSyscallsAreSkippedAndListed() {
        CompiledFilter f = SeccompCompiler.compile(profile("SCMP_ACT_ERRNO", null, null,
                allow("getpid", "no_such_syscall", "socketcall", "getpid_v2"),
                allow("no_such_syscall")), Arch.X86_64);
        assertEquals(ALLOW, runX64(f, "getpid"));
        // socketcall exists on x86 only: absent from this x86_64-only filter, so reported too
        assertEquals(List.of("no_such_syscall", "socketcall", "getpid_v2"), f.unknownSyscalls());
        f = SeccompCompiler.compile(profile("SCMP_ACT_ERRNO", null, List.of("SCMP_ARCH_X86"),
                allow("getpid", "no_such_syscall", "socketcall")), Arch.X86_64);
        assertEquals(List.of("no_such_syscall"), f.unknownSyscalls());
    }

    /** ~300 syscall numbers with argument rules: the tree's branches reach past 255 instructions. */
    @Test
    void longJumpsWhenBranchesReachFar() {
        List<Syscall> rules = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String name : Fixtures.load("docker-default.json").syscalls().get(0).names()) {
            if (SyscallTable.number(Arch.X86_64, name) >= 0) names.add(name);
        }
        for (String name : names) {
            rules.add(rule("SCMP_ACT_ALLOW", null, List.of(arg(0, "SCMP_CMP_LE", 0x1_0000_0000L)), name));
        }
        Seccomp s = new Seccomp("SCMP_ACT_ERRNO", null, List.of("SCMP_ARCH_X86_64"), null, null, null, rules);
        CompiledFilter f = SeccompCompiler.compile(s, Arch.X86_64);
        BpfInterpreter bpf = new BpfInterpreter(f.program());
        assertTrue(hasLongJump(f.program()), "expected BPF_JA long jumps");
        assertTrue(f.instructionCount() <= 4096, "instructions: " + f.instructionCount());
        for (String name : names) {
            int n = nr(Arch.X86_64, name);
            assertEquals(ALLOW, bpf.run(new SeccompData(n, AUDIT_X86_64, 0, 0x1_0000_0000L)), name);
            assertEquals(ERRNO | 1, bpf.run(new SeccompData(n, AUDIT_X86_64, 0, 0x1_0000_0001L)), name);
        }
        assertEquals(ERRNO | 38, bpf.run(new SeccompData(5000, AUDIT_X86_64, 0))); // above every named syscall
        System.out.println("long-jump test: " + names.size() + " conditional syscalls, "
                + f.instructionCount() + " instructions");
    }

    @Test
    void programsOverTheKernelLimitAreRefused() {
        List<Syscall> rules = new ArrayList<>();
        for (String name : Fixtures.load("docker-default.json").syscalls().get(0).names()) {
            rules.add(rule("SCMP_ACT_ALLOW", null, List.of(arg(0, "SCMP_CMP_LE", 0x1_0000_0000L)), name));
        }
        Seccomp s = new Seccomp("SCMP_ACT_ERRNO", null, List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"),
                null, null, null, rules);
        JrError e = assertThrows(JrError.class, () -> SeccompCompiler.compile(s, Arch.X86_64));
        assertTrue(e.getMessage().startsWith("config.json: /linux/seccomp: the seccomp filter needs "), e.getMessage());
        assertTrue(e.getMessage().endsWith("BPF instructions, more than the kernel's limit of 4096"), e.getMessage());
    }

    static boolean hasLongJump(byte[] prog) {
        for (int o = 0; o < prog.length; o += 8) if (prog[o] == 0x05 && prog[o + 1] == 0) return true;
        return false;
    }

    @Test
    void notifySetsTheListenerFlag() {
        Seccomp s = new Seccomp("SCMP_ACT_ALLOW", null, null, List.of("SECCOMP_FILTER_FLAG_TSYNC"),
                "/run/listener.sock", null, List.of(rule("SCMP_ACT_NOTIFY", null, null, "mount")));
        CompiledFilter f = SeccompCompiler.compile(s, Arch.X86_64);
        assertTrue(f.needsListener());
        assertEquals(SeccompCompiler.FLAG_NEW_LISTENER | SeccompCompiler.FLAG_TSYNC | SeccompCompiler.FLAG_TSYNC_ESRCH,
                f.filterFlags());
        assertEquals(NOTIFY, runX64(f, "mount"));
        JrError e = assertThrows(JrError.class, () -> SeccompCompiler.compile(
                profile("SCMP_ACT_NOTIFY", null, null, allow("getpid")), Arch.X86_64));
        assertEquals("config.json: /linux/seccomp/defaultAction: SCMP_ACT_NOTIFY cannot be the default action",
                e.getMessage());
        e = assertThrows(JrError.class, () -> SeccompCompiler.compile(
                profile("SCMP_ACT_ALLOW", null, null, rule("SCMP_ACT_NOTIFY", null, null, "mount")), Arch.X86_64));
        assertEquals("config.json: /linux/seccomp/listenerPath: required when an action is SCMP_ACT_NOTIFY",
                e.getMessage());
    }

    @Test
    void flags() {
        Seccomp s = new Seccomp("SCMP_ACT_ALLOW", null, null,
                List.of("SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_TSYNC",
                        "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"), null, null, List.of());
        CompiledFilter f = SeccompCompiler.compile(s, Arch.X86_64);
        assertEquals(1 | 2 | 4, f.filterFlags()); // WAIT_KILLABLE_RECV needs a listener: dropped, noted
        assertEquals(1, f.notes().size());
        s = new Seccomp("SCMP_ACT_ALLOW", null, null, List.of("SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"),
                "/x.sock", null, List.of(rule("SCMP_ACT_NOTIFY", null, null, "mount")));
        assertEquals(8 | 32, SeccompCompiler.compile(s, Arch.X86_64).filterFlags());
    }

    @Test
    void badInputNamesThePointer() {
        assertError("config.json: /linux/seccomp/syscalls/1/action: unknown action \"SCMP_ACT_NOPE\"",
                profile("SCMP_ACT_ALLOW", null, null, allow("getpid"), rule("SCMP_ACT_NOPE", null, null, "mount")));
        assertError("config.json: /linux/seccomp/defaultAction: unknown action \"ALLOW\"",
                profile("ALLOW", null, null));
        assertError("config.json: /linux/seccomp/syscalls/0/args/1/op: unknown operator \"SCMP_CMP_XX\"",
                profile("SCMP_ACT_ALLOW", null, null, rule("SCMP_ACT_ERRNO", null,
                        List.of(arg(0, "SCMP_CMP_EQ", 1), arg(1, "SCMP_CMP_XX", 1)), "mount")));
        assertError("config.json: /linux/seccomp/syscalls/0/args/0/index: syscall argument index must be 0 to 5, found 6",
                profile("SCMP_ACT_ALLOW", null, null, rule("SCMP_ACT_ERRNO", null,
                        List.of(arg(6, "SCMP_CMP_EQ", 1)), "mount")));
        assertError("config.json: /linux/seccomp/architectures/1: unknown architecture \"SCMP_ARCH_Z80\"",
                profile("SCMP_ACT_ALLOW", null, List.of("SCMP_ARCH_X86", "SCMP_ARCH_Z80")));
        assertError("config.json: /linux/seccomp/flags/0: unknown seccomp flag \"SECCOMP_FILTER_FLAG_NOPE\"",
                new Seccomp("SCMP_ACT_ALLOW", null, null, List.of("SECCOMP_FILTER_FLAG_NOPE"), null, null, null));
        assertError("config.json: /linux/seccomp/syscalls/0/errnoRet: only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, not SCMP_ACT_ALLOW",
                profile("SCMP_ACT_ERRNO", null, null, rule("SCMP_ACT_ALLOW", 5L, null, "getpid")));
        assertError("config.json: /linux/seccomp/defaultErrnoRet: must be between 0 and 65535, found 70000",
                profile("SCMP_ACT_ERRNO", 70000L, null));
    }

    static void assertError(String message, Seccomp s) {
        JrError e = assertThrows(JrError.class, () -> SeccompCompiler.compile(s, Arch.X86_64));
        assertEquals(message, e.getMessage());
    }

    @Test
    void featuresAreWhatTheCompilerAccepts() {
        for (String a : SeccompFeatures.actions()) {
            if (a.equals("SCMP_ACT_NOTIFY")) continue;
            SeccompCompiler.compile(profile(a, null, null), Arch.X86_64);
        }
        for (String a : SeccompFeatures.archs()) assertTrue(Arch.fromSpecName(a) != null, a);
        for (String fl : SeccompFeatures.knownFlags()) {
            SeccompCompiler.compile(new Seccomp("SCMP_ACT_ALLOW", null, null, List.of(fl), null, null, null),
                    Arch.X86_64);
        }
        assertEquals(SeccompFeatures.knownFlags(), SeccompFeatures.supportedFlags("6.18.44-fc-v769"));
        assertEquals(List.of("SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG"),
                SeccompFeatures.supportedFlags("4.15.0-generic"));
    }
}

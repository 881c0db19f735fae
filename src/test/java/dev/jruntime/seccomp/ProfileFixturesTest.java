package dev.jruntime.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jruntime.seccomp.BpfInterpreter.SeccompData;
import dev.jruntime.spec.LinuxSpec.Seccomp;
import dev.jruntime.spec.LinuxSpec.Syscall;
import dev.jruntime.spec.LinuxSpec.SyscallArg;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The podman-like and Docker-like profiles of the test resources, compiled and run. */
class ProfileFixturesTest {
    static final int ALLOW = 0x7fff0000, KILL_THREAD = 0, ERRNO = 0x00050000;
    static final int AUDIT_X86_64 = 0xC000003E, AUDIT_I386 = 0x40000003, AUDIT_AARCH64 = 0xC00000B7,
            AUDIT_ARM = 0x40000028;

    static int nr(Arch a, String name) {
        int n = SyscallTable.number(a, name);
        assertTrue(n >= 0, name + " unknown on " + a);
        return n;
    }

    @Test
    void dockerDefault() {
        Seccomp s = Fixtures.load("docker-default.json");
        CompiledFilter f = SeccompCompiler.compile(s, Arch.X86_64);
        System.out.println("docker-default (x86_64, x86, x32): " + f.instructionCount() + " instructions, "
                + "unknown syscalls " + f.unknownSyscalls());
        assertTrue(f.instructionCount() < 4096);
        BpfInterpreter bpf = new BpfInterpreter(f.program());
        int eperm = ERRNO | 1;
        assertEquals(ALLOW, bpf.run(x64("read")));
        assertEquals(ALLOW, bpf.run(x64("execve")));
        assertEquals(eperm, bpf.run(x64("mount")));
        assertEquals(eperm, bpf.run(x64("kexec_load")));
        assertEquals(ERRNO | 38, bpf.run(x64("clone3")));
        assertEquals(ALLOW, bpf.run(x64("clone", 0x11 /* SIGCHLD */)));
        assertEquals(ALLOW, bpf.run(x64("clone", 0x3d0f00 /* pthread_create's flags */)));
        assertEquals(eperm, bpf.run(x64("clone", 0x10000000 | 0x11 /* CLONE_NEWUSER */)));
        assertEquals(eperm, bpf.run(x64("clone", 0x20000 /* CLONE_NEWNS */)));
        assertEquals(ALLOW, bpf.run(x64("personality", 0)));
        assertEquals(ALLOW, bpf.run(x64("personality", 0xffffffffL)));
        assertEquals(eperm, bpf.run(x64("personality", 0x0040000 /* READ_IMPLIES_EXEC */)));
        assertEquals(ALLOW, bpf.run(x64("socket", 2)));
        assertEquals(eperm, bpf.run(x64("socket", 40 /* AF_VSOCK */)));
        assertEquals(ALLOW, bpf.run(x64("arch_prctl")));
        // i386: its own numbers
        assertEquals(ALLOW, bpf.run(new SeccompData(nr(Arch.X86, "socketcall"), AUDIT_I386, 0)));
        assertEquals(ALLOW, bpf.run(new SeccompData(nr(Arch.X86, "_llseek"), AUDIT_I386, 0)));
        assertEquals(eperm, bpf.run(new SeccompData(nr(Arch.X86, "mount"), AUDIT_I386, 0)));
        assertEquals(eperm, bpf.run(new SeccompData(nr(Arch.X86, "clone"), AUDIT_I386, 0, 0x10000000)));
        assertEquals(ALLOW, bpf.run(new SeccompData(nr(Arch.X86, "clone"), AUDIT_I386, 0, 0x11)));
        // x32
        assertEquals(ALLOW, bpf.run(new SeccompData(nr(Arch.X32, "read"), AUDIT_X86_64, 0)));
        assertEquals(ALLOW, bpf.run(new SeccompData(nr(Arch.X32, "rt_sigaction"), AUDIT_X86_64, 0)));
        assertEquals(eperm, bpf.run(new SeccompData(nr(Arch.X32, "mount"), AUDIT_X86_64, 0)));
        // not listed: bad arch
        assertEquals(KILL_THREAD, bpf.run(new SeccompData(63, AUDIT_AARCH64, 0)));
        assertMatchesReference(s, f, Arch.X86_64, List.of(Arch.X86_64, Arch.X86, Arch.X32));
    }

    @Test
    void dockerDefaultOnArm64() {
        Seccomp d = Fixtures.load("docker-default.json");
        Seccomp s = new Seccomp(d.defaultAction(), d.defaultErrnoRet(), List.of("SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"),
                d.flags(), d.listenerPath(), d.listenerMetadata(), d.syscalls());
        CompiledFilter f = SeccompCompiler.compile(s, Arch.AARCH64);
        System.out.println("docker-default (aarch64, arm): " + f.instructionCount() + " instructions");
        BpfInterpreter bpf = new BpfInterpreter(f.program());
        assertEquals(ALLOW, bpf.run(new SeccompData(nr(Arch.AARCH64, "openat"), AUDIT_AARCH64, 0)));
        assertEquals(ALLOW, bpf.run(new SeccompData(0x0f0005 /* set_tls */, AUDIT_ARM, 0)));
        assertEquals(ALLOW, bpf.run(new SeccompData(nr(Arch.ARM, "arm_fadvise64_64"), AUDIT_ARM, 0)));
        assertEquals(ERRNO | 1, bpf.run(new SeccompData(nr(Arch.ARM, "mount"), AUDIT_ARM, 0)));
        assertEquals(KILL_THREAD, bpf.run(new SeccompData(0, AUDIT_X86_64, 0)));
        assertMatchesReference(s, f, Arch.AARCH64, List.of(Arch.AARCH64, Arch.ARM));
    }

    @Test
    void podmanDefault() {
        Seccomp s = Fixtures.load("podman-default.json");
        CompiledFilter f = SeccompCompiler.compile(s, Arch.X86_64);
        System.out.println("podman-default (x86_64, x86, x32): " + f.instructionCount() + " instructions, "
                + "unknown syscalls " + f.unknownSyscalls());
        assertTrue(f.instructionCount() < 4096);
        BpfInterpreter bpf = new BpfInterpreter(f.program());
        int enosys = ERRNO | 38;
        assertEquals(ALLOW, bpf.run(x64("read")));
        assertEquals(ALLOW, bpf.run(x64("mount")));
        assertEquals(ALLOW, bpf.run(x64("clone", 0x10000000)));
        assertEquals(enosys, bpf.run(x64("clone3")));
        assertEquals(ALLOW, bpf.run(x64("socket", 2)));
        assertEquals(ERRNO | 22, bpf.run(x64("socket", 40)));
        assertEquals(ERRNO | 1, bpf.run(x64("kexec_load")));
        assertEquals(ERRNO | 1, bpf.run(x64("pivot_root")));
        assertEquals(enosys, bpf.run(x64("create_module")));
        assertEquals(enosys, bpf.run(new SeccompData(1000, AUDIT_X86_64, 0)));
        assertEquals(ERRNO | 1, bpf.run(new SeccompData(nr(Arch.X86, "stime"), AUDIT_I386, 0)));
        assertEquals(ALLOW, bpf.run(new SeccompData(nr(Arch.X86, "socketcall"), AUDIT_I386, 0)));
        assertMatchesReference(s, f, Arch.X86_64, List.of(Arch.X86_64, Arch.X86, Arch.X32));
    }

    /** A cold JVM, first call: the compile must take a few milliseconds. */
    @Test
    void coldCompileTime() throws Exception {
        for (String fixture : List.of("podman-default.json", "docker-default.json")) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    ColdCompileTimer.class.getName(), fixture).redirectErrorStream(true).start();
            String out;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                out = String.join("\n", r.lines().toList());
            }
            assertEquals(0, p.waitFor(), out);
            String line = out.lines().filter(l -> l.startsWith("cold=")).findFirst().orElseThrow(() -> new AssertionError(out));
            long cold = Long.parseLong(line.substring(5, line.indexOf(' ')));
            System.out.printf("%s: cold compile %.2f ms (%s)%n", fixture, cold / 1e6, line);
            assertTrue(cold < 100_000_000L, "cold compile took " + cold / 1e6 + " ms");
        }
    }

    static SeccompData x64(String name, long... args) {
        return new SeccompData(nr(Arch.X86_64, name), AUDIT_X86_64, 0, args);
    }

    // ---- an independent, direct reading of the semantics, to compare the program with ----

    /**
     * For every syscall number of every filtered architecture, with argument values that hit and
     * miss the profile's comparisons, the program must return what a direct evaluation of the
     * rules returns.
     */
    static void assertMatchesReference(Seccomp s, CompiledFilter f, Arch nativeArch, List<Arch> arches) {
        BpfInterpreter bpf = new BpfInterpreter(f.program());
        int def = ret(s.defaultAction(), s.defaultErrnoRet());
        List<Long> interesting = new ArrayList<>(List.of(0L, 1L, 0x11L, 0xFFFFFFFFL, 0x1_0000_0000L, -1L));
        for (Syscall sc : s.syscalls()) {
            if (sc.args() == null) continue;
            for (SyscallArg a : sc.args()) {
                long v = a.value() == null ? 0 : a.value();
                interesting.add(v);
                interesting.add(v + 1);
                interesting.add(v - 1);
                interesting.add(~v);
            }
        }
        SplittableRandom rnd = new SplittableRandom(42);
        int checked = 0;
        for (Arch a : arches) {
            int base = a == Arch.X32 ? Arch.X32_SYSCALL_BIT : 0;
            for (int n = 0; n < 600; n++) {
                int nr = base + n;
                for (int t = 0; t < 6; t++) {
                    long[] args = new long[6];
                    for (int i = 0; i < 6; i++) args[i] = interesting.get(rnd.nextInt(interesting.size()));
                    if (!a.wideArgs()) for (int i = 0; i < 6; i++) args[i] &= 0xFFFFFFFFL;
                    int expect = reference(s, def, a, nr, args);
                    int got = bpf.run(new SeccompData(nr, a.auditArch(), 0, args));
                    assertEquals(expect, got, a + " nr " + nr);
                    checked++;
                }
            }
        }
        assertTrue(checked > 0);
    }

    static int reference(Seccomp s, int def, Arch arch, int nr, long[] args) {
        long max = -1;
        for (Syscall sc : s.syscalls()) {
            for (String n : sc.names()) max = Math.max(max, SyscallTable.number(arch, n));
        }
        if ((def & 0xFFFF0000) == ERRNO && Integer.toUnsignedLong(nr) > max) return ERRNO | 38; // runc's ENOSYS stub
        Integer unconditional = null;
        for (Syscall sc : s.syscalls()) {
            int r = ret(sc.action(), sc.errnoRet());
            if (r == def || !names(sc, arch, nr)) continue;
            if ((sc.args() == null || sc.args().isEmpty()) && unconditional == null) unconditional = r;
        }
        if (unconditional != null) return unconditional;
        for (Syscall sc : s.syscalls()) {
            int r = ret(sc.action(), sc.errnoRet());
            if (r == def || !names(sc, arch, nr)) continue;
            List<SyscallArg> as = sc.args();
            boolean repeated = as.stream().map(SyscallArg::index).distinct().count() < as.size();
            boolean match = repeated ? as.stream().anyMatch(c -> holds(c, arch, args))
                    : as.stream().allMatch(c -> holds(c, arch, args));
            if (match) return r;
        }
        return def;
    }

    static boolean names(Syscall sc, Arch arch, int nr) {
        for (String n : sc.names()) if (SyscallTable.number(arch, n) == nr) return true;
        return false;
    }

    static boolean holds(SyscallArg c, Arch arch, long[] args) {
        long arg = args[c.index().intValue()];
        long v = c.value() == null ? 0 : c.value();
        long v2 = c.valueTwo() == null ? 0 : c.valueTwo();
        if (!arch.wideArgs()) {
            v &= 0xFFFFFFFFL;
            v2 &= 0xFFFFFFFFL;
        }
        return SeccompCompilerTest.holds(c.op(), arg, v, v2);
    }

    static int ret(String action, Long errno) {
        return switch (action) {
            case "SCMP_ACT_ALLOW" -> ALLOW;
            case "SCMP_ACT_ERRNO" -> ERRNO | (errno == null ? 1 : errno.intValue());
            case "SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD" -> KILL_THREAD;
            default -> throw new IllegalArgumentException(action);
        };
    }
}

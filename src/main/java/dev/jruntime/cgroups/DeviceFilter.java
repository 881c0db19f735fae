package dev.jruntime.cgroups;

import dev.jruntime.JrError;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * cgroup v2 device access control: the rules compiled to an eBPF program of type
 * {@code BPF_PROG_TYPE_CGROUP_DEVICE} and attached to the container's cgroup.
 *
 * <p>The program sees {@code struct bpf_cgroup_dev_ctx {u32 access_type; u32 major; u32 minor;}}
 * ({@code access_type}: device type in the low 16 bits, 1 block / 2 char; requested access in
 * the high 16 bits, 1 mknod / 2 read / 4 write) and returns 1 to allow, 0 to deny. Rules are
 * tested last to first, the first that matches decides, and nothing matching means deny —
 * the v1 semantics of "deny all, then the rules in order". An allow rule matches when the
 * requested access is a subset of its access; a deny rule when they overlap (so
 * {@code deny c 1:3 w} after {@code allow c 1:3 rwm} leaves read). Unlike the v1 kernel, two
 * allow rules for the same device are not merged ({@code r} then {@code w} does not allow
 * {@code rw} in one open).
 *
 * <p>Loaded and attached with the bpf(2) system call through FFM (no native code of ours).
 * Attached without flags, so a later attach (update) replaces the program.
 */
final class DeviceFilter {
    private DeviceFilter() {}

    // instruction classes/ops used
    private static final int LDXW = 0x61, AND32_K = 0x54, RSH32_K = 0x74, MOV64_X = 0xbf, MOV64_K = 0xb7,
            JNE_K = 0x55, JNE_X = 0x5d, JEQ_K = 0x15, EXIT = 0x95;
    static final int ACC_MKNOD = 1, ACC_READ = 2, ACC_WRITE = 4, DEV_BLOCK = 1, DEV_CHAR = 2;

    /** One eBPF instruction. */
    record Insn(int code, int dst, int src, int off, int imm) {}

    /** The program for deny-all followed by {@code rules} in order. */
    static List<Insn> compile(List<DeviceRules.Rule> rules) {
        List<Insn> p = new ArrayList<>();
        p.add(new Insn(LDXW, 2, 1, 0, 0));       // r2 = access_type
        p.add(new Insn(AND32_K, 2, 0, 0, 0xFFFF)); // r2 = type
        p.add(new Insn(LDXW, 3, 1, 0, 0));
        p.add(new Insn(RSH32_K, 3, 0, 0, 16));    // r3 = requested access
        p.add(new Insn(LDXW, 4, 1, 4, 0));       // r4 = major
        p.add(new Insn(LDXW, 5, 1, 8, 0));       // r5 = minor
        for (int i = rules.size() - 1; i >= 0; i--) {
            DeviceRules.Rule r = rules.get(i);
            p.addAll(block(r));
            // a rule matching every request decides alone: what would follow is unreachable,
            // which the verifier refuses
            if (r.type() == 'a' && r.major() < 0 && r.minor() < 0 && accessMask(r.access()) == 7) return p;
        }
        p.add(new Insn(MOV64_K, 0, 0, 0, 0));     // nothing matched: deny
        p.add(new Insn(EXIT, 0, 0, 0, 0));
        return p;
    }

    static int accessMask(String access) {
        int m = 0;
        if (access.indexOf('r') >= 0) m |= ACC_READ;
        if (access.indexOf('w') >= 0) m |= ACC_WRITE;
        if (access.indexOf('m') >= 0) m |= ACC_MKNOD;
        return m;
    }

    /** The instructions of one rule; every "does not match" jump goes to the end of the block. */
    private static List<Insn> block(DeviceRules.Rule r) {
        // jumps are built with off = -1 and fixed once the block length is known
        List<Insn> b = new ArrayList<>();
        if (r.type() != 'a') b.add(new Insn(JNE_K, 2, 0, -1, r.type() == 'b' ? DEV_BLOCK : DEV_CHAR));
        if (r.major() >= 0) b.add(new Insn(JNE_K, 4, 0, -1, (int) r.major()));
        if (r.minor() >= 0) b.add(new Insn(JNE_K, 5, 0, -1, (int) r.minor()));
        int mask = accessMask(r.access());
        if (mask != (ACC_READ | ACC_WRITE | ACC_MKNOD)) {
            b.add(new Insn(MOV64_X, 1, 3, 0, 0));
            b.add(new Insn(AND32_K, 1, 0, 0, mask));
            // allow: requested ⊆ rule (r1 == r3); deny: any overlap (r1 != 0)
            b.add(r.allow() ? new Insn(JNE_X, 1, 3, -1, 0) : new Insn(JEQ_K, 1, 0, -1, 0));
        }
        b.add(new Insn(MOV64_K, 0, 0, 0, r.allow() ? 1 : 0));
        b.add(new Insn(EXIT, 0, 0, 0, 0));
        List<Insn> out = new ArrayList<>();
        for (int i = 0; i < b.size(); i++) {
            Insn in = b.get(i);
            out.add(in.off() == -1 ? new Insn(in.code(), in.dst(), in.src(), b.size() - i - 1, in.imm()) : in);
        }
        return out;
    }

    static byte[] encode(List<Insn> prog) {
        ByteBuffer bb = ByteBuffer.allocate(prog.size() * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (Insn i : prog) {
            bb.put((byte) i.code()).put((byte) ((i.src() << 4) | i.dst())).putShort((short) i.off()).putInt(i.imm());
        }
        return bb.array();
    }

    // ---- bpf(2) through FFM

    private static final long SYS_BPF = 321; // x86_64
    private static final int BPF_PROG_LOAD = 5, BPF_PROG_ATTACH = 8, BPF_PROG_TYPE_CGROUP_DEVICE = 15,
            BPF_CGROUP_DEVICE = 6, O_RDONLY = 0, O_DIRECTORY = 0200000, O_CLOEXEC = 02000000;

    private static final class Native {
        static final Linker LINKER = Linker.nativeLinker();
        static final StructLayout STATE = Linker.Option.captureStateLayout();
        static final VarHandle ERRNO = STATE.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
        static final MethodHandle SYSCALL = LINKER.downcallHandle(
                LINKER.defaultLookup().find("syscall").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
                        ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
                Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));
        static final MethodHandle OPEN = LINKER.downcallHandle(
                LINKER.defaultLookup().find("open").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
                Linker.Option.captureCallState("errno"));
        static final MethodHandle CLOSE = LINKER.downcallHandle(
                LINKER.defaultLookup().find("close").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        static final MethodHandle STRERROR = LINKER.downcallHandle(
                LINKER.defaultLookup().find("strerror").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    }

    /** Compiles deny-all + {@code rules}, loads the program and attaches it to the cgroup {@code dir}. */
    static void attach(Path dir, List<DeviceRules.Rule> rules) {
        byte[] code = encode(compile(rules));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Native.STATE);
            MemorySegment insns = arena.allocate(code.length, 8);
            insns.copyFrom(MemorySegment.ofArray(code));
            MemorySegment license = arena.allocateFrom("Apache");
            int logSize = 65536;
            MemorySegment log = arena.allocate(logSize);
            MemorySegment attr = arena.allocate(128, 8);
            attr.set(ValueLayout.JAVA_INT, 0, BPF_PROG_TYPE_CGROUP_DEVICE);
            attr.set(ValueLayout.JAVA_INT, 4, code.length / 8);
            attr.set(ValueLayout.JAVA_LONG, 8, insns.address());
            attr.set(ValueLayout.JAVA_LONG, 16, license.address());
            attr.set(ValueLayout.JAVA_INT, 24, 1); // log_level: the verifier says why on failure
            attr.set(ValueLayout.JAVA_INT, 28, logSize);
            attr.set(ValueLayout.JAVA_LONG, 32, log.address());
            long progFd = (long) Native.SYSCALL.invokeExact(state, SYS_BPF, BPF_PROG_LOAD, attr, 128);
            if (progFd < 0) {
                int errno = (int) Native.ERRNO.get(state, 0L);
                String verifier = log.getString(0).trim();
                throw JrError.of("linux.resources.devices: cannot load the eBPF device program: " + strerror(errno)
                        + (verifier.isEmpty() ? "" : " (verifier: " + verifier + ")"));
            }
            try {
                int cg = (int) Native.OPEN.invokeExact(state, arena.allocateFrom(dir.toString()), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                if (cg < 0) throw JrError.path("open", dir, strerror((int) Native.ERRNO.get(state, 0L)));
                try {
                    MemorySegment a = arena.allocate(32, 8);
                    a.set(ValueLayout.JAVA_INT, 0, cg);
                    a.set(ValueLayout.JAVA_INT, 4, (int) progFd);
                    a.set(ValueLayout.JAVA_INT, 8, BPF_CGROUP_DEVICE);
                    a.set(ValueLayout.JAVA_INT, 12, 0);
                    long rc = (long) Native.SYSCALL.invokeExact(state, SYS_BPF, BPF_PROG_ATTACH, a, 32);
                    if (rc < 0) {
                        throw JrError.path("linux.resources.devices: cannot attach the eBPF device program to", dir,
                                strerror((int) Native.ERRNO.get(state, 0L)));
                    }
                } finally {
                    int ignored = (int) Native.CLOSE.invokeExact(cg);
                }
            } finally {
                int ignored = (int) Native.CLOSE.invokeExact((int) progFd);
            }
        } catch (JrError e) {
            throw e;
        } catch (Throwable t) {
            throw JrError.of("linux.resources.devices: bpf(2) failed", t);
        }
    }

    private static String strerror(int errno) throws Throwable {
        MemorySegment s = (MemorySegment) Native.STRERROR.invokeExact(errno);
        return s.reinterpret(256).getString(0).toLowerCase(java.util.Locale.ROOT);
    }
}

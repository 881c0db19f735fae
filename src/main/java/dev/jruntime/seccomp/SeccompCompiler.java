package dev.jruntime.seccomp;

import dev.jruntime.JrError;
import dev.jruntime.spec.LinuxSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Compiles the OCI {@code linux.seccomp} section to a classic BPF program, in Java (no libseccomp).
 *
 * <p>The program: load {@code seccomp_data.arch} and branch to one section per architecture
 * (anything else gets the bad-arch action, {@code SECCOMP_RET_KILL_THREAD}, as with libseccomp).
 * A section loads the syscall number and walks a binary search tree over intervals of syscall
 * numbers: consecutive syscalls with the same unconditional action share one interval, gaps get
 * the default action. A syscall with argument rules gets a leaf that tries its rules in order.
 * For x86_64, numbers with {@code __X32_SYSCALL_BIT} branch to the x32 section when x32 is
 * filtered, else to the bad-arch action (they share {@code AUDIT_ARCH_X86_64}).
 *
 * <p>Rule semantics, chosen to match runc + libseccomp where those define them:
 * <ul>
 *   <li>A rule whose action (with its errno) equals the default action is dropped (runc does so,
 *       libseccomp refuses such rules).</li>
 *   <li>For one syscall, an unconditional rule wins over rules with arguments, whatever the order
 *       (libseccomp replaces the argument chains with the catch-all); between two unconditional
 *       rules the first wins. Rules with arguments are tried in the order of the config and the
 *       first whose comparisons all hold decides; if none holds, the default action applies.</li>
 *   <li>The comparisons of one rule are ANDed, except when one argument index appears more than
 *       once: then, like runc, each comparison becomes a rule of its own (ORed).</li>
 *   <li>Comparisons are unsigned 64-bit on the 64-bit ABIs (high word first, low word when the
 *       high words are equal); on x86 and arm, whose arguments the kernel zero-extends from
 *       32 bits, only the low word of the value is compared, as libseccomp does.
 *       {@code SCMP_CMP_MASKED_EQ} is {@code (arg & value) == valueTwo}.</li>
 *   <li>Syscall names are resolved per architecture: a name missing on one architecture is
 *       skipped there (socketcall on x86_64); a name no filtered architecture has is skipped and
 *       reported (runc skips the names libseccomp cannot resolve on any architecture; jruntime
 *       does not load the tables of unfiltered architectures to tell the two apart).</li>
 *   <li>With an {@code SCMP_ACT_ERRNO} default action, syscall numbers above the highest one the
 *       config names (per architecture) return ENOSYS instead of the default errno: runc's
 *       "ENOSYS stub", so that libc falls back from a syscall newer than the profile (clone3,
 *       faccessat2) instead of failing with EPERM. Kill and trap defaults are left as they are.</li>
 *   <li>The native architecture is always filtered, even when {@code architectures} omits it
 *       (libseccomp's filter always contains it; runc only adds to it).</li>
 * </ul>
 */
public final class SeccompCompiler {
    // SECCOMP_RET_* of linux/seccomp.h.
    static final int RET_KILL_PROCESS = 0x80000000;
    static final int RET_KILL_THREAD = 0x00000000;
    static final int RET_TRAP = 0x00030000;
    static final int RET_ERRNO = 0x00050000;
    static final int RET_USER_NOTIF = 0x7fc00000;
    static final int RET_TRACE = 0x7ff00000;
    static final int RET_LOG = 0x7ffc0000;
    static final int RET_ALLOW = 0x7fff0000;
    /** The action for a syscall of an architecture the filter does not cover (libseccomp's default). */
    static final int RET_BAD_ARCH = RET_KILL_THREAD;

    // SECCOMP_FILTER_FLAG_* of linux/seccomp.h.
    public static final long FLAG_TSYNC = 1;
    public static final long FLAG_LOG = 2;
    public static final long FLAG_SPEC_ALLOW = 4;
    public static final long FLAG_NEW_LISTENER = 8;
    public static final long FLAG_TSYNC_ESRCH = 16;
    public static final long FLAG_WAIT_KILLABLE_RECV = 32;

    private static final int EPERM = 1, ENOSYS = 38;
    private static final int OFF_NR = 0, OFF_ARCH = 4, OFF_ARGS = 16;

    // Comparison operators, internal codes.
    private static final int NE = 0, LT = 1, LE = 2, EQ = 3, GE = 4, GT = 5, MASKED_EQ = 6;

    private record Cond(int index, int op, long value, long valueTwo) {}

    private record Rule(int ret, Cond[] conds) {}

    /**
     * The rules of one architecture, by syscall slot: flat arrays rather than maps, because this
     * runs once in a cold JVM where every interpreted bytecode counts. Slot = the syscall number
     * without {@code __X32_SYSCALL_BIT}; arm's private syscalls (0x0f0000 + n) take slots after
     * {@link #PRIVATE_SLOT}.
     */
    private static final class ArchRules {
        static final int PRIVATE_SLOT = 1024, SLOTS = PRIVATE_SLOT + 16, ARM_PRIVATE_BASE = 0x0f0000;
        static final byte NONE = 0, UNCONDITIONAL = 1, CONDITIONAL = 2;

        final Arch arch;
        final byte[] kind = new byte[SLOTS];
        final int[] ret = new int[SLOTS];
        /** The highest syscall number the config names on this architecture, -1 if none. */
        long maxNr = -1;
        ArrayList<Rule>[] rules;

        ArchRules(Arch arch) {
            this.arch = arch;
        }

        static int slot(int nr) {
            if (nr >= ARM_PRIVATE_BASE && nr < ARM_PRIVATE_BASE + (SLOTS - PRIVATE_SLOT)) {
                return PRIVATE_SLOT + nr - ARM_PRIVATE_BASE;
            }
            int n = nr & ~Arch.X32_SYSCALL_BIT;
            if (n >= PRIVATE_SLOT) throw new IllegalStateException("syscall number out of range: " + nr);
            return n;
        }

        long number(int slot) {
            if (slot >= PRIVATE_SLOT) return ARM_PRIVATE_BASE + slot - PRIVATE_SLOT;
            return arch == Arch.X32 ? slot | Arch.X32_SYSCALL_BIT : slot;
        }

        @SuppressWarnings("unchecked")
        void add(int nr, int action, Cond[][] alternatives) {
            int s = slot(nr);
            if (kind[s] == UNCONDITIONAL) return; // an unconditional rule already decides this syscall
            if (alternatives == null) {
                kind[s] = UNCONDITIONAL;
                ret[s] = action;
                if (rules != null) rules[s] = null;
                return;
            }
            kind[s] = CONDITIONAL;
            if (rules == null) rules = new ArrayList[SLOTS];
            if (rules[s] == null) rules[s] = new ArrayList<>(2);
            for (Cond[] conds : alternatives) rules[s].add(new Rule(action, conds));
        }
    }

    private SeccompCompiler() {}

    /** Compiles for the architecture this JVM runs on (always filtered) plus those of the config. */
    public static CompiledFilter compile(LinuxSpec.Seccomp s) {
        Arch nativeArch = Arch.nativeArch();
        if (nativeArch == null) {
            // A filter without the machine's own ABI would kill every process at its first syscall.
            throw JrError.config("/linux/seccomp", "jruntime has no syscall table for this machine's architecture ("
                    + System.getProperty("os.arch") + ")");
        }
        return compile(s, nativeArch);
    }

    /** Compiles with {@code nativeArch} as the architecture that is always filtered (null: none). */
    public static CompiledFilter compile(LinuxSpec.Seccomp s, Arch nativeArch) {
        if (s == null) throw new IllegalArgumentException("no seccomp section");
        // Pointers for error messages are built only on error: no string concatenation (an
        // invokedynamic bootstrap costing milliseconds in a cold JVM) on the normal path.
        String base = "/linux/seccomp";
        List<String> notes = new ArrayList<>(2);

        // Default action.
        if (s.defaultAction() == null) throw JrError.config(actionPointer(-1), "required");
        if ("SCMP_ACT_NOTIFY".equals(s.defaultAction())) {
            throw JrError.config(actionPointer(-1), "SCMP_ACT_NOTIFY cannot be the default action");
        }
        int defaultRet = actionRet(s.defaultAction(), s.defaultErrnoRet(), -1);

        // Architectures: the native one first, then those of the config in their order.
        boolean[] filtered = new boolean[Arch.values().length];
        if (nativeArch != null) filtered[nativeArch.ordinal()] = true;
        List<String> skippedArches = new ArrayList<>(0);
        List<String> archs = s.architectures() == null ? List.of() : s.architectures();
        for (int i = 0; i < archs.size(); i++) {
            String name = archs.get(i);
            Arch a = name == null ? null : Arch.fromSpecName(name);
            if (a != null) {
                filtered[a.ordinal()] = true;
            } else if (name != null && Arch.isKnownForeign(name)) {
                if (!skippedArches.contains(name)) skippedArches.add(name);
            } else {
                throw JrError.config(pointer(base, "/architectures/", i), concat("unknown architecture ", quote(name)));
            }
        }
        Arch[] arches = Arch.values();
        ArchRules[] tables = new ArchRules[arches.length];
        for (Arch a : arches) if (filtered[a.ordinal()]) tables[a.ordinal()] = new ArchRules(a);

        // Rules.
        boolean needsListener = false;
        List<String> unknownSyscalls = new ArrayList<>(0);
        List<LinuxSpec.Syscall> syscalls = s.syscalls() == null ? List.of() : s.syscalls();
        for (int i = 0; i < syscalls.size(); i++) {
            LinuxSpec.Syscall sc = syscalls.get(i);
            if (sc == null) throw JrError.config(pointer(base, "/syscalls/", i), "null syscall rule");
            if (sc.action() == null) throw JrError.config(actionPointer(i), "required");
            int ret = actionRet(sc.action(), sc.errnoRet(), i);
            if (ret == RET_USER_NOTIF) needsListener = true;
            Cond[][] alternatives = conditions(sc.args(), i);
            if (sc.names() == null) continue;
            boolean redundant = ret == defaultRet; // runc drops these; libseccomp would refuse them
            for (int n = 0; n < sc.names().size(); n++) {
                String name = sc.names().get(n);
                if (name == null) {
                    throw JrError.config(pointer(pointer(base, "/syscalls/", i), "/names/", n), "null syscall name");
                }
                boolean known = false;
                for (ArchRules table : tables) {
                    if (table == null) continue;
                    int nr = SyscallTable.number(table.arch, name);
                    if (nr < 0) continue;
                    known = true;
                    if (nr > table.maxNr) table.maxNr = nr;
                    if (!redundant) table.add(nr, ret, alternatives);
                }
                if (!known && !unknownSyscalls.contains(name)) unknownSyscalls.add(name);
            }
        }

        // Flags.
        long flags = 0;
        List<String> flagNames = s.flags() == null ? List.of() : s.flags();
        for (int i = 0; i < flagNames.size(); i++) {
            String f = flagNames.get(i);
            flags |= switch (f == null ? "" : f) {
                case "SECCOMP_FILTER_FLAG_TSYNC" -> FLAG_TSYNC;
                case "SECCOMP_FILTER_FLAG_LOG" -> FLAG_LOG;
                case "SECCOMP_FILTER_FLAG_SPEC_ALLOW" -> FLAG_SPEC_ALLOW;
                case "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV" -> FLAG_WAIT_KILLABLE_RECV;
                default -> throw JrError.config(pointer(base, "/flags/", i), concat("unknown seccomp flag ", quote(f)));
            };
        }
        if (needsListener) {
            if (s.listenerPath() == null || s.listenerPath().isEmpty()) {
                throw JrError.config("/linux/seccomp/listenerPath", "required when an action is SCMP_ACT_NOTIFY");
            }
            flags |= FLAG_NEW_LISTENER;
            // The kernel refuses TSYNC with NEW_LISTENER unless TSYNC_ESRCH says how to report a
            // thread that cannot be synchronised (libseccomp adds it the same way).
            if ((flags & FLAG_TSYNC) != 0) flags |= FLAG_TSYNC_ESRCH;
        } else if ((flags & FLAG_WAIT_KILLABLE_RECV) != 0) {
            // Only meaningful with a listener; the kernel refuses it without NEW_LISTENER.
            flags &= ~FLAG_WAIT_KILLABLE_RECV;
            notes.add("SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV ignored: no action is SCMP_ACT_NOTIFY");
        }

        byte[] program = generate(arches, tables, defaultRet);
        int count = program.length / 8;
        if (count > BpfAssembler.MAX_INSNS) {
            throw JrError.config(base, new StringBuilder("the seccomp filter needs ").append(count)
                    .append(" BPF instructions, more than the kernel's limit of ").append(BpfAssembler.MAX_INSNS)
                    .toString());
        }
        return new CompiledFilter(program, flags, needsListener, List.copyOf(skippedArches),
                List.copyOf(unknownSyscalls), List.copyOf(notes));
    }

    /**
     * The comparisons of a rule: null for an unconditional rule, one array of ANDed comparisons,
     * or (when an argument index repeats, following runc) one single-comparison array each.
     */
    private static Cond[][] conditions(List<LinuxSpec.SyscallArg> args, int rule) {
        if (args == null || args.isEmpty()) return null;
        Cond[] conds = new Cond[args.size()];
        int seen = 0;
        boolean repeated = false;
        for (int j = 0; j < conds.length; j++) {
            LinuxSpec.SyscallArg a = args.get(j);
            if (a == null) throw JrError.config(argPointer(rule, j, ""), "null argument rule");
            if (a.index() == null) throw JrError.config(argPointer(rule, j, "/index"), "required");
            long index = a.index();
            if (index < 0 || index > 5) {
                throw JrError.config(argPointer(rule, j, "/index"),
                        concat("syscall argument index must be 0 to 5, found ", Long.toString(index)));
            }
            if (a.op() == null) throw JrError.config(argPointer(rule, j, "/op"), "required");
            int op = switch (a.op()) {
                case "SCMP_CMP_NE" -> NE;
                case "SCMP_CMP_LT" -> LT;
                case "SCMP_CMP_LE" -> LE;
                case "SCMP_CMP_EQ" -> EQ;
                case "SCMP_CMP_GE" -> GE;
                case "SCMP_CMP_GT" -> GT;
                case "SCMP_CMP_MASKED_EQ" -> MASKED_EQ;
                default -> throw JrError.config(argPointer(rule, j, "/op"), concat("unknown operator ", quote(a.op())));
            };
            if ((seen & (1 << index)) != 0) repeated = true;
            seen |= 1 << index;
            conds[j] = new Cond((int) index, op, a.value() == null ? 0 : a.value(),
                    a.valueTwo() == null ? 0 : a.valueTwo());
        }
        if (!repeated) return new Cond[][] {conds};
        Cond[][] alternatives = new Cond[conds.length][];
        for (int j = 0; j < conds.length; j++) alternatives[j] = new Cond[] {conds[j]};
        return alternatives;
    }

    /** The SECCOMP_RET_* value of an action; {@code rule} is the syscalls index, -1 for the default action. */
    private static int actionRet(String action, Long errnoRet, int rule) {
        int ret = switch (action) {
            case "SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD" -> RET_KILL_THREAD;
            case "SCMP_ACT_KILL_PROCESS" -> RET_KILL_PROCESS;
            case "SCMP_ACT_TRAP" -> RET_TRAP;
            case "SCMP_ACT_ERRNO" -> RET_ERRNO;
            case "SCMP_ACT_TRACE" -> RET_TRACE;
            case "SCMP_ACT_ALLOW" -> RET_ALLOW;
            case "SCMP_ACT_LOG" -> RET_LOG;
            case "SCMP_ACT_NOTIFY" -> RET_USER_NOTIF;
            default -> throw JrError.config(actionPointer(rule), concat("unknown action ", quote(action)));
        };
        if (ret == RET_ERRNO || ret == RET_TRACE) {
            // The 16 data bits: the errno to return, or the value a tracer sees (EPERM unless set,
            // as runc does for both).
            long data = errnoRet == null ? EPERM : errnoRet;
            if (data < 0 || data > 0xFFFF) {
                throw JrError.config(errnoPointer(rule), concat("must be between 0 and 65535, found ", Long.toString(data)));
            }
            return ret | (int) data;
        }
        if (errnoRet != null) {
            throw JrError.config(errnoPointer(rule), concat("only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, not ", action));
        }
        return ret;
    }

    // ---- code generation ----

    private static byte[] generate(Arch[] arches, ArchRules[] tables, int defaultRet) {
        BpfAssembler asm = new BpfAssembler();
        boolean has64 = tables[Arch.X86_64.ordinal()] != null;
        boolean hasX32 = tables[Arch.X32.ordinal()] != null;
        BpfAssembler.Label[] sections = new BpfAssembler.Label[arches.length];

        asm.loadWord(OFF_ARCH);
        for (Arch a : arches) {
            if (tables[a.ordinal()] == null) continue;
            // x86_64 and x32 share one audit arch and one section entry.
            if (a == Arch.X32 && has64) continue;
            BpfAssembler.Label l = asm.label();
            sections[a.ordinal()] = l;
            asm.jumpIf(BpfAssembler.BPF_JEQ, a.auditArch(), l, null);
        }
        asm.ret(RET_BAD_ARCH);

        for (Arch a : arches) {
            ArchRules table = tables[a.ordinal()];
            if (table == null) continue;
            if (a == Arch.X86_64 || (a == Arch.X32 && !has64)) {
                // One entry for AUDIT_ARCH_X86_64; __X32_SYSCALL_BIT picks the x32 table.
                asm.bind(sections[a.ordinal()]);
                asm.loadWord(OFF_NR);
                BpfAssembler.Label other = asm.label();
                if (a == Arch.X86_64) {
                    asm.jumpIf(BpfAssembler.BPF_JGE, Arch.X32_SYSCALL_BIT, other, null);
                    emitTree(asm, a, table, defaultRet);
                    asm.bind(other);
                    if (hasX32) {
                        emitTree(asm, Arch.X32, tables[Arch.X32.ordinal()], defaultRet);
                    } else {
                        asm.ret(RET_BAD_ARCH);
                    }
                } else {
                    asm.jumpIf(BpfAssembler.BPF_JGE, Arch.X32_SYSCALL_BIT, null, other);
                    emitTree(asm, a, table, defaultRet);
                    asm.bind(other);
                    asm.ret(RET_BAD_ARCH);
                }
            } else if (a != Arch.X32) {
                asm.bind(sections[a.ordinal()]);
                asm.loadWord(OFF_NR);
                emitTree(asm, a, table, defaultRet);
            }
        }
        return asm.link();
    }

    /** Emits the search tree over syscall-number intervals of one architecture (A = nr). */
    private static void emitTree(BpfAssembler asm, Arch arch, ArchRules table, int defaultRet) {
        // Intervals [start[i], start[i+1]) covering 0..2^32-1; rules[i] non-null for a syscall
        // with argument rules, else ret[i] is the interval's action.
        int cap = 2;
        for (byte k : table.kind) if (k != ArchRules.NONE) cap += 2;
        long[] start = new long[cap];
        int[] ret = new int[cap];
        @SuppressWarnings("unchecked")
        List<Rule>[] rules = new List[cap];
        int n = 0;
        long next = 0;
        for (int slot = 0; slot < ArchRules.SLOTS; slot++) {
            byte kind = table.kind[slot];
            if (kind == ArchRules.NONE) continue;
            long nr = table.number(slot);
            if (nr > next) n = addInterval(start, ret, rules, n, next, defaultRet, null);
            n = kind == ArchRules.UNCONDITIONAL
                    ? addInterval(start, ret, rules, n, nr, table.ret[slot], null)
                    : addInterval(start, ret, rules, n, nr, 0, table.rules[slot]);
            next = nr + 1;
        }
        // runc's "ENOSYS stub": with an errno default, syscalls numbered above every syscall the
        // config names are newer than the profile, and get ENOSYS so that libc falls back to an
        // older syscall (clone3 -> clone, faccessat2 -> faccessat) instead of failing on EPERM.
        if ((defaultRet & 0xFFFF0000) == RET_ERRNO && table.maxNr >= 0) {
            if (next <= table.maxNr) n = addInterval(start, ret, rules, n, next, defaultRet, null);
            next = table.maxNr + 1;
            if (next <= 0xFFFFFFFFL) n = addInterval(start, ret, rules, n, next, RET_ERRNO | ENOSYS, null);
        } else if (next <= 0xFFFFFFFFL) {
            n = addInterval(start, ret, rules, n, next, defaultRet, null);
        }
        emitNode(asm, arch, start, ret, rules, 0, n - 1, defaultRet);
    }

    private static int addInterval(long[] start, int[] ret, List<Rule>[] rules, int n, long from, int r,
                                   List<Rule> conditional) {
        if (conditional == null && n > 0 && rules[n - 1] == null && ret[n - 1] == r) return n; // extends the last
        start[n] = from;
        ret[n] = r;
        rules[n] = conditional;
        return n + 1;
    }

    private static void emitNode(BpfAssembler asm, Arch arch, long[] start, int[] ret, List<Rule>[] rules,
                                 int lo, int hi, int defaultRet) {
        if (lo == hi) {
            if (rules[lo] == null) {
                asm.ret(ret[lo]);
            } else {
                emitArgRules(asm, arch, rules[lo], defaultRet);
            }
            return;
        }
        int mid = (lo + hi + 1) >>> 1;
        BpfAssembler.Label right = asm.label();
        asm.jumpIf(BpfAssembler.BPF_JGE, (int) start[mid], right, null);
        emitNode(asm, arch, start, ret, rules, lo, mid - 1, defaultRet);
        asm.bind(right);
        emitNode(asm, arch, start, ret, rules, mid, hi, defaultRet);
    }

    /** The rules of one syscall, first match wins, then the default action. */
    private static void emitArgRules(BpfAssembler asm, Arch arch, List<Rule> rules, int defaultRet) {
        for (Rule r : rules) {
            BpfAssembler.Label fail = asm.label();
            for (Cond c : r.conds()) emitCond(asm, arch.wideArgs(), c, fail);
            asm.ret(r.ret());
            asm.bind(fail);
        }
        asm.ret(defaultRet);
    }

    /** Falls through when the comparison holds, jumps to {@code fail} when it does not. */
    private static void emitCond(BpfAssembler asm, boolean wide, Cond c, BpfAssembler.Label fail) {
        int lo = OFF_ARGS + 8 * c.index(); // seccomp_data.args[i], little endian: low word first
        int hi = lo + 4;
        int vl = (int) c.value();
        int vh = (int) (c.value() >>> 32);
        final int jeq = BpfAssembler.BPF_JEQ, jgt = BpfAssembler.BPF_JGT, jge = BpfAssembler.BPF_JGE;
        if (!wide) {
            asm.loadWord(lo);
            switch (c.op()) {
                case EQ -> asm.jumpIf(jeq, vl, null, fail);
                case NE -> asm.jumpIf(jeq, vl, fail, null);
                case GT -> asm.jumpIf(jgt, vl, null, fail);
                case GE -> asm.jumpIf(jge, vl, null, fail);
                case LT -> asm.jumpIf(jge, vl, fail, null);
                case LE -> asm.jumpIf(jgt, vl, fail, null);
                case MASKED_EQ -> {
                    asm.and(vl);
                    asm.jumpIf(jeq, (int) c.valueTwo(), null, fail);
                }
                default -> throw new IllegalStateException();
            }
            return;
        }
        BpfAssembler.Label pass = asm.label();
        switch (c.op()) {
            case EQ -> {
                asm.loadWord(hi);
                asm.jumpIf(jeq, vh, null, fail);
                asm.loadWord(lo);
                asm.jumpIf(jeq, vl, null, fail);
            }
            case NE -> {
                asm.loadWord(hi);
                asm.jumpIf(jeq, vh, null, pass);
                asm.loadWord(lo);
                asm.jumpIf(jeq, vl, fail, null);
            }
            case GT, GE -> { // high word greater: holds; equal: the low word decides; less: fails
                asm.loadWord(hi);
                asm.jumpIf(jgt, vh, pass, null);
                asm.jumpIf(jeq, vh, null, fail);
                asm.loadWord(lo);
                asm.jumpIf(c.op() == GT ? jgt : jge, vl, null, fail);
            }
            case LT, LE -> { // high word greater: fails; equal: the low word decides; less: holds
                asm.loadWord(hi);
                asm.jumpIf(jgt, vh, fail, null);
                asm.jumpIf(jeq, vh, null, pass);
                asm.loadWord(lo);
                asm.jumpIf(c.op() == LT ? jge : jgt, vl, fail, null);
            }
            case MASKED_EQ -> {
                int mh = vh, ml = vl;
                int dh = (int) (c.valueTwo() >>> 32), dl = (int) c.valueTwo();
                if (mh != 0 || dh != 0) { // a zero mask and datum on the high word always hold
                    asm.loadWord(hi);
                    asm.and(mh);
                    asm.jumpIf(jeq, dh, null, fail);
                }
                asm.loadWord(lo);
                asm.and(ml);
                asm.jumpIf(jeq, dl, null, fail);
            }
            default -> throw new IllegalStateException();
        }
        asm.bind(pass);
    }

    // ---- error messages (StringBuilder, not +: see compile) ----

    private static String actionPointer(int rule) {
        return rule < 0 ? "/linux/seccomp/defaultAction" : pointer(pointer("/linux/seccomp", "/syscalls/", rule), "/action", -1);
    }

    private static String errnoPointer(int rule) {
        return rule < 0 ? "/linux/seccomp/defaultErrnoRet"
                : pointer(pointer("/linux/seccomp", "/syscalls/", rule), "/errnoRet", -1);
    }

    private static String argPointer(int rule, int arg, String field) {
        return pointer(pointer(pointer("/linux/seccomp", "/syscalls/", rule), "/args/", arg), field, -1);
    }

    /** {@code base + part + index}, without the index when it is negative. */
    private static String pointer(String base, String part, int index) {
        StringBuilder b = new StringBuilder(base).append(part);
        if (index >= 0) b.append(index);
        return b.toString();
    }

    private static String concat(String a, String b) {
        return new StringBuilder(a).append(b).toString();
    }

    private static String quote(String s) {
        return s == null ? "null" : new StringBuilder().append('"').append(s).append('"').toString();
    }
}

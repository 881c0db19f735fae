package dev.jruntime.seccomp;

import java.util.ArrayList;
import java.util.List;

/**
 * Assembles a classic BPF program with symbolic forward jumps.
 *
 * <p>Conditional jumps in classic BPF reach at most 255 instructions forward. The assembler
 * links in passes: wherever a conditional branch is too far, it inserts an unconditional
 * {@code JA} (32-bit offset) right after the branch and points the branch at it; inserting
 * moves later code, so it repeats until nothing is too far. Jumps are only ever forward:
 * a label must be bound after every jump that refers to it.
 */
final class BpfAssembler {
    // Instruction classes and fields of linux/bpf_common.h.
    static final int BPF_LD = 0x00, BPF_ALU = 0x04, BPF_JMP = 0x05, BPF_RET = 0x06;
    static final int BPF_W = 0x00, BPF_ABS = 0x20, BPF_K = 0x00;
    static final int BPF_AND = 0x50;
    static final int BPF_JA = 0x00, BPF_JEQ = 0x10, BPF_JGT = 0x20, BPF_JGE = 0x30;

    /** The kernel's BPF_MAXINSNS. */
    static final int MAX_INSNS = 4096;
    private static final int MAX_COND_JUMP = 255;

    /** A position in the program, bound to the next instruction emitted after {@link #bind}. */
    static final class Label {
        private Insn target;
    }

    private static final class Insn {
        final int code;
        final int k;
        Insn jt; // conditional jumps: where "true" goes; JA: the target
        Insn jf;
        Label jtLabel;
        Label jfLabel;
        int index;

        Insn(int code, int k) {
            this.code = code;
            this.k = k;
        }

        boolean isConditional() {
            return (code & 0x07) == BPF_JMP && (code & 0xF0) != BPF_JA;
        }

        boolean isJa() {
            return code == (BPF_JMP | BPF_JA);
        }
    }

    private final ArrayList<Insn> insns = new ArrayList<>(1024);
    private final ArrayList<Label> pending = new ArrayList<>(8);

    Label label() {
        return new Label();
    }

    /** Binds {@code l} to the next instruction emitted. */
    void bind(Label l) {
        if (l.target != null) throw new IllegalStateException("label bound twice");
        pending.add(l);
    }

    private Insn add(Insn i) {
        for (Label l : pending) l.target = i;
        pending.clear();
        insns.add(i);
        return i;
    }

    /** {@code A = *(u32 *)(seccomp_data + offset)}. */
    void loadWord(int offset) {
        add(new Insn(BPF_LD | BPF_W | BPF_ABS, offset));
    }

    /** {@code A &= k}. */
    void and(int k) {
        add(new Insn(BPF_ALU | BPF_AND | BPF_K, k));
    }

    void ret(int k) {
        add(new Insn(BPF_RET | BPF_K, k));
    }

    void jump(Label target) {
        Insn i = add(new Insn(BPF_JMP | BPF_JA, 0));
        i.jtLabel = target;
    }

    /**
     * A conditional jump comparing A with {@code k}; {@code op} is {@link #BPF_JEQ},
     * {@link #BPF_JGT} or {@link #BPF_JGE}. A null label means "the next instruction".
     */
    void jumpIf(int op, int k, Label ifTrue, Label ifFalse) {
        Insn i = add(new Insn(BPF_JMP | op | BPF_K, k));
        i.jtLabel = ifTrue;
        i.jfLabel = ifFalse;
    }

    int size() {
        return insns.size();
    }

    /**
     * Resolves every jump, inserting long jumps where needed, and returns the program as
     * {@code struct sock_filter[]} in little-endian byte order (8 bytes an instruction).
     */
    byte[] link() {
        if (!pending.isEmpty()) throw new IllegalStateException("label bound past the end of the program");
        // Resolve labels to instructions; "next instruction" becomes an explicit target.
        for (int n = 0; n < insns.size(); n++) {
            Insn i = insns.get(n);
            if (i.isJa()) {
                i.jt = resolve(i.jtLabel);
            } else if (i.isConditional()) {
                Insn next = n + 1 < insns.size() ? insns.get(n + 1) : null;
                i.jt = i.jtLabel == null ? next : resolve(i.jtLabel);
                i.jf = i.jfLabel == null ? next : resolve(i.jfLabel);
                if (i.jt == null || i.jf == null) throw new IllegalStateException("jump past the end of the program");
            }
        }
        List<Insn> prog = insns;
        for (int n = 0; n < prog.size(); n++) prog.get(n).index = n;
        for (Insn i : prog) {
            if ((i.jt != null && i.jt.index <= i.index) || (i.jf != null && i.jf.index <= i.index)) {
                throw new IllegalStateException("backward jump at instruction " + i.index);
            }
        }
        while (true) {
            for (int n = 0; n < prog.size(); n++) prog.get(n).index = n;
            ArrayList<Insn> out = null;
            for (int n = 0; n < prog.size(); n++) {
                Insn i = prog.get(n);
                if (out != null) out.add(i);
                if (!i.isConditional()) continue;
                boolean farT = i.jt.index - n - 1 > MAX_COND_JUMP;
                boolean farF = i.jf.index - n - 1 > MAX_COND_JUMP;
                if (!farT && !farF) continue;
                if (out == null) {
                    out = new ArrayList<>(prog.size() + 64);
                    out.addAll(prog.subList(0, n + 1));
                }
                if (farT) {
                    Insn ja = new Insn(BPF_JMP | BPF_JA, 0);
                    ja.jt = i.jt;
                    i.jt = ja;
                    out.add(ja);
                }
                if (farF) {
                    if (farT && i.jf == i.jt.jt) {
                        i.jf = i.jt; // both branches share the one long jump
                    } else {
                        Insn ja = new Insn(BPF_JMP | BPF_JA, 0);
                        ja.jt = i.jf;
                        i.jf = ja;
                        out.add(ja);
                    }
                }
            }
            if (out == null) break;
            prog = out;
        }
        byte[] bytes = new byte[prog.size() * 8];
        for (int n = 0; n < prog.size(); n++) {
            Insn i = prog.get(n);
            int jt = 0, jf = 0, k = i.k;
            if (i.isJa()) {
                k = i.jt.index - n - 1;
            } else if (i.isConditional()) {
                jt = i.jt.index - n - 1;
                jf = i.jf.index - n - 1;
            }
            int o = n * 8;
            bytes[o] = (byte) i.code;
            bytes[o + 1] = (byte) (i.code >>> 8);
            bytes[o + 2] = (byte) jt;
            bytes[o + 3] = (byte) jf;
            bytes[o + 4] = (byte) k;
            bytes[o + 5] = (byte) (k >>> 8);
            bytes[o + 6] = (byte) (k >>> 16);
            bytes[o + 7] = (byte) (k >>> 24);
        }
        return bytes;
    }

    private static Insn resolve(Label l) {
        if (l.target == null) throw new IllegalStateException("jump to an unbound label");
        return l.target;
    }
}

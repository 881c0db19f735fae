package dev.jruntime.seccomp;

/**
 * A classic-BPF interpreter for seccomp programs, for tests: checks a program the way the
 * kernel's verifier does (length, known instructions, jumps forward and inside the program,
 * aligned loads inside {@code struct seccomp_data}, a return at the end) and runs it.
 */
final class BpfInterpreter {
    /** {@code struct seccomp_data}. */
    record SeccompData(int nr, int arch, long ip, long... args) {
        SeccompData {
            if (args.length > 6) throw new IllegalArgumentException("at most 6 args");
            long[] a = new long[6];
            System.arraycopy(args, 0, a, 0, args.length);
            args = a;
        }

        int word(int offset) {
            if (offset == 0) return nr;
            if (offset == 4) return arch;
            if (offset == 8) return (int) ip;
            if (offset == 12) return (int) (ip >>> 32);
            int i = (offset - 16) / 8;
            return (offset & 4) == 0 ? (int) args[i] : (int) (args[i] >>> 32);
        }
    }

    private final int[] code, jt, jf, k;

    BpfInterpreter(byte[] program) {
        if (program.length % 8 != 0) throw new IllegalArgumentException("not a whole number of instructions");
        int n = program.length / 8;
        if (n == 0 || n > 4096) throw new IllegalArgumentException("bad length " + n);
        code = new int[n];
        jt = new int[n];
        jf = new int[n];
        k = new int[n];
        for (int i = 0; i < n; i++) {
            int o = i * 8;
            code[i] = (program[o] & 0xff) | (program[o + 1] & 0xff) << 8;
            jt[i] = program[o + 2] & 0xff;
            jf[i] = program[o + 3] & 0xff;
            k[i] = (program[o + 4] & 0xff) | (program[o + 5] & 0xff) << 8 | (program[o + 6] & 0xff) << 16
                    | (program[o + 7] & 0xff) << 24;
        }
        verify();
    }

    int length() {
        return code.length;
    }

    private void verify() {
        int n = code.length;
        for (int i = 0; i < n; i++) {
            switch (code[i]) {
                case 0x20 -> { // LD W ABS
                    if ((k[i] & 3) != 0 || k[i] < 0 || k[i] >= 64) throw bad(i, "load offset " + k[i]);
                }
                case 0x54 -> {} // ALU AND K
                case 0x06 -> {} // RET K
                case 0x05 -> { // JA
                    long target = (long) i + 1 + (k[i] & 0xFFFFFFFFL);
                    if (target >= n) throw bad(i, "JA past the end");
                }
                case 0x15, 0x25, 0x35 -> { // JEQ JGT JGE K
                    if (i + 1 + jt[i] >= n || i + 1 + jf[i] >= n) throw bad(i, "jump past the end");
                }
                default -> throw bad(i, "unexpected opcode 0x" + Integer.toHexString(code[i]));
            }
        }
        if (code[n - 1] != 0x06) throw bad(n - 1, "the last instruction is not a return");
    }

    private static IllegalArgumentException bad(int i, String why) {
        return new IllegalArgumentException("insn " + i + ": " + why);
    }

    /** Runs the program; returns the SECCOMP_RET_* value. */
    int run(SeccompData d) {
        int a = 0;
        int pc = 0;
        while (true) {
            int i = pc++;
            switch (code[i]) {
                case 0x20 -> a = d.word(k[i]);
                case 0x54 -> a &= k[i];
                case 0x06 -> {
                    return k[i];
                }
                case 0x05 -> pc += k[i];
                case 0x15 -> pc += a == k[i] ? jt[i] : jf[i];
                case 0x25 -> pc += Integer.compareUnsigned(a, k[i]) > 0 ? jt[i] : jf[i];
                case 0x35 -> pc += Integer.compareUnsigned(a, k[i]) >= 0 ? jt[i] : jf[i];
                default -> throw new IllegalStateException();
            }
        }
    }
}

package dev.jruntime.cgroups;

import static org.junit.jupiter.api.Assertions.*;

import dev.jruntime.spec.Resources.DeviceRule;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The eBPF device program, run by a tiny interpreter of the instructions it uses, against
 * the v1 semantics. (DeviceFilterIT checks the same programs in the kernel.)
 */
class DeviceFilterTest {

    /** Runs the program for one request; returns r0. */
    static long run(List<DeviceFilter.Insn> prog, int type, int access, int major, int minor) {
        long[] r = new long[11];
        int ctx0 = (access << 16) | type;
        for (int pc = 0; pc < prog.size(); pc++) {
            var i = prog.get(pc);
            switch (i.code()) {
                case 0x61 -> r[i.dst()] = switch (i.off()) {
                    case 0 -> ctx0 & 0xFFFFFFFFL;
                    case 4 -> major;
                    case 8 -> minor;
                    default -> throw new AssertionError("bad offset");
                };
                case 0x54 -> r[i.dst()] = (r[i.dst()] & i.imm()) & 0xFFFFFFFFL;
                case 0x74 -> r[i.dst()] = (r[i.dst()] & 0xFFFFFFFFL) >>> i.imm();
                case 0xbf -> r[i.dst()] = r[i.src()];
                case 0xb7 -> r[i.dst()] = i.imm();
                case 0x55 -> { if (r[i.dst()] != i.imm()) pc += i.off(); }
                case 0x5d -> { if (r[i.dst()] != r[i.src()]) pc += i.off(); }
                case 0x15 -> { if (r[i.dst()] == i.imm()) pc += i.off(); }
                case 0x95 -> { return r[0]; }
                default -> throw new AssertionError("opcode " + i.code());
            }
        }
        throw new AssertionError("fell off the end");
    }

    static final int C = DeviceFilter.DEV_CHAR, B = DeviceFilter.DEV_BLOCK,
            R = DeviceFilter.ACC_READ, W = DeviceFilter.ACC_WRITE, M = DeviceFilter.ACC_MKNOD;

    @Test
    void defaultListAfterDenyAll() {
        var p = DeviceFilter.compile(DeviceRules.effective(List.of(new DeviceRule(false, null, null, null, "rwm"))));
        assertEquals(1, run(p, C, R | W, 1, 3));      // /dev/null
        assertEquals(1, run(p, C, R, 136, 7));        // /dev/pts/7
        assertEquals(1, run(p, B, M, 8, 0));          // mknod of any block device
        assertEquals(0, run(p, B, R, 8, 0));          // but not opening it
        assertEquals(0, run(p, C, R, 1, 1));          // /dev/mem
        assertEquals(1, run(p, C, R | W, 10, 200));   // /dev/net/tun
    }

    @Test
    void laterRulesWinAndDenyRemovesAccess() {
        var p = DeviceFilter.compile(DeviceRules.fromConfig(List.of(
                new DeviceRule(true, "c", 4L, null, "rw"),
                new DeviceRule(false, "c", 4L, 2L, "w"))));
        assertEquals(1, run(p, C, R | W, 4, 1));
        assertEquals(1, run(p, C, R, 4, 2));
        assertEquals(0, run(p, C, R | W, 4, 2));
        assertEquals(0, run(p, C, M, 4, 1));          // m not in "rw"
        assertEquals(0, run(p, B, R, 4, 1));          // type matters
    }

    @Test
    void allowAllStopsTheProgramThere() {
        var p = DeviceFilter.compile(DeviceRules.effective(List.of(new DeviceRule(true, null, null, null, "rwm"))));
        assertEquals(1, run(p, B, R | W | M, 8, 0));
        // the default deny after it would be unreachable: not emitted
        assertEquals(0x95, p.get(p.size() - 1).code());
        assertEquals(1, p.get(p.size() - 2).imm());
    }
}

package dev.jruntime.plan;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An ordered list of ops and its binary form (see src/main/c/plan.h for the format).
 */
public final class Plan {
    private final List<Op> ops = new ArrayList<>();

    public Plan add(Op op) {
        ops.add(op);
        return this;
    }

    public Plan add(Opcode code, String origin, Object... args) {
        return add(Op.of(code, origin, args));
    }

    public List<Op> ops() {
        return List.copyOf(ops);
    }

    public Op get(int index) {
        return ops.get(index);
    }

    public int size() {
        return ops.size();
    }

    /** The plan as jruntime-init reads it. */
    public byte[] encode() {
        Out out = new Out();
        out.raw("JRP1".getBytes(StandardCharsets.US_ASCII));
        out.u32(ops.size());
        for (Op op : ops) {
            out.u16(op.code().number);
            out.u16(op.args().size());
            for (Object a : op.args()) {
                switch (a) {
                    case Long l -> { out.u8('i'); out.i64(l); }
                    case String s -> { out.u8('s'); out.bytes(s.getBytes(StandardCharsets.UTF_8)); }
                    case byte[] b -> { out.u8('s'); out.bytes(b); }
                    case long[] arr -> { out.u8('a'); out.u32(arr.length); for (long v : arr) out.i64(v); }
                    case List<?> list -> {
                        out.u8('v');
                        out.u32(list.size());
                        for (Object s : list) out.bytes(((String) s).getBytes(StandardCharsets.UTF_8));
                    }
                    default -> throw new IllegalStateException("unencodable arg " + a);
                }
            }
        }
        return out.toByteArray();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ops.size(); i++) sb.append(i).append(": ").append(ops.get(i)).append('\n');
        return sb.toString();
    }

    /** Little-endian writer. */
    private static final class Out extends ByteArrayOutputStream {
        private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

        void u8(int v) { write(v); }
        void u16(int v) { scratch.clear(); scratch.putShort((short) v); write(scratch.array(), 0, 2); }
        void u32(int v) { scratch.clear(); scratch.putInt(v); write(scratch.array(), 0, 4); }
        void i64(long v) { scratch.clear(); scratch.putLong(v); write(scratch.array(), 0, 8); }
        void raw(byte[] b) { write(b, 0, b.length); }
        void bytes(byte[] b) { u32(b.length); raw(b); }
    }
}

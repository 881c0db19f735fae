package dev.jruntime.plan;

import java.util.List;

/**
 * One primitive operation of a plan, its arguments fully resolved.
 *
 * @param code   what to do
 * @param args   values matching {@code code.signature}: Long for i, String or byte[] for s,
 *               List&lt;String&gt; for v, long[] for a
 * @param origin what in the config this op comes from, for error messages
 *               (e.g. {@code "/mounts/3 (proc on /proc)"}); "" when it is the runtime's own
 */
public record Op(Opcode code, List<Object> args, String origin) {

    public Op {
        args = List.copyOf(args);
        if (args.size() != code.signature.length()) {
            throw new IllegalArgumentException(code + " takes " + code.signature.length() + " args, got " + args.size());
        }
        for (int i = 0; i < args.size(); i++) {
            Object a = args.get(i);
            boolean ok = switch (code.signature.charAt(i)) {
                case 'i' -> a instanceof Long;
                case 's' -> a instanceof String || a instanceof byte[];
                case 'v' -> a instanceof List<?>;
                case 'a' -> a instanceof long[];
                default -> false;
            };
            if (!ok) throw new IllegalArgumentException(code + " arg " + i + " has the wrong kind: " + a);
        }
    }

    /** Shorthand: ints may be given as Integer/Long, they are stored as Long. */
    public static Op of(Opcode code, String origin, Object... args) {
        Object[] norm = args.clone();
        for (int i = 0; i < norm.length; i++) {
            if (norm[i] instanceof Integer n) norm[i] = n.longValue();
        }
        return new Op(code, List.of(norm), origin);
    }

    /** A readable one-line form, for --debug and for tests. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(code.name());
        for (Object a : args) {
            sb.append(' ');
            if (a instanceof byte[] b) sb.append("<").append(b.length).append(" bytes>");
            else if (a instanceof long[] l) sb.append(java.util.Arrays.toString(l));
            else if (a instanceof String s) sb.append('"').append(s).append('"');
            else sb.append(a);
        }
        return sb.toString();
    }
}

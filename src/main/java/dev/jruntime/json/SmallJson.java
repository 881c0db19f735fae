package dev.jruntime.json;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON for the hot verbs (state, kill, start, delete, list): a reader into plain maps, lists,
 * strings, longs, doubles and booleans, and a writer with runc's indentation.
 *
 * <p>Why not jackson-core here: its parser's static initialisation touches
 * {@code java.math.BigDecimal}, whose class initialiser costs ~14 ms on JDK 25 (measured: the
 * first {@code createParser} took 15 ms of a 30 ms `state`). These verbs read jruntime's own
 * state.json and the hooks of a config that `create` already validated, so a strict,
 * complete reader of the JSON grammar (RFC 8259) is all they need. `create`, `exec` and
 * `update` keep jackson.
 */
public final class SmallJson {
    private SmallJson() {}

    /** Malformed input: what went wrong, and where (line and column count from 1). */
    public static final class ParseException extends Exception {
        private final String problem;
        private final int line;
        private final int column;

        /** A problem with the document as a whole (line 1, column 1). */
        ParseException(String problem) {
            super(problem);
            this.problem = problem;
            this.line = 1;
            this.column = 1;
        }

        ParseException(String problem, String text, int at) {
            super(problem);
            this.problem = at >= text.length() ? "unexpected end of input (" + problem + ")" : problem;
            int ln = 1, lineStart = 0;
            for (int i = 0; i < at && i < text.length(); i++) {
                if (text.charAt(i) == '\n') {
                    ln++;
                    lineStart = i + 1;
                }
            }
            this.line = ln;
            this.column = at - lineStart + 1;
        }

        public String problem() {
            return problem;
        }

        public int line() {
            return line;
        }

        public int column() {
            return column;
        }

        @Override
        public String getMessage() {
            return "line " + line + ", column " + column + ": " + problem;
        }
    }

    // --- reading ------------------------------------------------------------------------------

    /**
     * Parses one JSON document: objects become {@code LinkedHashMap<String, Object>}, arrays
     * {@code ArrayList<Object>}, integers {@code Long} ({@code BigInteger} beyond a long),
     * other numbers {@code Double}, JSON null {@code null}.
     */
    public static Object parse(byte[] utf8) throws ParseException {
        Reader r = new Reader(new String(utf8, StandardCharsets.UTF_8));
        r.space();
        Object v = r.value();
        r.space();
        if (r.at < r.n) throw new ParseException("trailing characters", r.s, r.at);
        return v;
    }

    /** The object at the top of a document (an error when it is something else). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(byte[] utf8) throws ParseException {
        Object v = parse(utf8);
        if (!(v instanceof Map)) throw new ParseException("a JSON object expected");
        return (Map<String, Object>) v;
    }

    // --- typed access to a parsed document --------------------------------------------------

    /** A value of the wrong type where the reader expected another; {@code at} says where. */
    public static final class WrongType extends Exception {
        public WrongType(String at, String expected, Object found) {
            super(at + ": " + expected + " expected, found " + (found instanceof String s ? quote(s) : String.valueOf(found)));
        }
    }

    /** An object, or an empty map for an absent (null) value. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Object v, String at) throws WrongType {
        if (v == null) return Map.of();
        if (v instanceof Map) return (Map<String, Object>) v;
        throw new WrongType(at, "an object", v);
    }

    /** A string, or null for an absent value. */
    public static String string(Object v, String at) throws WrongType {
        if (v == null || v instanceof String) return (String) v;
        throw new WrongType(at, "a string", v);
    }

    /** An integer that fits a long, or 0 for an absent value. */
    public static long integer(Object v, String at) throws WrongType {
        if (v == null) return 0;
        if (v instanceof Long l) return l;
        throw new WrongType(at, "an integer", v);
    }

    /** An array of strings, or null for an absent value. */
    public static List<String> strings(Object v, String at) throws WrongType {
        if (v == null) return null;
        if (!(v instanceof List<?> l)) throw new WrongType(at, "an array", v);
        List<String> out = new ArrayList<>(l.size());
        for (Object o : l) out.add(string(o, at));
        return out;
    }

    /** An object whose values are all strings, in its order (empty for an absent value). */
    public static Map<String, String> stringMap(Object v, String at) throws WrongType {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : object(v, at).entrySet()) out.put(e.getKey(), string(e.getValue(), at + "/" + e.getKey()));
        return out;
    }

    /**
     * A recursive-descent reader over the document's chars. An array, not String.charAt: most
     * of a verb runs in the interpreter, where each charAt is three calls (~5x slower).
     * {@code s} is kept for the line and column of errors.
     */
    private static final class Reader {
        final String s;
        final char[] chars;
        final int n;
        int at;

        Reader(String s) {
            this.s = s;
            this.chars = s.toCharArray();
            this.n = chars.length;
        }

        Object value() throws ParseException {
            if (at >= n) throw new ParseException("a value expected", s, at);
            char c = chars[at];
            return switch (c) {
                case '{' -> object();
                case '[' -> array();
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) yield number();
                    throw new ParseException("unexpected '" + c + "'", s, at);
                }
            };
        }

        private Map<String, Object> object() throws ParseException {
            Map<String, Object> m = new LinkedHashMap<>();
            at++;
            space();
            if (peek() == '}') {
                at++;
                return m;
            }
            while (true) {
                space();
                if (peek() != '"') throw new ParseException("a member name expected", s, at);
                String name = string();
                space();
                expect(':');
                space();
                m.put(name, value());
                space();
                if (peek() == ',') {
                    at++;
                    continue;
                }
                expect('}');
                return m;
            }
        }

        private List<Object> array() throws ParseException {
            List<Object> l = new ArrayList<>();
            at++;
            space();
            if (peek() == ']') {
                at++;
                return l;
            }
            while (true) {
                space();
                l.add(value());
                space();
                if (peek() == ',') {
                    at++;
                    continue;
                }
                expect(']');
                return l;
            }
        }

        private String string() throws ParseException {
            at++; // the opening quote
            StringBuilder b = null;
            int start = at;
            while (true) {
                if (at >= n) throw new ParseException("unterminated string", s, start - 1);
                char c = chars[at];
                if (c == '"') {
                    String tail = new String(chars, start, at - start);
                    at++;
                    return b == null ? tail : b.append(tail).toString();
                }
                if (c < 0x20) throw new ParseException("control character in a string", s, at);
                if (c != '\\') {
                    at++;
                    continue;
                }
                if (b == null) b = new StringBuilder();
                b.append(chars, start, at - start);
                if (++at >= n) throw new ParseException("unterminated escape", s, at);
                char e = chars[at++];
                switch (e) {
                    case '"', '\\', '/' -> b.append(e);
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'u' -> {
                        if (at + 4 > n) throw new ParseException("short \\u escape", s, at);
                        int cp = 0;
                        for (int i = 0; i < 4; i++) {
                            int d = Character.digit(chars[at++], 16);
                            if (d < 0) throw new ParseException("bad \\u escape", s, at - 1);
                            cp = cp * 16 + d;
                        }
                        b.append((char) cp); // surrogate pairs arrive as two escapes
                    }
                    default -> throw new ParseException("bad escape '\\" + e + "'", s, at - 1);
                }
                start = at;
            }
        }

        private Object number() throws ParseException {
            int start = at;
            if (peek() == '-') at++;
            if (peek() == '0') {
                at++;
            } else if (!digits()) {
                throw new ParseException("a digit expected", s, at);
            }
            boolean integral = true;
            if (peek() == '.') {
                integral = false;
                at++;
                if (!digits()) throw new ParseException("a digit expected", s, at);
            }
            if (peek() == 'e' || peek() == 'E') {
                integral = false;
                at++;
                if (peek() == '+' || peek() == '-') at++;
                if (!digits()) throw new ParseException("a digit expected", s, at);
            }
            String text = new String(chars, start, at - start);
            if (integral) {
                try {
                    return Long.parseLong(text);
                } catch (NumberFormatException outOfRange) {
                    return new BigInteger(text); // e.g. a uint64 rlimit; BigInteger is cheap, BigDecimal is not
                }
            }
            return Double.parseDouble(text);
        }

        private boolean digits() {
            int start = at;
            while (at < n && chars[at] >= '0' && chars[at] <= '9') at++;
            return at > start;
        }

        private Object literal(String word, Object v) throws ParseException {
            if (!s.startsWith(word, at)) throw new ParseException("unexpected '" + chars[at] + "'", s, at);
            at += word.length();
            return v;
        }

        private char peek() {
            return at < n ? chars[at] : '\0';
        }

        private void expect(char c) throws ParseException {
            if (peek() != c) throw new ParseException("'" + c + "' expected", s, at);
            at++;
        }

        void space() {
            while (at < n) {
                char c = chars[at];
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
                at++;
            }
        }
    }

    // --- writing ------------------------------------------------------------------------------

    /**
     * Builds a JSON text: compact, or indented like Go's {@code json.MarshalIndent(v, "", "  ")}
     * (what runc prints). Calls nest as the document does: {@code beginObject().name("a")
     * .value(1).endObject()}.
     */
    public static final class Writer {
        private final StringBuilder b = new StringBuilder(256);
        private final boolean pretty;
        private int depth;
        private boolean empty = true;   // nothing written yet in the current object or array
        private boolean afterName;

        public Writer(boolean pretty) {
            this.pretty = pretty;
        }

        public Writer beginObject() {
            return open('{');
        }

        public Writer endObject() {
            return close('}');
        }

        public Writer beginArray() {
            return open('[');
        }

        public Writer endArray() {
            return close(']');
        }

        public Writer name(String name) {
            separate();
            quote(b, name);
            b.append(pretty ? ": " : ":");
            afterName = true;
            return this;
        }

        public Writer value(String v) {
            separate();
            if (v == null) b.append("null");
            else quote(b, v);
            return this;
        }

        public Writer value(long v) {
            separate();
            b.append(v);
            return this;
        }

        public Writer value(boolean v) {
            separate();
            b.append(v);
            return this;
        }

        /** Any parsed value ({@link #parse}'s Map, List, String, Long, BigInteger, Double, Boolean or null). */
        @SuppressWarnings("unchecked")
        public Writer any(Object v) {
            if (v instanceof Map<?, ?> m) {
                beginObject();
                for (Map.Entry<String, Object> e : ((Map<String, Object>) m).entrySet()) name(e.getKey()).any(e.getValue());
                return endObject();
            }
            if (v instanceof List<?> l) {
                beginArray();
                for (Object x : l) any(x);
                return endArray();
            }
            if (v == null || v instanceof String) return value((String) v);
            if (v instanceof Boolean bool) return value((boolean) bool);
            separate();
            b.append(v); // a Long, BigInteger or Double: Java's text of it is valid JSON
            return this;
        }

        /** {@code name: {k: v, …}} with string values, in the map's order. */
        public Writer stringMap(String name, Map<String, String> m) {
            name(name).beginObject();
            for (Map.Entry<String, String> e : m.entrySet()) name(e.getKey()).value(e.getValue());
            return endObject();
        }

        @Override
        public String toString() {
            return b.toString();
        }

        private Writer open(char c) {
            separate();
            b.append(c);
            depth++;
            empty = true;
            return this;
        }

        private Writer close(char c) {
            depth--;
            if (!empty) newline();
            b.append(c);
            empty = false;
            return this;
        }

        /** Before a name, or a value that has no name: the comma and the line break. */
        private void separate() {
            if (afterName) {
                afterName = false;
                return;
            }
            if (!empty) b.append(',');
            if (depth > 0) newline();
            empty = false;
        }

        private void newline() {
            if (!pretty) return;
            b.append('\n');
            for (int i = 0; i < depth; i++) b.append("  ");
        }
    }

    /** A JSON string literal (also valid for logrus text). */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2);
        quote(b, s);
        return b.toString();
    }

    private static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}

package dev.jruntime.spec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jruntime.json.SmallJson;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The JSON Schemas under {@code schema/} (draft-07), compiled and checked by jruntime itself.
 *
 * <p>Why not networknt's validator at run time: on every {@code create} it cost ~100 ms of CPU
 * in a fresh JVM (building its validators, an ObjectMapper for its messages, BigDecimal for
 * {@code minimum}), more than the rest of {@code create} together. The schemas are ours and use
 * a small part of draft-07, so this class implements exactly that part; networknt stays in the
 * tests as the oracle ({@code SchemaOracleTest} checks both agree on thousands of configs).
 *
 * <p>Keywords: {@code $ref} (to a file, {@code #/definitions/…} or both), {@code type} (a
 * name or an array of names), {@code properties}, {@code required},
 * {@code additionalProperties} (a schema), {@code items} (a schema), {@code enum},
 * {@code minimum}, {@code maximum}, {@code pattern}, {@code minItems}, {@code minLength};
 * annotations ({@code $schema}, {@code $id}, {@code description}, {@code definitions}) are
 * skipped. Any other keyword makes loading fail, so a schema can never say more than is checked.
 */
final class Schema {
    private static final String RESOURCES = "/schema/";
    private static final Set<String> ANNOTATIONS = Set.of("$schema", "$id", "description", "definitions");

    /** One problem: where in the instance (a JSON pointer), which keyword, and why in words. */
    record Problem(String pointer, String keyword, String rule) {
        int depth() {
            int d = 0;
            for (int i = 0; i < pointer.length(); i++) if (pointer.charAt(i) == '/') d++;
            return d;
        }

        /** {@code /pointer: rule}; the document itself is {@code /}. */
        String text() {
            return (pointer.isEmpty() ? "/" : pointer) + ": " + rule;
        }
    }

    private final Node root;

    private Schema(Node root) {
        this.root = root;
    }

    /** Loads {@code schema/<file>} and every file it refers to, from the class path. */
    static Schema load(String file) {
        return new Schema(new Compiler().compile(file, ""));
    }

    /** Every problem of {@code instance}, in the order the keywords were met. */
    List<Problem> validate(JsonNode instance) {
        List<Problem> out = new ArrayList<>();
        root.check(instance, "", out);
        return out;
    }

    /** The problems as {@code /pointer: rule}, the deepest (closest to the mistake) first, without repeats. */
    List<String> problems(JsonNode instance) {
        List<Problem> found = validate(instance);
        if (found.isEmpty()) return List.of();
        found.sort(BY_DEPTH);
        List<String> texts = new ArrayList<>();
        for (Problem p : found) {
            String t = p.text();
            if (!texts.contains(t)) texts.add(t);
        }
        return texts;
    }

    /** Deepest pointer first, then by pointer. A named class: a lambda here would be spun at run time. */
    private static final java.util.Comparator<Problem> BY_DEPTH = new java.util.Comparator<>() {
        @Override
        public int compare(Problem a, Problem b) {
            int c = Integer.compare(b.depth(), a.depth());
            return c != 0 ? c : a.pointer().compareTo(b.pointer());
        }
    };

    // ---- the compiled form ----

    /** One schema object; a {@code $ref} is a Node whose {@link #ref} is filled once its target is compiled. */
    private static final class Node {
        Node ref;
        List<String> types;
        Map<String, Node> properties;
        List<String> required;
        Node additionalProperties;
        Node items;
        List<Object> enumValues;
        Object minimum;
        Object maximum;
        Pattern pattern;
        int minItems = -1;
        int minLength = -1;

        void check(JsonNode v, String at, List<Problem> out) {
            if (ref != null) {
                ref.check(v, at, out);
                return;
            }
            if (types != null && !hasType(v)) {
                out.add(new Problem(at, "type", expected() + " expected, found " + describe(v)));
            }
            if (v.isObject()) {
                if (required != null) {
                    for (String name : required) {
                        if (!v.has(name)) out.add(new Problem(at + "/" + ConfigValidator.token(name), "required", "required field missing"));
                    }
                }
                if (properties != null || additionalProperties != null) {
                    for (Map.Entry<String, JsonNode> e : v.properties()) {
                        Node p = properties == null ? null : properties.get(e.getKey());
                        if (p == null) p = additionalProperties;
                        if (p != null) p.check(e.getValue(), at + "/" + ConfigValidator.token(e.getKey()), out);
                    }
                }
            }
            if (v.isArray()) {
                if (minItems >= 0 && v.size() < minItems) {
                    out.add(new Problem(at, "minItems", "must have at least " + minItems + " entr" + (minItems == 1 ? "y" : "ies")));
                }
                if (items != null) {
                    for (int i = 0; i < v.size(); i++) items.check(v.get(i), at + "/" + i, out);
                }
            }
            if (v.isTextual()) {
                String s = v.textValue();
                if (minLength >= 0 && s.codePointCount(0, s.length()) < minLength) {
                    out.add(new Problem(at, "minLength", "must not be empty"));
                }
                if (pattern != null && !pattern.matcher(s).find()) {
                    out.add(new Problem(at, "pattern", describe(v) + " does not match " + pattern.pattern()));
                }
            }
            if (v.isNumber()) {
                if (minimum != null && compare(v, minimum) < 0) {
                    out.add(new Problem(at, "minimum", "must be >= " + minimum + ", found " + v.asText()));
                }
                if (maximum != null && compare(v, maximum) > 0) {
                    out.add(new Problem(at, "maximum", "must be <= " + maximum + ", found " + v.asText()));
                }
            }
            if (enumValues != null && !isOneOf(v)) {
                List<String> allowed = new ArrayList<>();
                for (Object e : enumValues) allowed.add(String.valueOf(e));
                out.add(new Problem(at, "enum", describe(v) + " is not one of: " + String.join(", ", allowed)));
            }
        }

        private boolean hasType(JsonNode v) {
            for (String t : types) {
                boolean ok = switch (t) {
                    case "object" -> v.isObject();
                    case "array" -> v.isArray();
                    case "string" -> v.isTextual();
                    case "boolean" -> v.isBoolean();
                    case "null" -> v.isNull();
                    case "number" -> v.isNumber();
                    case "integer" -> isInteger(v);
                    default -> false;
                };
                if (ok) return true;
            }
            return false;
        }

        private String expected() {
            List<String> names = new ArrayList<>();
            for (String t : types) names.add(t.equals("boolean") ? "boolean (true or false)" : t);
            return String.join(" or ", names);
        }

        private boolean isOneOf(JsonNode v) {
            for (Object e : enumValues) {
                if (e instanceof String s ? v.isTextual() && v.textValue().equals(s)
                        : e instanceof Boolean b ? v.isBoolean() && v.booleanValue() == b
                        : e == null ? v.isNull()
                        : v.isNumber() && compare(v, e) == 0) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Draft-06 on: a number with no fractional part is an integer, 2.0 included. */
    static boolean isInteger(JsonNode v) {
        if (v.isIntegralNumber()) return true;
        if (!v.isNumber()) return false;
        double d = v.doubleValue();
        return !Double.isInfinite(d) && d == Math.rint(d);
    }

    /** Compares a JSON number with a schema bound (a Long or BigInteger): exactly for integers. */
    private static int compare(JsonNode v, Object bound) {
        if (v.isIntegralNumber()) {
            if (v.canConvertToLong() && bound instanceof Long b) return Long.compare(v.longValue(), b);
            BigInteger b = bound instanceof BigInteger big ? big : BigInteger.valueOf(((Number) bound).longValue());
            return v.bigIntegerValue().compareTo(b);
        }
        return Double.compare(v.doubleValue(), ((Number) bound).doubleValue());
    }

    /** {@code string "1G"}, {@code integer 5}, {@code object}, {@code array}. */
    static String describe(JsonNode v) {
        if (v == null || v.isNull()) return "null";
        if (v.isTextual()) {
            String t = v.asText();
            if (t.length() > 40) t = t.substring(0, 37) + "...";
            return "string \"" + t.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
        if (v.isIntegralNumber()) return "integer " + v.asText();
        if (v.isNumber()) return "number " + v.asText();
        if (v.isBoolean()) return "boolean " + v.asText();
        if (v.isArray()) return "array";
        return "object";
    }

    // ---- loading ----

    /**
     * Compiles schema objects, each once: a parsed object maps to its Node by identity, so
     * cycles and shared definitions resolve to one Node. No JSON pointers are built here: in
     * the interpreter, where a create runs, string work per keyword cost ~15 ms.
     */
    private static final class Compiler {
        private final Map<String, Map<String, Object>> files = new HashMap<>();
        private final Map<Map<String, Object>, Node> compiled = new IdentityHashMap<>();

        Node compile(String file, String pointer) {
            return compile(file, at(file, pointer));
        }

        private Node compile(String file, Object schema) {
            if (!(schema instanceof Map)) throw bad(file, "a schema object expected, found " + schema);
            @SuppressWarnings("unchecked")
            Map<String, Object> s = (Map<String, Object>) schema;
            Node n = compiled.get(s);
            if (n != null) return n;
            n = new Node();
            compiled.put(s, n);
            fill(n, file, s);
            return n;
        }

        @SuppressWarnings("unchecked")
        private void fill(Node n, String file, Map<String, Object> s) {
            for (Map.Entry<String, Object> e : s.entrySet()) {
                String kw = e.getKey();
                Object v = e.getValue();
                switch (kw) {
                    case "$ref" -> {
                        if (s.size() > 1 + (s.containsKey("description") ? 1 : 0)) {
                            throw bad(file, "keywords beside $ref are ignored in draft-07; nest them (" + v + ")");
                        }
                        n.ref = ref(file, (String) v);
                    }
                    case "type" -> {
                        n.types = new ArrayList<>();
                        if (v instanceof List<?> l) for (Object t : l) n.types.add((String) t);
                        else n.types.add((String) v);
                    }
                    case "properties" -> {
                        n.properties = new HashMap<>();
                        for (Map.Entry<String, Object> p : ((Map<String, Object>) v).entrySet()) {
                            n.properties.put(p.getKey(), compile(file, p.getValue()));
                        }
                    }
                    case "required" -> n.required = List.copyOf((List<String>) v);
                    case "additionalProperties" -> n.additionalProperties = compile(file, v);
                    case "items" -> n.items = compile(file, v);
                    case "enum" -> n.enumValues = new ArrayList<>((List<Object>) v);
                    case "minimum" -> n.minimum = bound(file, v);
                    case "maximum" -> n.maximum = bound(file, v);
                    case "pattern" -> n.pattern = Pattern.compile((String) v);
                    case "minItems" -> n.minItems = (int) (long) (Long) v;
                    case "minLength" -> n.minLength = (int) (long) (Long) v;
                    default -> {
                        if (!ANNOTATIONS.contains(kw)) throw bad(file, "keyword " + kw + " is not supported by jruntime's validator");
                    }
                }
            }
        }

        /** {@code defs.json#/definitions/X}, {@code #/definitions/X} or {@code process-schema.json}, relative to {@code file}. */
        private Node ref(String file, String ref) {
            int hash = ref.indexOf('#');
            String target = hash < 0 ? ref : ref.substring(0, hash);
            String pointer = hash < 0 ? "" : ref.substring(hash + 1);
            String f = target.isEmpty() ? file : target;
            return compile(f, at(f, pointer));
        }

        @SuppressWarnings("unchecked")
        private Object at(String file, String pointer) {
            Object v = file(file);
            if (!pointer.isEmpty()) {
                for (String token : pointer.substring(1).split("/", -1)) {
                    if (token.indexOf('~') >= 0) token = token.replace("~1", "/").replace("~0", "~");
                    v = v instanceof Map<?, ?> m ? m.get(token) : null;
                }
            }
            if (v == null) throw bad(file, "nothing at #" + pointer);
            return v;
        }

        private Map<String, Object> file(String file) {
            Map<String, Object> doc = files.get(file);
            if (doc != null) return doc;
            try {
                doc = SmallJson.parseObject(bytes(file));
            } catch (IOException | SmallJson.ParseException e) {
                throw new IllegalStateException("schema " + file + ": " + e.getMessage(), e);
            }
            files.put(file, doc);
            return doc;
        }

        /**
         * The file from the installed tree ({@code <jruntime.home>/lib/schema}) when there is
         * one, else from the class path (tests, tools). Not the class path first: the first
         * resource read in a fresh JVM opens the jar again through a JarURLConnection, ~8 ms
         * of every create; a plain file read costs a few microseconds.
         */
        private static byte[] bytes(String file) throws IOException {
            String home = System.getProperty("jruntime.home");
            if (home != null) {
                Path installed = Path.of(home, "lib", "schema", file);
                if (Files.isRegularFile(installed)) return Files.readAllBytes(installed);
            }
            try (InputStream in = Schema.class.getResourceAsStream(RESOURCES + file)) {
                if (in == null) throw bad(file, "no such schema file");
                return in.readAllBytes();
            }
        }

        private static Object bound(String file, Object v) {
            if (v instanceof Long || v instanceof BigInteger) return v;
            throw bad(file, "only integer bounds are supported, found " + v);
        }

        private static IllegalStateException bad(String file, String why) {
            return new IllegalStateException("schema " + file + ": " + why);
        }
    }
}

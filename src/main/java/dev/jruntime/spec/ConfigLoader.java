package dev.jruntime.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.serialization.JsonNodeReader;
import dev.jruntime.JrError;
import dev.jruntime.json.SmallJson;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Reads and checks the JSON inputs of jruntime: a bundle's {@code config.json}, the process
 * file of {@code exec --process}, and the LinuxResources of {@code update --resources}.
 *
 * <p>Four steps, each failing with a {@link JrError} that names the file, where and why:
 * <ol>
 *   <li>JSON syntax: {@code config.json: line 3, column 5: …};
 *   <li>JSON Schema (the files under {@code schema/}): {@code config.json: /pointer: rule},
 *       the most specific problems first;
 *   <li>mapping onto the {@link Spec} records ({@link SpecReader}), ignoring unknown properties as the spec requires;
 *   <li>{@link ConfigValidator}: the rules a schema cannot express.
 * </ol>
 *
 * <p>Start-up: this class does nothing when it is loaded. The ObjectMapper and each schema are
 * built on first use (holder classes), so verbs that never read a config (state, kill) pay nothing.
 *
 * <p>The records are filled by {@link SpecReader} (by hand: Jackson's record binding costs ~70 ms
 * of start-up). uint64 fields larger than {@link Long#MAX_VALUE} (e.g. an rlimit of 2^64-1) are held in the
 * {@code Long} as their unsigned bit pattern: read them with {@link Long#compareUnsigned} and
 * {@link Long#toUnsignedString}.
 */
public final class ConfigLoader {
    private ConfigLoader() {}

    /** How many problems one error message lists. */
    static final int MAX_REPORTED = 3;

    private static final String SCHEMA_BASE = "https://jruntime.dev/schema/";

    /**
     * A jackson ObjectMapper configured for configs (uint64 integers), built on first use.
     * Config loading does not use it (see {@link #readTree}); the AOT training builds its sample
     * config with it and tests compare with it.
     */
    public static ObjectMapper mapper() {
        return MapperHolder.MAPPER;
    }

    private static final class MapperHolder {
        static final ObjectMapper MAPPER = JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .addModule(new SimpleModule("jruntime-uint64").addDeserializer(Long.class, new Uint64Deserializer()))
                .build();
    }

    private static final class SchemaHolder {
        static {
            // networknt logs through SLF4J; with no SLF4J provider on the class path, SLF4J prints a
            // three-line warning on stderr, which clients (conmon, containerd) show as our output.
            // Only errors from SLF4J itself remain visible. An explicit -D setting wins.
            if (System.getProperty("slf4j.internal.verbosity") == null) {
                System.setProperty("slf4j.internal.verbosity", "ERROR");
            }
        }

        static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7,
                b -> b.jsonNodeReader(new SmallJsonNodeReader())
                        .schemaMappers(m -> m.mapPrefix(SCHEMA_BASE, "classpath:schema/")));
        static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
                .pathType(PathType.JSON_POINTER)
                .build();

        static JsonSchema load(String file) {
            JsonSchema s = FACTORY.getSchema(SchemaLocation.of(SCHEMA_BASE + file), CONFIG);
            s.initializeValidators();
            return s;
        }
    }

    private static final class ConfigSchema {
        static final JsonSchema SCHEMA = SchemaHolder.load("config-schema.json");
    }

    private static final class ProcessSchema {
        static final JsonSchema SCHEMA = SchemaHolder.load("process-schema.json");
    }

    private static final class ResourcesSchema {
        static final JsonSchema SCHEMA = SchemaHolder.load("resources-schema.json");
    }

    /** Reads, validates and maps {@code bundle/config.json}. */
    public static LoadedConfig load(Path bundle) {
        return parse(read(bundle.resolve("config.json")));
    }

    /**
     * A config.json read, mapped and semantically checked, whose JSON Schema check is still
     * running on a thread of its own. `create` overlaps that check (≈ 100 ms of CPU: networknt
     * builds its validators, an ObjectMapper and BigDecimal on every run) with the work that
     * needs no decision of it (cgroups, spawning jruntime-init, the clone), and calls
     * {@link #awaitSchema} before anything runs that a user could see: the container's setup,
     * hooks, state.json. Schema problems win over every other error, as in {@link #load}.
     */
    public static final class Deferred {
        private final LoadedConfig config;
        private final FutureTask<List<String>> schema;

        private Deferred(LoadedConfig config, FutureTask<List<String>> schema) {
            this.config = config;
            this.schema = schema;
        }

        public LoadedConfig config() {
            return config;
        }

        /** Waits for the schema check; throws its problems as config.json errors. */
        public void awaitSchema() {
            List<String> problems;
            try {
                problems = schema.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw JrError.of("config.json: schema check interrupted");
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof RuntimeException r) throw r;
                throw JrError.of("config.json: schema check failed", c);
            }
            throwIfProblems("config.json", problems);
        }

        /** What to throw when {@code e} happened meanwhile: the schema's problems if any, else e. */
        public RuntimeException orSchemaError(RuntimeException e) {
            try {
                awaitSchema();
            } catch (RuntimeException schemaError) {
                return schemaError;
            }
            return e;
        }
    }

    /** {@link #load} with the schema check left running: see {@link Deferred}. */
    public static Deferred loadDeferred(Path bundle) {
        String name = "config.json";
        byte[] raw = read(bundle.resolve(name));
        JsonNode tree = readTree(name, raw);
        FutureTask<List<String>> schema = new FutureTask<>(new SchemaCheck(tree));
        Thread t = new Thread(schema, "jruntime-schema");
        t.setDaemon(true);
        t.start();
        try {
            return new Deferred(mapAndCheck(name, tree, raw), schema);
        } catch (RuntimeException e) {
            throw new Deferred(null, schema).orSchemaError(e);
        }
    }

    /** The schema check as a named class: a lambda here would be spun at run time. */
    private record SchemaCheck(JsonNode tree) implements Callable<List<String>> {
        @Override
        public List<String> call() {
            return problems(ConfigSchema.SCHEMA, tree);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw JrError.path("read", file, JrError.reason(e));
        }
    }

    private static LoadedConfig mapAndCheck(String name, JsonNode tree, byte[] raw) {
        Spec spec = map(name, tree, SpecReader::spec);
        ConfigValidator.Result r = ConfigValidator.check(spec);
        throwIfErrors(name, r);
        List<String> warnings = new ArrayList<>();
        for (String w : r.warnings()) warnings.add(name + ": " + w);
        return new LoadedConfig(spec, raw, List.copyOf(warnings));
    }

    /** Validates and maps the bytes of a config.json. */
    public static LoadedConfig parse(byte[] raw) {
        String name = "config.json";
        JsonNode tree = readTree(name, raw);
        schemaCheck(name, ConfigSchema.SCHEMA, tree);
        return mapAndCheck(name, tree, raw);
    }

    /**
     * Reads the process file of {@code exec --process}. This form discards the documented
     * warnings (selinuxLabel, commandLine); the CLI should call {@link #loadProcess(Path, List)}
     * and print them.
     */
    public static ProcessSpec loadProcess(Path file) {
        return loadProcess(file, new ArrayList<>());
    }

    /** Reads the process file of {@code exec --process}, adding documented warnings to {@code warnings}. */
    public static ProcessSpec loadProcess(Path file, List<String> warnings) {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        return parseProcess(name, read(file), warnings);
    }

    /** Validates and maps a process object; {@code name} is the file name used in messages. */
    public static ProcessSpec parseProcess(String name, byte[] raw, List<String> warnings) {
        JsonNode tree = readTree(name, raw);
        schemaCheck(name, ProcessSchema.SCHEMA, tree);
        ProcessSpec p = map(name, tree, SpecReader::process);
        ConfigValidator.Result r = ConfigValidator.checkProcess(p, "");
        throwIfErrors(name, r);
        for (String w : r.warnings()) warnings.add(name + ": " + w);
        return p;
    }

    /** Reads the LinuxResources JSON of {@code update --resources} (a file or stdin). */
    public static Resources loadResources(InputStream in) {
        return loadResources("resources", in);
    }

    /** Same, with the name to use in messages (the file name, or "stdin"). */
    public static Resources loadResources(String name, InputStream in) {
        byte[] raw;
        try {
            raw = in.readAllBytes();
        } catch (IOException e) {
            throw JrError.of("read " + name, e);
        }
        JsonNode tree = readTree(name, raw);
        schemaCheck(name, ResourcesSchema.SCHEMA, tree);
        Resources res = map(name, tree, SpecReader::resources);
        throwIfErrors(name, ConfigValidator.checkResources(res, ""));
        return res;
    }

    /**
     * Checks {@code tree} against one of the shipped schemas ({@code "state-schema.json"},
     * {@code "features-schema.json"}, …) and returns its problems as {@code /pointer: rule},
     * most specific first; empty when valid. For tests of what jruntime prints, and for tools.
     */
    public static List<String> schemaProblems(String schemaFile, JsonNode tree) {
        return problems(SchemaHolder.load(schemaFile), tree);
    }

    // ---- steps ----

    /**
     * The document as a jackson tree, read with {@link SmallJson} and built with the node
     * factory: no ObjectMapper (its construction cost ~33 ms of every `create`) and no jackson
     * parser (it initialises BigDecimal, ~14 ms).
     */
    private static JsonNode readTree(String name, byte[] raw) {
        if (raw.length == 0) throw JrError.of(name + ": empty file, a JSON object expected");
        try {
            return tree(SmallJson.parse(raw));
        } catch (SmallJson.ParseException e) {
            throw JrError.of(name + ": " + e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static JsonNode tree(Object v) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (v instanceof Map<?, ?> m) {
            ObjectNode o = f.objectNode();
            for (Map.Entry<String, Object> e : ((Map<String, Object>) m).entrySet()) o.set(e.getKey(), tree(e.getValue()));
            return o;
        }
        if (v instanceof List<?> l) {
            ArrayNode a = f.arrayNode(l.size());
            for (Object x : l) a.add(tree(x));
            return a;
        }
        if (v instanceof String str) return f.textNode(str);
        if (v instanceof Long n) return n == (int) (long) n ? f.numberNode((int) (long) n) : f.numberNode(n);
        if (v instanceof BigInteger n) return f.numberNode(n);
        if (v instanceof Double d) return f.numberNode(d);
        if (v instanceof Boolean b) return f.booleanNode(b);
        return f.nullNode();
    }

    /** networknt reads the schema files through this: the same reader as the configs. */
    private static final class SmallJsonNodeReader implements JsonNodeReader {
        @Override
        public JsonNode readTree(String content, InputFormat format) throws IOException {
            return readTree(new java.io.ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)), format);
        }

        @Override
        public JsonNode readTree(InputStream in, InputFormat format) throws IOException {
            if (format != InputFormat.JSON) throw new IOException("only JSON schemas are read, not " + format);
            try {
                return tree(SmallJson.parse(in.readAllBytes()));
            } catch (SmallJson.ParseException e) {
                throw new IOException("schema: " + e.getMessage());
            }
        }
    }

    private static void schemaCheck(String name, JsonSchema schema, JsonNode tree) {
        throwIfProblems(name, problems(schema, tree));
    }

    private static void throwIfProblems(String name, List<String> problems) {
        if (!problems.isEmpty()) throw JrError.of(name + ": " + summary(problems));
    }

    private static List<String> problems(JsonSchema schema, JsonNode tree) {
        Set<ValidationMessage> messages = schema.validate(tree);
        if (messages.isEmpty()) return List.of();
        List<Problem> problems = new ArrayList<>();
        for (ValidationMessage m : messages) problems.add(problem(m));
        // Most specific first: the deepest pointer is closest to the mistake.
        problems.sort(Comparator.comparingInt(Problem::depth).reversed().thenComparing(Problem::pointer));
        List<String> texts = new ArrayList<>();
        for (Problem p : problems) {
            String t = (p.pointer().isEmpty() ? "/" : p.pointer()) + ": " + p.rule();
            if (!texts.contains(t)) texts.add(t);
        }
        return texts;
    }

    private static <T> T map(String name, JsonNode tree, java.util.function.Function<JsonNode, T> reader) {
        try {
            return reader.apply(tree);
        } catch (SpecReader.WrongType e) {
            // only reachable if the schema and the records disagree
            throw JrError.of(name + ": " + e.getMessage());
        }
    }

    private static void throwIfErrors(String name, ConfigValidator.Result r) {
        throwIfProblems(name, r.errors());
    }

    private static String summary(List<String> problems) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < problems.size() && i < MAX_REPORTED; i++) {
            if (i > 0) sb.append("; ");
            sb.append(problems.get(i));
        }
        if (problems.size() > MAX_REPORTED) sb.append(" (and ").append(problems.size() - MAX_REPORTED).append(" more)");
        return sb.toString();
    }

    // ---- schema messages in jruntime's words ----

    private record Problem(String pointer, int depth, String rule) {}

    private static Problem problem(ValidationMessage m) {
        String pointer = m.getInstanceLocation().toString();
        JsonNode instance = m.getInstanceNode();
        JsonNode schemaValue = m.getSchemaNode();
        String type = m.getType();
        String rule;
        switch (type) {
            case "required" -> {
                pointer = pointer + "/" + ConfigValidator.token(m.getProperty());
                rule = "required field missing";
            }
            case "type" -> rule = expected(schemaValue) + " expected, found " + describe(instance);
            case "enum" -> {
                List<String> allowed = new ArrayList<>();
                if (schemaValue != null) schemaValue.forEach(v -> allowed.add(v.asText()));
                rule = describe(instance) + " is not one of: " + String.join(", ", allowed);
            }
            case "minimum" -> rule = "must be >= " + schemaValue.asText() + ", found " + instance.asText();
            case "maximum" -> rule = "must be <= " + schemaValue.asText() + ", found " + instance.asText();
            case "pattern" -> rule = describe(instance) + " does not match " + schemaValue.asText();
            case "minItems" -> rule = "must have at least " + schemaValue.asText() + " entr" + (schemaValue.asInt() == 1 ? "y" : "ies");
            case "minLength" -> rule = "must not be empty";
            default -> {
                String msg = m.getMessage();
                if (msg.startsWith(pointer + ": ")) msg = msg.substring(pointer.length() + 2);
                rule = msg;
            }
        }
        int depth = pointer.isEmpty() ? 0 : (int) pointer.chars().filter(ch -> ch == '/').count();
        return new Problem(pointer, depth, rule);
    }

    private static String expected(JsonNode typeValue) {
        if (typeValue == null) return "another type";
        if (typeValue.isArray()) {
            List<String> names = new ArrayList<>();
            typeValue.forEach(v -> names.add(articleless(v.asText())));
            return String.join(" or ", names);
        }
        return articleless(typeValue.asText());
    }

    private static String articleless(String jsonType) {
        return jsonType.equals("boolean") ? "boolean (true or false)" : jsonType;
    }

    /** {@code string "1G"}, {@code integer 5}, {@code object}, {@code array}. */
    private static String describe(JsonNode v) {
        if (v == null || v.isNull()) return "null";
        if (v.isTextual()) {
            String t = v.asText();
            if (t.length() > 40) t = t.substring(0, 37) + "...";
            return "string " + quote(t);
        }
        if (v.isIntegralNumber()) return "integer " + v.asText();
        if (v.isNumber()) return "number " + v.asText();
        if (v.isBoolean()) return "boolean " + v.asText();
        if (v.isArray()) return "array";
        return "object";
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /**
     * Reads JSON integers into {@code Long}, accepting the whole uint64 range: values above
     * Long.MAX_VALUE keep their unsigned bit pattern (the schema has already checked ranges).
     */
    private static final class Uint64Deserializer extends StdScalarDeserializer<Long> {
        private static final long serialVersionUID = 1L;
        private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

        Uint64Deserializer() {
            super(Long.class);
        }

        @Override
        public Long deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    BigInteger v = p.getBigIntegerValue();
                    if (v.signum() >= 0 && v.compareTo(TWO_64) < 0) return v.longValue();
                    return (Long) ctxt.handleWeirdNumberValue(Long.class, v, "out of the uint64 range");
                }
                return p.getLongValue();
            }
            return _parseLong(p, ctxt, Long.class);
        }
    }
}

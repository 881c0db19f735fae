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
import dev.jruntime.JrError;
import dev.jruntime.json.SmallJson;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 *   <li>JSON Schema (the files under {@code schema/}, checked by {@link Schema}):
 *       {@code config.json: /pointer: rule}, the most specific problems first;
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

    /**
     * A jackson ObjectMapper configured for configs (uint64 integers), built on first use.
     * Config loading does not use it (see {@link #readTree}); tests build configs and compare
     * with it.
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

    private static final class ConfigSchema {
        static final Schema SCHEMA = Schema.load("config-schema.json");
    }

    private static final class ProcessSchema {
        static final Schema SCHEMA = Schema.load("process-schema.json");
    }

    private static final class ResourcesSchema {
        static final Schema SCHEMA = Schema.load("resources-schema.json");
    }

    /** Reads, validates and maps {@code bundle/config.json}. */
    public static LoadedConfig load(Path bundle) {
        return parse(read(bundle.resolve("config.json")));
    }

    /**
     * A config.json read, mapped and semantically checked, whose JSON Schema check is still
     * running on a thread of its own. `create` overlaps that check (≈ 8 ms of CPU in a cold
     * JVM: {@link Schema} reads and compiles five schema files, mostly interpreted) with the
     * work that needs no decision of it (cgroups, jruntime-init's start, the clone), and calls
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
            return ConfigSchema.SCHEMA.problems(tree);
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
        return Schema.load(schemaFile).problems(tree);
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
        if (v instanceof Double d) return number(f, d);
        if (v instanceof Boolean b) return f.booleanNode(b);
        return f.nullNode();
    }

    /**
     * JSON does not tell 2 from 2.0, and the schema (draft-07) takes both as an integer: an
     * integral number becomes an integer node, so the records read it as one.
     */
    private static JsonNode number(JsonNodeFactory f, double d) {
        if (Double.isInfinite(d) || d != Math.rint(d)) return f.numberNode(d);
        if (Math.abs(d) < 0x1p63) return tree((long) d);
        return f.numberNode(new java.math.BigDecimal(d).toBigInteger()); // rare: keeps BigDecimal off the common path
    }

    private static void schemaCheck(String name, Schema schema, JsonNode tree) {
        throwIfProblems(name, schema.problems(tree));
    }

    private static void throwIfProblems(String name, List<String> problems) {
        if (!problems.isEmpty()) throw JrError.of(name + ": " + summary(problems));
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

package dev.jruntime.spec;

import static dev.jruntime.spec.ConfigFixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * jruntime's own schema checker ({@link Schema}) against networknt's json-schema-validator, a
 * complete draft-07 implementation, on the same schema files: for every document both must
 * find the same problems (instance pointer and keyword). The documents are real configs and
 * thousands of mutations of them: every value replaced by values of every JSON type and by
 * out-of-range numbers, every member removed.
 */
class SchemaOracleTest {
    private static final String BASE = "https://jruntime.dev/schema/";
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7,
            b -> b.schemaMappers(m -> m.mapPrefix(BASE, "classpath:schema/")));
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder().pathType(PathType.JSON_POINTER).build();

    /** Replacement values: every JSON type, integer edges of each schema range, strings an enum or pattern may reject. */
    private static final List<String> REPLACEMENTS = List.of(
            "\"x\"", "\"\"", "\"RLIMIT_NOFILE\"", "\"pid\"", "0", "-1", "1", "1.5", "2.0", "255", "256", "65536",
            "-129", "-2147483649", "4294967296", "9223372036854775808", "18446744073709551616", "-9223372036854775809",
            "true", "null", "[]", "{}", "[\"x\"]", "[1]", "[{}]", "{\"a\": 1}", "{\"a\": \"b\"}");

    @Test
    void agreesWithNetworkntOnConfigsAndTheirMutations() throws IOException {
        List<JsonNode> configs = new ArrayList<>();
        configs.add(ConfigFixtures.defaultTree());
        configs.add(json(SpecReaderTest.EVERYTHING));
        configs.add(json(Files.readString(Path.of("bundles/busybox/config.json"))));
        ObjectNode withSeccomp = ConfigFixtures.defaultTree();
        try (InputStream in = ConfigLoader.class.getResourceAsStream("/dev/jruntime/cli/training-seccomp.json")) {
            ((ObjectNode) withSeccomp.get("linux")).set("seccomp", ConfigLoader.mapper().readTree(in));
        }
        agree("config-schema.json", withSeccomp); // as is: its mutations would be ~15,000 documents alike
        int compared = 0;
        int withProblems = 0;
        for (JsonNode config : configs) {
            for (JsonNode doc : mutations(config)) {
                if (!agree("config-schema.json", doc).isEmpty()) withProblems++;
                compared++;
            }
        }
        // the corpus must be big and mostly wrong, or it tests nothing
        assertTrue(compared > 5000, "compared " + compared);
        assertTrue(withProblems > compared / 2, withProblems + " of " + compared + " had problems");
    }

    @Test
    void agreesOnProcessResourcesStateAndFeaturesFiles() {
        JsonNode config = json(SpecReaderTest.EVERYTHING);
        for (JsonNode doc : mutations(config.get("process"))) agree("process-schema.json", doc);
        for (JsonNode doc : mutations(config.get("linux").get("resources"))) agree("resources-schema.json", doc);
        for (JsonNode doc : mutations(json("""
                {"ociVersion": "1.3.0", "id": "c1", "status": "running", "pid": 4242, "bundle": "/b",
                 "annotations": {"a": "b"}}"""))) {
            agree("state-schema.json", doc);
        }
        for (JsonNode doc : mutations(json("""
                {"ociVersionMin": "1.0.0", "ociVersionMax": "1.3.0", "hooks": ["prestart"], "mountOptions": ["ro"],
                 "linux": {"namespaces": ["pid"], "capabilities": ["CAP_KILL"],
                           "cgroup": {"v1": true, "v2": false, "systemd": false, "systemdUser": false, "rdma": false},
                           "seccomp": {"enabled": true, "actions": ["SCMP_ACT_ALLOW"], "operators": ["SCMP_CMP_EQ"],
                                       "archs": ["SCMP_ARCH_X86_64"], "knownFlags": [], "supportedFlags": []},
                           "apparmor": {"enabled": false}, "selinux": {"enabled": false},
                           "intelRdt": {"enabled": false}, "mountExtensions": {"idmap": {"enabled": true}}},
                 "annotations": {"org.opencontainers.runc.version": "1"}}"""))) {
            agree("features-schema.json", doc);
        }
    }

    @Test
    void aSchemaUsingAKeywordItDoesNotImplementFailsToLoad() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Schema.load("test-unsupported-keyword.json"));
        assertEquals("schema test-unsupported-keyword.json: keyword oneOf is not supported by jruntime's validator", e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> Schema.load("no-such-schema.json"));
        assertEquals("schema no-such-schema.json: no such schema file", e.getMessage());
    }

    @Test
    void problemsAreWordedDeepestFirstWithoutRepeats() {
        List<String> p = Schema.load("config-schema.json").problems(json("""
                {"ociVersion": 1, "process": {"cwd": "/", "user": {"uid": "root", "gid": 0}},
                 "mounts": [{"destination": "/a", "options": [1]}, {"destination": "/b", "options": [1]}]}"""));
        assertEquals(List.of("/mounts/0/options/0: string expected, found integer 1",
                "/mounts/1/options/0: string expected, found integer 1",
                "/process/user/uid: integer expected, found string \"root\"",
                "/ociVersion: string expected, found integer 1"), p);
        assertFalse(p.isEmpty());
    }

    /** Asserts both checkers find the same problems in {@code doc}; returns them. */
    private static List<String> agree(String file, JsonNode doc) {
        TreeSet<String> expected = new TreeSet<>();
        for (ValidationMessage m : networknt(file).validate(doc)) {
            String pointer = m.getInstanceLocation().toString();
            if (m.getType().equals("required")) pointer += "/" + ConfigValidator.token(m.getProperty());
            expected.add(pointer + " " + m.getType());
        }
        TreeSet<String> actual = new TreeSet<>();
        for (Schema.Problem p : OURS.computeIfAbsent(file, Schema::load).validate(doc)) actual.add(p.pointer() + " " + p.keyword());
        assertEquals(expected, actual, () -> file + " on " + doc);
        return new ArrayList<>(actual);
    }

    private static final Map<String, JsonSchema> NETWORKNT = new java.util.HashMap<>();
    private static final Map<String, Schema> OURS = new java.util.HashMap<>();

    private static JsonSchema networknt(String file) {
        return NETWORKNT.computeIfAbsent(file, f -> FACTORY.getSchema(SchemaLocation.of(BASE + f), CONFIG));
    }

    /** {@code doc}, then a copy per (node, replacement) and per removed member. */
    private static List<JsonNode> mutations(JsonNode doc) {
        List<JsonNode> out = new ArrayList<>();
        out.add(doc);
        List<String> pointers = new ArrayList<>();
        walk(doc, "", pointers);
        for (String pointer : pointers) {
            if (pointer.isEmpty()) continue;
            for (String r : REPLACEMENTS) out.add(edit(doc, pointer, (parent, last) -> put(parent, last, json(r))));
            out.add(edit(doc, pointer, SchemaOracleTest::remove));
        }
        return out;
    }

    private static void walk(JsonNode n, String at, List<String> out) {
        out.add(at);
        if (n.isObject()) {
            for (Map.Entry<String, JsonNode> e : n.properties()) walk(e.getValue(), at + "/" + ConfigValidator.token(e.getKey()), out);
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) walk(n.get(i), at + "/" + i, out);
        }
    }

    private static JsonNode edit(JsonNode doc, String pointer, BiConsumer<JsonNode, String> change) {
        JsonNode copy = doc.deepCopy();
        int slash = pointer.lastIndexOf('/');
        change.accept(copy.at(pointer.substring(0, slash)), pointer.substring(slash + 1).replace("~1", "/").replace("~0", "~"));
        return copy;
    }

    private static void put(JsonNode parent, String last, JsonNode value) {
        if (parent instanceof ObjectNode o) o.set(last, value);
        else ((ArrayNode) parent).set(Integer.parseInt(last), value);
    }

    private static void remove(JsonNode parent, String last) {
        if (parent instanceof ObjectNode o) o.remove(last);
        else ((ArrayNode) parent).remove(Integer.parseInt(last));
    }
}

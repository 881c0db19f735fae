package dev.jruntime.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SmallJsonTest {
    private static final ObjectMapper JACKSON = new ObjectMapper();

    /** jackson's tree with every integer as a Long, to compare with SmallJson's. */
    private static Object normalized(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put((String) k, normalized(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(normalized(x)));
            return out;
        }
        if (v instanceof Integer i) return i.longValue();
        return v;
    }

    private static void sameAsJackson(byte[] doc) throws Exception {
        assertEquals(normalized(JACKSON.readValue(doc, Object.class)), SmallJson.parse(doc));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/dev/jruntime/spec/podman-config.json", "/dev/jruntime/spec/ctr-config.json",
            "/seccomp/podman-default.json", "/seccomp/docker-default.json"})
    void readsRealConfigsAsJacksonDoes(String resource) throws Exception {
        try (InputStream in = SmallJsonTest.class.getResourceAsStream(resource)) {
            sameAsJackson(in.readAllBytes());
        }
    }

    @Test
    void readsEveryKindOfValue() throws Exception {
        sameAsJackson("""
                {"s":"a\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00 é", "n":-0, "i":9223372036854775807,
                 "f":-1.5e-3, "e":2E+2, "t":true, "F":false, "z":null,
                 "a":[], "o":{}, "nested":[{"x":[1,[2,{"y":"z"}]]}], "":""}
                """.getBytes(StandardCharsets.UTF_8));
        assertEquals(42L, SmallJson.parse(" \t\r\n42 \n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(new java.math.BigInteger("92233720368547758070"),
                SmallJson.parse("92233720368547758070".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void typedAccessNamesWhereAndWhat() throws Exception {
        Map<String, Object> m = SmallJson.parseObject("{\"pid\":\"x\",\"a\":{\"k\":1},\"l\":[\"s\",2]}".getBytes(StandardCharsets.UTF_8));
        assertEquals("/pid: an integer expected, found \"x\"",
                assertThrows(SmallJson.WrongType.class, () -> SmallJson.integer(m.get("pid"), "/pid")).getMessage());
        assertEquals("/a/k: a string expected, found 1",
                assertThrows(SmallJson.WrongType.class, () -> SmallJson.stringMap(m.get("a"), "/a")).getMessage());
        assertEquals("/l: a string expected, found 2",
                assertThrows(SmallJson.WrongType.class, () -> SmallJson.strings(m.get("l"), "/l")).getMessage());
        assertEquals(0L, SmallJson.integer(m.get("absent"), "/absent"));
        assertEquals(Map.of(), SmallJson.object(null, "/x"));
        assertEquals(null, SmallJson.strings(null, "/x"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "[1,]", "[1 2]", "01", "1.", "-",
            ".5", "1e", "\"abc", "\"\\x\"", "\"\\u12\"", "\"a\u0001\"", "tru", "nul", "{} {}", "{'a':1}", "[1]]"})
    void rejectsMalformedDocuments(String doc) {
        assertThrows(SmallJson.ParseException.class, () -> SmallJson.parse(doc.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void writesWhatJacksonsRuncStylePrinterWrites() throws Exception {
        Map<String, String> ann = new LinkedHashMap<>();
        ann.put("k\"1", "v\n1");
        ann.put("k2", "\u0001");
        SmallJson.Writer small = new SmallJson.Writer(true).beginObject()
                .name("id").value("c1").name("pid").value(42).name("ok").value(true)
                .stringMap("annotations", ann)
                .name("list").beginArray().value("a").beginObject().name("b").value(1).endObject().endArray()
                .endObject();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = Json.pretty(out)) {
            g.writeStartObject();
            g.writeStringField("id", "c1");
            g.writeNumberField("pid", 42);
            g.writeBooleanField("ok", true);
            g.writeObjectFieldStart("annotations");
            for (Map.Entry<String, String> e : ann.entrySet()) g.writeStringField(e.getKey(), e.getValue());
            g.writeEndObject();
            g.writeArrayFieldStart("list");
            g.writeString("a");
            g.writeStartObject();
            g.writeNumberField("b", 1);
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
        }
        assertEquals(out.toString(StandardCharsets.UTF_8), small.toString());
        // an empty object is {} as Go prints it (jackson's printer writes "{ }")
        assertEquals("{\n  \"o\": {}\n}", new SmallJson.Writer(true).beginObject().name("o").beginObject().endObject()
                .endObject().toString());
        assertEquals("{\"a\":[1,\"x\"],\"b\":{}}", new SmallJson.Writer(false).beginObject()
                .name("a").beginArray().value(1).value("x").endArray().name("b").beginObject().endObject()
                .endObject().toString());
    }
}

package dev.jruntime.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** plan.h (what jruntime-init executes) and {@link Opcode} (what the JVM emits) must agree. */
class PlanContractTest {

    private static final Pattern OPCODE = Pattern.compile("OPCODE\\((\\w+),\\s*(\\d+),\\s*\"([a-z]*)\"\\)");

    /** name -> "number signature", from the PLAN_OPCODES table of plan.h */
    private static Map<String, String> fromHeader() throws IOException {
        String header = Files.readString(Path.of("src/main/c/plan.h"));
        int start = header.indexOf("#define PLAN_OPCODES(OPCODE)");
        int end = header.indexOf("enum plan_opcode");
        String table = header.substring(start + "#define PLAN_OPCODES(OPCODE)".length(), end);
        Map<String, String> ops = new TreeMap<>();
        Matcher m = OPCODE.matcher(table);
        while (m.find()) {
            String previous = ops.put(m.group(1), m.group(2) + " " + m.group(3));
            assertEquals(null, previous, "plan.h lists " + m.group(1) + " twice");
        }
        return ops;
    }

    @Test
    void headerTableEqualsOpcodeEnum() throws IOException {
        Map<String, String> header = fromHeader();
        assertFalse(header.isEmpty(), "no OPCODE(...) entries found in plan.h");
        Map<String, String> java = Arrays.stream(Opcode.values())
                .collect(Collectors.toMap(Opcode::name, o -> o.number + " " + o.signature, (a, b) -> a, TreeMap::new));
        StringBuilder diff = new StringBuilder();
        header.forEach((name, v) -> {
            if (!v.equals(java.get(name))) diff.append("\n  plan.h ").append(name).append(' ').append(v)
                    .append(" / Opcode ").append(java.getOrDefault(name, "(missing)"));
        });
        java.forEach((name, v) -> {
            if (!header.containsKey(name)) diff.append("\n  Opcode ").append(name).append(' ').append(v)
                    .append(" / plan.h (missing)");
        });
        assertEquals("", diff.toString(), "plan.h PLAN_OPCODES and dev.jruntime.plan.Opcode differ:");
    }

    @Test
    void numbersAreUnique() throws IOException {
        Map<String, String> byNumber = new TreeMap<>();
        fromHeader().forEach((name, v) -> {
            String number = v.split(" ")[0];
            String previous = byNumber.put(number, name);
            assertEquals(null, previous, "opcode " + number + " used by " + previous + " and " + name);
        });
    }

    @Test
    void signaturesUseOnlyKnownKinds() throws IOException {
        fromHeader().forEach((name, v) -> {
            String sig = v.indexOf(' ') + 1 < v.length() ? v.substring(v.indexOf(' ') + 1) : "";
            assertEquals(sig.replaceAll("[^isva]", ""), sig, name + " has an unknown argument kind");
        });
    }
}

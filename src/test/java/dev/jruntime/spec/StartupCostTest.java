package dev.jruntime.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Start-up behaviour, each in a fresh JVM (every jruntime verb is one). */
class StartupCostTest {

    private static String run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    /** Measured, not asserted: the cost of the first config load in a fresh JVM. */
    @Test
    void firstLoadCost() throws Exception {
        for (int i = 0; i < 3; i++) {
            String out = run(LoadTiming.class.getName(), "timing").strip();
            System.out.println("[StartupCostTest] fresh JVM: " + out);
            assertTrue(out.startsWith("first load "), out);
        }
    }

    /** Loading the spec classes must not pull in Jackson databind or the schema validator. */
    @Test
    void classInitialisationIsLazy() throws Exception {
        String out = run("-Xlog:class+load=info:stdout", LoadTiming.class.getName(), "lazy");
        int end = out.indexOf("INITIALISED");
        assertTrue(end > 0, out);
        String before = out.substring(0, end);
        assertFalse(before.contains("com.networknt."), "networknt loaded at class init");
        assertFalse(before.contains("com.fasterxml.jackson.databind.ObjectMapper "), "ObjectMapper loaded at class init");
    }
}

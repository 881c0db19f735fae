package dev.jruntime.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jruntime.JrError;
import dev.jruntime.spec.Resources.DeviceRule;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceRulesTest {

    private static String line(String access) {
        return DeviceRules.fromConfig(List.of(new DeviceRule(true, "c", 1L, 3L, access))).get(0).line();
    }

    @Test
    void accessIsOneToThreeOfRwmEachOnce() {
        assertEquals("c 1:3 rwm", line(null));
        assertEquals("c 1:3 rwm", line(""));
        assertEquals("c 1:3 r", line("r"));
        assertEquals("c 1:3 mw", line("mw"));
        assertEquals("c 1:3 wmr", line("wmr"));
        for (String bad : List.of("rr", "rwx", "rwmr", "R", " r")) {
            JrError e = assertThrows(JrError.class, () -> line(bad), bad);
            assertEquals("config.json: /linux/resources/devices/0/access: must be a combination of r, w and m, found \"" + bad + "\"",
                    e.getMessage());
        }
    }
}

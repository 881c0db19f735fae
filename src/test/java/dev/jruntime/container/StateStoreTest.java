package dev.jruntime.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jruntime.JrError;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {
    @TempDir
    Path tmp;

    private final State sample = new State("1.3.0", "c1", 1234, "created", "/b", "/b/rootfs",
            "2026-11-23T01:02:03.456Z", Map.of("a", "b"), 99, Map.of("memory", "/sys/fs/cgroup/memory/c1"), true);

    @Test
    void roundTripAndDirectoryRules() throws Exception {
        StateStore s = new StateStore(tmp.resolve("root"));
        Path d = s.createDir("c1");
        assertEquals("rwx--x--x", PosixFilePermissions.toString(Files.getPosixFilePermissions(d)));
        JrError dup = assertThrows(JrError.class, () -> s.createDir("c1"));
        assertTrue(dup.getMessage().contains("already exists"));
        s.save(sample);
        assertEquals(sample, s.load("c1"));
        assertEquals(List.of("c1"), s.ids());
        s.remove("c1");
        assertFalse(Files.exists(d));
        assertTrue(assertThrows(JrError.class, () -> s.load("c1")).getMessage().contains("does not exist"));
    }

    @Test
    void ociOutputHidesTheRuntimesOwnFieldsAndIndentsLikeGo() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StateStore.writeOciState(out, sample, "stopped");
        String text = out.toString();
        assertTrue(text.contains("\"status\": \"stopped\""), text);
        assertTrue(text.contains("\"pid\": 0"), "a stopped container has no pid: " + text);
        assertFalse(text.contains("initStartTime") || text.contains("cgroups"), text);
        assertTrue(text.contains("\"annotations\": {"), text);
    }

    @Test
    void idsAreChecked() {
        for (String bad : List.of("", "..", "a/b", "x y")) {
            assertThrows(JrError.class, () -> StateStore.checkId(bad), bad);
        }
        StateStore.checkId("abc-DEF_1.2+3");
    }
}

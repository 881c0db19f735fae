package dev.jruntime.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jruntime.JrError;
import dev.jruntime.spec.Spec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SavedHooksTest {
    private static final Spec.Hook POSTSTART = new Spec.Hook("/bin/echo", List.of("echo", "a \"quoted\" arg"), List.of("A=1"), 5);
    private static final Spec.Hook POSTSTOP = new Spec.Hook("/bin/true", null, null, null);

    @Test
    void savedHooksReadBackAsTheyWere(@TempDir Path dir) throws IOException {
        SavedHooks.save(dir, new Spec.Hooks(List.of(), List.of(), List.of(), List.of(), List.of(POSTSTART), List.of(POSTSTOP)));
        SavedHooks.Hooks h = SavedHooks.load(dir, "config.json");
        assertEquals(List.of(POSTSTART), h.poststart());
        assertEquals(List.of(POSTSTOP), h.poststop());
    }

    @Test
    void noHooksIsAnEmptyObject(@TempDir Path dir) throws IOException {
        SavedHooks.save(dir, null);
        assertEquals("{}", Files.readString(dir.resolve(SavedHooks.FILE)));
        SavedHooks.Hooks h = SavedHooks.load(dir, "config.json");
        assertTrue(h.poststart().isEmpty() && h.poststop().isEmpty());
    }

    @Test
    void aStateDirOfAnOlderJruntimeIsReadFromItsConfigCopy(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("config.json"),
                "{\"ociVersion\": \"1.3.0\", \"hooks\": {\"poststop\": [{\"path\": \"/bin/true\"}]}}");
        assertEquals(List.of(POSTSTOP), SavedHooks.load(dir, "config.json").poststop());
        assertTrue(SavedHooks.load(dir.resolve("missing"), "config.json").poststart().isEmpty());
    }

    @Test
    void aChangedFileIsAnError(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(SavedHooks.FILE), "{\"poststart\": [{\"path\": 7}]}");
        JrError e = assertThrows(JrError.class, () -> SavedHooks.load(dir, "config.json"));
        assertEquals("read hooks from " + dir.resolve(SavedHooks.FILE) + ": /hooks/poststart/0/path: a string expected, found 7",
                e.getMessage());
    }
}

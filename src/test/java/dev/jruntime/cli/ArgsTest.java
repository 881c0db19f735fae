package dev.jruntime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jruntime.JrError;
import dev.jruntime.sys.Signals;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArgsTest {
    private static final List<Args.Flag> FLAGS = List.of(Args.value("--bundle", "-b"), Args.bool("--detach", "-d"),
            Args.repeated("--env", "-e"));

    @Test
    void bothFormsAndShortNames() {
        Args a = Args.parse(List.of("--bundle=/b", "-d", "-e", "A=1", "--env", "B=2", "id"), FLAGS, "run");
        assertEquals("/b", a.get("bundle"));
        assertTrue(a.has("detach"));
        assertEquals(List.of("A=1", "B=2"), a.all("env"));
        assertEquals("id", a.id("run"));
    }

    @Test
    void optionsEndAtTheFirstPositional() {
        Args a = Args.parse(List.of("-d", "id", "sh", "-c", "exit 7"), FLAGS, "exec");
        assertEquals(List.of("id", "sh", "-c", "exit 7"), a.positionals());
    }

    @Test
    void errorsAreUsageErrors() {
        JrError unknown = assertThrows(JrError.class, () -> Args.parse(List.of("--nope", "id"), FLAGS, "run"));
        assertEquals(2, unknown.exitCode());
        JrError missing = assertThrows(JrError.class, () -> Args.parse(List.of("--bundle"), FLAGS, "run"));
        assertTrue(missing.getMessage().contains("--bundle"));
        JrError noId = assertThrows(JrError.class, () -> Args.parse(List.of(), FLAGS, "start").id("start"));
        assertEquals(2, noId.exitCode());
    }

    @Test
    void signalsByNameOrNumber() {
        assertEquals(15, Signals.parse("TERM"));
        assertEquals(9, Signals.parse("SIGKILL"));
        assertEquals(10, Signals.parse("usr1"));
        assertEquals(9, Signals.parse("9"));
        assertEquals(36, Signals.parse("RTMIN+2"));
        assertThrows(JrError.class, () -> Signals.parse("SIGNOPE"));
        assertThrows(JrError.class, () -> Signals.parse("99"));
    }

    @Test
    void versionHasRuncsShape() {
        String v = Main.versionText();
        assertTrue(v.matches("jruntime version \\S+\ncommit: \\S+\nspec: 1\\.3\\.0\n"), v);
    }
}

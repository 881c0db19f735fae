package dev.jruntime.hooks;

import dev.jruntime.JrError;
import dev.jruntime.json.SmallJson;
import dev.jruntime.spec.Spec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The poststart and poststop hooks of a created container, saved by `create` in its state
 * dir as {@value #FILE}: `start` and `delete` need these and nothing else of the config.
 *
 * <p>Why a file of their own: a saved config.json with a seccomp profile is 20–30 KB, and
 * these verbs run interpreted, where parsing it cost ~6 ms each time. A state dir made by an
 * older jruntime has no {@value #FILE}: its config.json is read instead. The file was written
 * by `create` from a validated config, so a field of the wrong type means it was changed
 * since: an error.
 */
public final class SavedHooks {
    private SavedHooks() {}

    public static final String FILE = "hooks.json";

    public record Hooks(List<Spec.Hook> poststart, List<Spec.Hook> poststop) {}

    /** Writes {@value #FILE} into {@code stateDir} (an empty object when there are no hooks). */
    public static void save(Path stateDir, Spec.Hooks hooks) throws IOException {
        SmallJson.Writer w = new SmallJson.Writer(false).beginObject();
        if (hooks != null) {
            write(w, "poststart", hooks.poststart());
            write(w, "poststop", hooks.poststop());
        }
        Files.writeString(stateDir.resolve(FILE), w.endObject().toString(), StandardCharsets.UTF_8);
    }

    private static void write(SmallJson.Writer w, String phase, List<Spec.Hook> hooks) {
        if (hooks == null || hooks.isEmpty()) return;
        w.name(phase).beginArray();
        for (Spec.Hook h : hooks) {
            w.beginObject().name("path").value(h.path());
            strings(w, "args", h.args());
            strings(w, "env", h.env());
            if (h.timeout() != null) w.name("timeout").value(h.timeout());
            w.endObject();
        }
        w.endArray();
    }

    private static void strings(SmallJson.Writer w, String name, List<String> values) {
        if (values == null) return;
        w.name(name).beginArray();
        for (String v : values) w.value(v);
        w.endArray();
    }

    /** The hooks saved in {@code stateDir}; none when neither file exists. */
    public static Hooks load(Path stateDir, String configCopy) {
        Path saved = stateDir.resolve(FILE);
        Path file = Files.exists(saved) ? saved : stateDir.resolve(configCopy);
        try {
            Map<String, Object> doc = SmallJson.parseObject(Files.readAllBytes(file));
            Map<String, Object> hooks = file == saved ? doc : SmallJson.object(doc.get("hooks"), "/hooks");
            return new Hooks(list(hooks.get("poststart"), "poststart"), list(hooks.get("poststop"), "poststop"));
        } catch (NoSuchFileException e) {
            return new Hooks(List.of(), List.of());
        } catch (IOException | SmallJson.ParseException | SmallJson.WrongType e) {
            throw JrError.of("read hooks from " + file + ": " + e.getMessage());
        }
    }

    private static List<Spec.Hook> list(Object v, String phase) throws SmallJson.WrongType {
        List<Spec.Hook> out = new ArrayList<>();
        if (v == null) return out;
        if (!(v instanceof List<?> l)) throw new SmallJson.WrongType("/hooks/" + phase, "an array", v);
        for (int i = 0; i < l.size(); i++) {
            String at = "/hooks/" + phase + "/" + i;
            Map<String, Object> h = SmallJson.object(l.get(i), at);
            long timeout = SmallJson.integer(h.get("timeout"), at + "/timeout");
            out.add(new Spec.Hook(SmallJson.string(h.get("path"), at + "/path"), SmallJson.strings(h.get("args"), at + "/args"),
                    SmallJson.strings(h.get("env"), at + "/env"), h.get("timeout") == null ? null : (int) timeout));
        }
        return out;
    }
}

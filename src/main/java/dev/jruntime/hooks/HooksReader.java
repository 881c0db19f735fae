package dev.jruntime.hooks;

import dev.jruntime.JrError;
import dev.jruntime.json.SmallJson;
import dev.jruntime.spec.Spec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads only the poststart and poststop hooks from the container's saved config.json:
 * `start` and `delete` need these and nothing else of the config. The config was validated by
 * `create`, so a field of the wrong type here means the file was changed since: an error.
 */
public final class HooksReader {
    private HooksReader() {}

    public record Hooks(List<Spec.Hook> poststart, List<Spec.Hook> poststop) {}

    public static Hooks read(Path config) {
        try {
            Map<String, Object> hooks = SmallJson.object(SmallJson.parseObject(Files.readAllBytes(config)).get("hooks"), "/hooks");
            return new Hooks(list(hooks.get("poststart"), "poststart"), list(hooks.get("poststop"), "poststop"));
        } catch (NoSuchFileException e) {
            return new Hooks(List.of(), List.of());
        } catch (IOException | SmallJson.ParseException | SmallJson.WrongType e) {
            throw JrError.of("read hooks from " + config + ": " + e.getMessage());
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

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
            Map<String, Object> hooks = object(SmallJson.parseObject(Files.readAllBytes(config)).get("hooks"), "hooks");
            return new Hooks(list(hooks.get("poststart"), "poststart"), list(hooks.get("poststop"), "poststop"));
        } catch (NoSuchFileException e) {
            return new Hooks(List.of(), List.of());
        } catch (IOException | SmallJson.ParseException e) {
            throw JrError.of("read hooks from " + config + ": " + e.getMessage());
        }
    }

    private static List<Spec.Hook> list(Object v, String phase) throws IOException {
        List<Spec.Hook> out = new ArrayList<>();
        if (v == null) return out;
        if (!(v instanceof List<?> l)) throw new IOException("/hooks/" + phase + ": an array expected");
        for (int i = 0; i < l.size(); i++) {
            String at = "/hooks/" + phase + "/" + i;
            Map<String, Object> h = object(l.get(i), at);
            Object timeout = h.get("timeout");
            if (timeout != null && !(timeout instanceof Long)) throw new IOException(at + "/timeout: an integer expected");
            out.add(new Spec.Hook(string(h.get("path"), at + "/path"), strings(h.get("args"), at + "/args"),
                    strings(h.get("env"), at + "/env"), timeout == null ? null : ((Long) timeout).intValue()));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object v, String at) throws IOException {
        if (v == null) return Map.of();
        if (v instanceof Map) return (Map<String, Object>) v;
        throw new IOException(at + ": an object expected");
    }

    private static String string(Object v, String at) throws IOException {
        if (v == null || v instanceof String) return (String) v;
        throw new IOException(at + ": a string expected");
    }

    private static List<String> strings(Object v, String at) throws IOException {
        if (v == null) return null;
        if (!(v instanceof List<?> l)) throw new IOException(at + ": an array expected");
        List<String> out = new ArrayList<>(l.size());
        for (Object o : l) out.add(string(o, at));
        return out;
    }
}

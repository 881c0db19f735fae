package dev.jruntime.hooks;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.jruntime.JrError;
import dev.jruntime.json.Json;
import dev.jruntime.spec.Spec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads only the poststart and poststop hooks from the container's saved config.json, with
 * jackson-core streaming: `start` and `delete` need these and nothing else of the config.
 */
public final class HooksReader {
    private HooksReader() {}

    public record Hooks(List<Spec.Hook> poststart, List<Spec.Hook> poststop) {}

    public static Hooks read(Path config) {
        List<Spec.Hook> poststart = new ArrayList<>(), poststop = new ArrayList<>();
        try (JsonParser p = Json.FACTORY.createParser(Files.readAllBytes(config))) {
            if (p.nextToken() != JsonToken.START_OBJECT) return new Hooks(poststart, poststop);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (!name.equals("hooks") || p.currentToken() != JsonToken.START_OBJECT) {
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String phase = p.currentName();
                    p.nextToken();
                    switch (phase) {
                        case "poststart" -> readList(p, poststart);
                        case "poststop" -> readList(p, poststop);
                        default -> p.skipChildren();
                    }
                }
            }
        } catch (NoSuchFileException e) {
            return new Hooks(poststart, poststop);
        } catch (IOException e) {
            throw JrError.of("read hooks from " + config, e);
        }
        return new Hooks(poststart, poststop);
    }

    private static void readList(JsonParser p, List<Spec.Hook> out) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.START_OBJECT) {
            String path = null;
            List<String> args = null, env = null;
            Integer timeout = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                p.nextToken();
                switch (f) {
                    case "path" -> path = p.getText();
                    case "args" -> args = strings(p);
                    case "env" -> env = strings(p);
                    case "timeout" -> timeout = p.getIntValue();
                    default -> p.skipChildren();
                }
            }
            out.add(new Spec.Hook(path, args, env, timeout));
        }
    }

    private static List<String> strings(JsonParser p) throws IOException {
        List<String> l = new ArrayList<>();
        if (p.currentToken() != JsonToken.START_ARRAY) {
            p.skipChildren();
            return l;
        }
        while (p.nextToken() != JsonToken.END_ARRAY) l.add(p.getText());
        return l;
    }
}

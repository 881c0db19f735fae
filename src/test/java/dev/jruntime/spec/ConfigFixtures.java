package dev.jruntime.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Builds test configs: the default config with one change at a JSON pointer. */
final class ConfigFixtures {
    private ConfigFixtures() {}

    static ObjectNode defaultTree() {
        try {
            return (ObjectNode) ConfigLoader.mapper().readTree(DefaultConfig.text());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(JsonNode tree) {
        try {
            return ConfigLoader.mapper().writeValueAsBytes(tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String text) {
        try {
            return ConfigLoader.mapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The default config with {@code value} (JSON text) at {@code pointer}; parents are created. */
    static byte[] with(String pointer, String value) {
        ObjectNode root = defaultTree();
        set(root, pointer, json(value));
        return bytes(root);
    }

    /** The default config without the member at {@code pointer}. */
    static byte[] without(String pointer) {
        ObjectNode root = defaultTree();
        int slash = pointer.lastIndexOf('/');
        JsonNode parent = root.at(pointer.substring(0, slash));
        String last = pointer.substring(slash + 1);
        if (parent instanceof ObjectNode o) o.remove(last);
        else ((ArrayNode) parent).remove(Integer.parseInt(last));
        return bytes(root);
    }

    static void set(ObjectNode root, String pointer, JsonNode value) {
        String[] parts = pointer.substring(1).split("/");
        JsonNode cur = root;
        for (int i = 0; i < parts.length - 1; i++) {
            String p = parts[i].replace("~1", "/").replace("~0", "~");
            JsonNode next = cur instanceof ArrayNode a ? a.get(Integer.parseInt(p)) : cur.get(p);
            if (next == null) {
                next = ((ObjectNode) cur).putObject(p);
            }
            cur = next;
        }
        String last = parts[parts.length - 1].replace("~1", "/").replace("~0", "~");
        if (cur instanceof ArrayNode a) {
            int idx = Integer.parseInt(last);
            if (idx == a.size()) a.add(value);
            else a.set(idx, value);
        } else {
            ((ObjectNode) cur).set(last, value);
        }
    }

    static byte[] resource(String name) {
        try (InputStream in = ConfigFixtures.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("no test resource " + name);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

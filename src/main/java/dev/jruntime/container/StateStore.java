package dev.jruntime.container;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.jruntime.JrError;
import dev.jruntime.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The state directory: {@code <root>/<id>/} holds state.json (written atomically), the
 * exec.fifo while the container is created, a copy of its config.json, and a lock file
 * that every verb on the container holds while it works.
 */
public final class StateStore {
    private static final Pattern VALID_ID = Pattern.compile("[A-Za-z0-9_+\\-.]+");

    public static final String STATE_FILE = "state.json";
    public static final String FIFO = "exec.fifo";
    public static final String CONFIG_COPY = "config.json";
    private static final String LOCK_FILE = "lock";

    private final Path root;

    public StateStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    public static void checkId(String id) {
        if (id == null || id.isEmpty()) throw JrError.usage("container id cannot be empty");
        if (!VALID_ID.matcher(id).matches() || id.equals(".") || id.equals("..")) {
            throw JrError.of("invalid container id \"" + id + "\": only letters, digits and _ + - . are allowed");
        }
    }

    public Path dir(String id) {
        checkId(id);
        return root.resolve(id);
    }

    public boolean exists(String id) {
        return Files.isDirectory(dir(id));
    }

    /**
     * Creates the state directory of a new container (mode 0711 so that the container's
     * user, whatever its uid, can reach exec.fifo through it, as runc does).
     */
    public Path createDir(String id) {
        Path d = dir(id);
        try {
            Files.createDirectories(root, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
            Files.createDirectory(d);
            Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwx--x--x"));
            return d;
        } catch (FileAlreadyExistsException e) {
            throw JrError.of("container with id " + id + " already exists");
        } catch (IOException e) {
            throw JrError.of("create state directory " + d, e);
        }
    }

    /** Takes the container's lock; held until the returned lock is closed (or the JVM exits). */
    public FileLock lock(String id) {
        Path f = dir(id).resolve(LOCK_FILE);
        try {
            FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            return ch.lock();
        } catch (NoSuchFileException e) {
            throw doesNotExist(id);
        } catch (IOException e) {
            throw JrError.of("lock " + f, e);
        }
    }

    public static JrError doesNotExist(String id) {
        return JrError.of("container \"" + id + "\" does not exist");
    }

    public State load(String id) {
        Path f = dir(id).resolve(STATE_FILE);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(f);
        } catch (NoSuchFileException e) {
            throw doesNotExist(id);
        } catch (IOException e) {
            throw JrError.of("read " + f, e);
        }
        try {
            return parse(bytes);
        } catch (IOException | RuntimeException e) {
            throw JrError.of("corrupt state file " + f, e);
        }
    }

    public void save(State s) {
        Path d = dir(s.id());
        Path tmp = d.resolve(STATE_FILE + ".tmp");
        try {
            Files.write(tmp, serialize(s));
            try {
                Files.move(tmp, d.resolve(STATE_FILE), StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, d.resolve(STATE_FILE), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw JrError.of("write " + d.resolve(STATE_FILE), e);
        }
    }

    /** Ids of every container under the root, sorted. */
    public List<String> ids() {
        if (!Files.isDirectory(root)) return List.of();
        try (Stream<Path> s = Files.list(root)) {
            List<String> out = new ArrayList<>();
            s.filter(p -> Files.isRegularFile(p.resolve(STATE_FILE)))
             .forEach(p -> out.add(p.getFileName().toString()));
            out.sort(null);
            return out;
        } catch (IOException e) {
            throw JrError.of("list " + root, e);
        }
    }

    /** Removes a container's state directory and everything in it. */
    public void remove(String id) {
        Path d = dir(id);
        try (Stream<Path> s = Files.list(d)) {
            for (Path p : (Iterable<Path>) s::iterator) Files.deleteIfExists(p);
            Files.deleteIfExists(d);
        } catch (NoSuchFileException e) {
            // already gone
        } catch (IOException e) {
            throw JrError.of("remove " + d, e);
        }
    }

    // --- format -------------------------------------------------------------------------

    static byte[] serialize(State s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = Json.compact(out)) {
            g.writeStartObject();
            writeOci(g, s, s.status());
            g.writeObjectFieldStart("jruntime");
            g.writeNumberField("initStartTime", s.initStartTime());
            g.writeBooleanField("ownPidNamespace", s.ownPidNamespace());
            writeMap(g, "cgroups", s.cgroups());
            g.writeEndObject();
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    /** The OCI state object with the given (derived) status, as `state` prints it. */
    public static void writeOciState(OutputStream out, State s, String status) throws IOException {
        try (JsonGenerator g = Json.pretty(out)) {
            g.writeStartObject();
            writeOci(g, s, status);
            g.writeEndObject();
        }
    }

    /** The OCI state as compact JSON, for hooks' stdin. */
    public static String ociJson(State s, String status) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = Json.compact(out)) {
            g.writeStartObject();
            writeOci(g, s, status);
            g.writeEndObject();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void writeOci(JsonGenerator g, State s, String status) throws IOException {
        g.writeStringField("ociVersion", s.ociVersion());
        g.writeStringField("id", s.id());
        g.writeNumberField("pid", "stopped".equals(status) ? 0 : s.pid());
        g.writeStringField("status", status);
        g.writeStringField("bundle", s.bundle());
        g.writeStringField("rootfs", s.rootfs());
        g.writeStringField("created", s.created());
        if (s.annotations() != null && !s.annotations().isEmpty()) writeMap(g, "annotations", s.annotations());
    }

    private static void writeMap(JsonGenerator g, String name, Map<String, String> m) throws IOException {
        g.writeObjectFieldStart(name);
        for (Map.Entry<String, String> e : m.entrySet()) g.writeStringField(e.getKey(), e.getValue());
        g.writeEndObject();
    }

    static State parse(byte[] bytes) throws IOException {
        String ociVersion = null, id = null, status = null, bundle = null, rootfs = null, created = null;
        long pid = 0, start = 0;
        boolean ownPid = false;
        Map<String, String> annotations = Map.of(), cgroups = Map.of();
        try (JsonParser p = Json.FACTORY.createParser(bytes)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "ociVersion" -> ociVersion = p.getText();
                    case "id" -> id = p.getText();
                    case "pid" -> pid = p.getLongValue();
                    case "status" -> status = p.getText();
                    case "bundle" -> bundle = p.getText();
                    case "rootfs" -> rootfs = p.getText();
                    case "created" -> created = p.getText();
                    case "annotations" -> annotations = readMap(p);
                    case "jruntime" -> {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String n = p.currentName();
                            p.nextToken();
                            switch (n) {
                                case "initStartTime" -> start = p.getLongValue();
                                case "ownPidNamespace" -> ownPid = p.getBooleanValue();
                                case "cgroups" -> cgroups = readMap(p);
                                default -> p.skipChildren();
                            }
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        }
        return new State(ociVersion, id, pid, status, bundle, rootfs, created, annotations, start, cgroups, ownPid);
    }

    private static Map<String, String> readMap(JsonParser p) throws IOException {
        expect(p.currentToken(), JsonToken.START_OBJECT);
        Map<String, String> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String k = p.currentName();
            p.nextToken();
            m.put(k, p.getText());
        }
        return m;
    }

    private static void expect(JsonToken got, JsonToken want) throws IOException {
        if (got != want) throw new IOException("expected " + want + ", found " + got);
    }
}

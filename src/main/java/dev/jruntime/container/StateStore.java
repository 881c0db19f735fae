package dev.jruntime.container;

import dev.jruntime.JrError;
import dev.jruntime.json.SmallJson;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
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

    static byte[] serialize(State s) {
        SmallJson.Writer w = new SmallJson.Writer(false).beginObject();
        writeOci(w, s, s.status());
        w.name("jruntime").beginObject()
                .name("initStartTime").value(s.initStartTime())
                .name("ownPidNamespace").value(s.ownPidNamespace())
                .stringMap("cgroups", s.cgroups())
                .endObject();
        return w.endObject().toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The OCI state object with the given (derived) status, as `state` prints it. */
    public static void writeOciState(OutputStream out, State s, String status) throws IOException {
        SmallJson.Writer w = new SmallJson.Writer(true).beginObject();
        writeOci(w, s, status);
        out.write(w.endObject().toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The OCI state as compact JSON, for hooks' stdin. */
    public static String ociJson(State s, String status) {
        SmallJson.Writer w = new SmallJson.Writer(false).beginObject();
        writeOci(w, s, status);
        return w.endObject().toString();
    }

    private static void writeOci(SmallJson.Writer w, State s, String status) {
        w.name("ociVersion").value(s.ociVersion())
                .name("id").value(s.id())
                .name("pid").value("stopped".equals(status) ? 0 : s.pid())
                .name("status").value(status)
                .name("bundle").value(s.bundle())
                .name("rootfs").value(s.rootfs())
                .name("created").value(s.created());
        if (s.annotations() != null && !s.annotations().isEmpty()) w.stringMap("annotations", s.annotations());
    }

    static State parse(byte[] bytes) throws IOException {
        try {
            Map<String, Object> m = SmallJson.parseObject(bytes);
            Map<String, Object> own = SmallJson.object(m.get("jruntime"), "/jruntime");
            return new State(SmallJson.string(m.get("ociVersion"), "/ociVersion"), SmallJson.string(m.get("id"), "/id"),
                    SmallJson.integer(m.get("pid"), "/pid"), SmallJson.string(m.get("status"), "/status"),
                    SmallJson.string(m.get("bundle"), "/bundle"), SmallJson.string(m.get("rootfs"), "/rootfs"),
                    SmallJson.string(m.get("created"), "/created"),
                    SmallJson.stringMap(m.get("annotations"), "/annotations"),
                    SmallJson.integer(own.get("initStartTime"), "/jruntime/initStartTime"),
                    SmallJson.stringMap(own.get("cgroups"), "/jruntime/cgroups"),
                    Boolean.TRUE.equals(own.get("ownPidNamespace")));
        } catch (SmallJson.ParseException | SmallJson.WrongType e) {
            throw new IOException(e.getMessage());
        }
    }
}

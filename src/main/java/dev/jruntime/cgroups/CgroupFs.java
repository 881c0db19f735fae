package dev.jruntime.cgroups;

import dev.jruntime.JrError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * The few file-system operations the cgroup managers perform, in one place.
 *
 * <p>On a real cgroupfs, {@code mkdir} makes the kernel populate the new directory with its
 * control files and {@code rmdir} removes a cgroup together with them. A plain temp
 * directory does neither, so unit tests substitute a subclass that imitates the kernel
 * (see the fake tree in the tests). Writes never create files: a control file that does not
 * exist means the kernel does not offer that knob here, which callers must report.
 */
class CgroupFs {
    static final CgroupFs REAL = new CgroupFs();

    /** Creates one directory (not its parents); false if it already existed. */
    boolean mkdir(Path dir) throws IOException {
        try {
            Files.createDirectory(dir);
            return true;
        } catch (java.nio.file.FileAlreadyExistsException e) {
            return false;
        }
    }

    /** Removes one cgroup directory (rmdir(2)). */
    void rmdir(Path dir) throws IOException {
        Files.delete(dir);
    }

    /** One write(2) of {@code value} to an existing control file. */
    void write(Path file, String value) throws IOException {
        Files.writeString(file, value, StandardCharsets.UTF_8, StandardOpenOption.WRITE);
    }

    String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    boolean exists(Path file) {
        return Files.exists(file);
    }

    /** cgroup v2 device control: compiles and attaches the eBPF program (see {@link DeviceFilter}). */
    void attachDeviceFilter(Path dir, java.util.List<DeviceRules.Rule> rules) {
        DeviceFilter.attach(dir, rules);
    }

    // ---- helpers shared by both managers ----

    /** Reads a control file, trimmed; a clear error naming the file when it cannot be read. */
    String readTrimmed(Path file) {
        try {
            return read(file).trim();
        } catch (IOException e) {
            throw JrError.path("read", file, why(e));
        }
    }

    /** Reads a control file holding one number ("max" → -1); -1 also when the file is absent. */
    long readLong(Path file) {
        if (!exists(file)) return -1;
        String s = readTrimmed(file);
        if (s.isEmpty() || s.equals("max")) return -1;
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            // unsigned 64-bit values such as 9223372036854771712 fit; larger ones are "unlimited"
            return Long.MAX_VALUE;
        }
    }

    /**
     * Writes {@code value} to {@code dir/name} for the config field {@code field}; failures say
     * which field, which value, which file and the kernel's reason.
     */
    void set(Path dir, String name, String value, String field) {
        Path file = dir.resolve(name);
        try {
            write(file, value);
        } catch (NoSuchFileException e) {
            throw JrError.of(field + ": cannot set " + value + ": " + file
                    + " does not exist (the kernel does not offer this setting here)");
        } catch (IOException e) {
            throw JrError.of(field + ": cannot set " + value + " in " + file + ": " + why(e));
        }
    }

    static String why(IOException e) {
        String r = JrError.reason(e);
        return r.toLowerCase(Locale.ROOT);
    }
}

package dev.jruntime.cgroups;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A cgroupfs imitation over a temp dir: mkdir populates the new cgroup with the parent's
 * control files (values copied, except those the kernel starts empty), rmdir removes them,
 * and every write is logged so tests can check values and order.
 */
class FakeCgroupFs extends CgroupFs {
    final List<String> writes = new ArrayList<>();
    /** file name → error message the next writes to it fail with (imitating the kernel). */
    final Map<String, String> failing = new java.util.HashMap<>();

    static final List<String> START_EMPTY = List.of("cpuset.cpus", "cpuset.mems", "cgroup.procs", "tasks",
            "cgroup.subtree_control", "devices.list");

    @Override
    boolean mkdir(Path dir) throws IOException {
        if (Files.exists(dir)) return false;
        Files.createDirectory(dir);
        try (Stream<Path> s = Files.list(dir.getParent())) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                String name = f.getFileName().toString();
                Files.writeString(dir.resolve(name), START_EMPTY.contains(name) ? "" : Files.readString(f));
            }
        }
        return true;
    }

    @Override
    void rmdir(Path dir) throws IOException {
        if (!Files.exists(dir)) throw new java.nio.file.NoSuchFileException(dir.toString());
        try (Stream<Path> s = Files.list(dir)) {
            if (s.anyMatch(Files::isDirectory)) throw new java.nio.file.DirectoryNotEmptyException(dir.toString());
        }
        if (!Files.readString(dir.resolve("cgroup.procs")).isBlank()) {
            throw new java.nio.file.FileSystemException(dir.toString(), null, "Device or resource busy");
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.toList()) Files.delete(f);
        }
        Files.delete(dir);
    }

    @Override
    void write(Path file, String value) throws IOException {
        String name = file.getFileName().toString();
        writes.add(file.getParent().getFileName() + "/" + name + "=" + value);
        if (failing.containsKey(name)) throw new IOException(failing.get(name));
        if (!Files.exists(file)) throw new java.nio.file.NoSuchFileException(file.toString());
        // append for files the kernel treats as lists, replace otherwise
        if (name.startsWith("devices.") || name.equals("cgroup.procs") || name.equals("io.max")
                || name.contains("_device") || name.equals("rdma.max") || name.equals("cgroup.subtree_control")) {
            String old = Files.readString(file);
            String v = name.equals("cgroup.subtree_control") ? value.replace("+", "") : value;
            Files.writeString(file, old + v + "\n");
        } else {
            Files.writeString(file, value + "\n");
        }
    }

    /** The device rules attached per cgroup (v2), instead of loading eBPF into a temp dir. */
    final Map<Path, List<DeviceRules.Rule>> deviceFilters = new java.util.HashMap<>();

    @Override
    void attachDeviceFilter(Path dir, List<DeviceRules.Rule> rules) {
        deviceFilters.put(dir, rules);
    }

    /** The writes to files named {@code name}, in order, as "dir/file=value". */
    List<String> writesTo(String name) {
        return writes.stream().filter(w -> w.substring(0, w.indexOf('=')).endsWith("/" + name)).toList();
    }
}

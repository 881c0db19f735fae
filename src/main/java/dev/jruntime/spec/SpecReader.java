package dev.jruntime.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Maps a schema-checked JSON tree onto the spec records, by hand.
 *
 * <p>Why not Jackson databind: building its record deserializers by reflection costs ~70 ms in
 * a fresh JVM even with the AOT cache, on every {@code create}; this costs about 1 ms. The
 * schema has already checked every type, so this class only copies values. Unknown properties
 * are ignored, as the spec requires. {@code SpecReaderTest} checks that the result equals what
 * Jackson databind produces from the same tree, so a field missed here fails a test.
 *
 * <p>uint64 values above {@link Long#MAX_VALUE} keep their unsigned bit pattern.
 */
final class SpecReader {
    private SpecReader() {}

    /** A value of the wrong JSON type: the schema should have caught it first. */
    static final class WrongType extends RuntimeException {
        private static final long serialVersionUID = 1L;

        WrongType(String field, String expected, JsonNode found) {
            super(field + ": " + expected + " expected, found " + found.getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
        }
    }

    // ---- config.json ----

    static Spec spec(JsonNode n) {
        return new Spec(
                str(n, "ociVersion"),
                obj(n, "process", SpecReader::process),
                obj(n, "root", r -> new Spec.Root(str(r, "path"), bool(r, "readonly"))),
                str(n, "hostname"),
                str(n, "domainname"),
                list(n, "mounts", SpecReader::mount),
                obj(n, "hooks", SpecReader::hooks),
                map(n, "annotations", SpecReader::text),
                obj(n, "linux", SpecReader::linux),
                raw(n, "solaris"),
                raw(n, "windows"),
                raw(n, "vm"),
                raw(n, "zos"));
    }

    private static Spec.Mount mount(JsonNode m) {
        return new Spec.Mount(str(m, "destination"), str(m, "source"), strings(m, "options"), str(m, "type"),
                list(m, "uidMappings", SpecReader::idMapping), list(m, "gidMappings", SpecReader::idMapping));
    }

    private static Spec.Hooks hooks(JsonNode h) {
        return new Spec.Hooks(
                list(h, "prestart", SpecReader::hook),
                list(h, "createRuntime", SpecReader::hook),
                list(h, "createContainer", SpecReader::hook),
                list(h, "startContainer", SpecReader::hook),
                list(h, "poststart", SpecReader::hook),
                list(h, "poststop", SpecReader::hook));
    }

    private static Spec.Hook hook(JsonNode h) {
        return new Spec.Hook(str(h, "path"), strings(h, "args"), strings(h, "env"), integer(h, "timeout"));
    }

    // ---- process ----

    static ProcessSpec process(JsonNode p) {
        return new ProcessSpec(
                bool(p, "terminal"),
                obj(p, "consoleSize", c -> new ProcessSpec.ConsoleSize(lng(c, "height"), lng(c, "width"))),
                str(p, "cwd"),
                strings(p, "env"),
                strings(p, "args"),
                str(p, "commandLine"),
                list(p, "rlimits", r -> new ProcessSpec.Rlimit(str(r, "type"), lng(r, "soft"), lng(r, "hard"))),
                str(p, "apparmorProfile"),
                obj(p, "capabilities", c -> new ProcessSpec.Capabilities(strings(c, "bounding"), strings(c, "effective"),
                        strings(c, "inheritable"), strings(c, "permitted"), strings(c, "ambient"))),
                bool(p, "noNewPrivileges"),
                integer(p, "oomScoreAdj"),
                obj(p, "scheduler", s -> new ProcessSpec.Scheduler(str(s, "policy"), integer(s, "nice"),
                        integer(s, "priority"), strings(s, "flags"), lng(s, "runtime"), lng(s, "deadline"), lng(s, "period"))),
                str(p, "selinuxLabel"),
                obj(p, "ioPriority", i -> new ProcessSpec.IoPriority(str(i, "class"), integer(i, "priority"))),
                obj(p, "execCPUAffinity", a -> new ProcessSpec.CpuAffinity(str(a, "initial"), str(a, "final"))),
                obj(p, "user", u -> new ProcessSpec.User(lng(u, "uid"), lng(u, "gid"), lng(u, "umask"),
                        list(u, "additionalGids", SpecReader::longValue), str(u, "username"))));
    }

    // ---- linux ----

    private static LinuxSpec linux(JsonNode l) {
        return new LinuxSpec(
                list(l, "namespaces", n -> new LinuxSpec.Namespace(str(n, "type"), str(n, "path"))),
                list(l, "uidMappings", SpecReader::idMapping),
                list(l, "gidMappings", SpecReader::idMapping),
                map(l, "timeOffsets", t -> new LinuxSpec.TimeOffset(lng(t, "secs"), lng(t, "nanosecs"))),
                list(l, "devices", d -> new LinuxSpec.Device(str(d, "type"), str(d, "path"), lng(d, "major"),
                        lng(d, "minor"), lng(d, "fileMode"), lng(d, "uid"), lng(d, "gid"))),
                map(l, "netDevices", d -> new LinuxSpec.NetDevice(str(d, "name"))),
                str(l, "cgroupsPath"),
                obj(l, "resources", SpecReader::resources),
                str(l, "rootfsPropagation"),
                obj(l, "seccomp", SpecReader::seccomp),
                map(l, "sysctl", SpecReader::text),
                strings(l, "maskedPaths"),
                strings(l, "readonlyPaths"),
                str(l, "mountLabel"),
                obj(l, "intelRdt", r -> new LinuxSpec.IntelRdt(str(r, "closID"), str(r, "l3CacheSchema"),
                        str(r, "memBwSchema"), strings(r, "schemata"), bool(r, "enableMonitoring"), bool(r, "enableCMT"),
                        bool(r, "enableMBM"))),
                obj(l, "memoryPolicy", m -> new LinuxSpec.MemoryPolicy(str(m, "mode"), str(m, "nodes"), strings(m, "flags"))),
                obj(l, "personality", p -> new LinuxSpec.Personality(str(p, "domain"), strings(p, "flags"))));
    }

    private static LinuxSpec.IdMapping idMapping(JsonNode m) {
        return new LinuxSpec.IdMapping(lng(m, "containerID"), lng(m, "hostID"), lng(m, "size"));
    }

    private static LinuxSpec.Seccomp seccomp(JsonNode s) {
        return new LinuxSpec.Seccomp(
                str(s, "defaultAction"),
                lng(s, "defaultErrnoRet"),
                strings(s, "architectures"),
                strings(s, "flags"),
                str(s, "listenerPath"),
                str(s, "listenerMetadata"),
                list(s, "syscalls", c -> new LinuxSpec.Syscall(strings(c, "names"), str(c, "action"), lng(c, "errnoRet"),
                        list(c, "args", a -> new LinuxSpec.SyscallArg(lng(a, "index"), lng(a, "value"),
                                lng(a, "valueTwo"), str(a, "op"))))));
    }

    // ---- linux.resources ----

    static Resources resources(JsonNode r) {
        return new Resources(
                list(r, "devices", d -> new Resources.DeviceRule(bool(d, "allow"), str(d, "type"), lng(d, "major"),
                        lng(d, "minor"), str(d, "access"))),
                obj(r, "memory", m -> new Resources.Memory(lng(m, "limit"), lng(m, "reservation"), lng(m, "swap"),
                        lng(m, "kernel"), lng(m, "kernelTCP"), lng(m, "swappiness"), bool(m, "disableOOMKiller"),
                        bool(m, "useHierarchy"), bool(m, "checkBeforeUpdate"))),
                obj(r, "cpu", c -> new Resources.Cpu(lng(c, "shares"), lng(c, "quota"), lng(c, "burst"), lng(c, "period"),
                        lng(c, "realtimeRuntime"), lng(c, "realtimePeriod"), str(c, "cpus"), str(c, "mems"), lng(c, "idle"))),
                obj(r, "pids", p -> new Resources.Pids(lng(p, "limit"))),
                obj(r, "blockIO", b -> new Resources.BlockIO(integer(b, "weight"), integer(b, "leafWeight"),
                        list(b, "weightDevice", w -> new Resources.WeightDevice(lng(w, "major"), lng(w, "minor"),
                                integer(w, "weight"), integer(w, "leafWeight"))),
                        list(b, "throttleReadBpsDevice", SpecReader::throttle),
                        list(b, "throttleWriteBpsDevice", SpecReader::throttle),
                        list(b, "throttleReadIOPSDevice", SpecReader::throttle),
                        list(b, "throttleWriteIOPSDevice", SpecReader::throttle))),
                list(r, "hugepageLimits", h -> new Resources.HugepageLimit(str(h, "pageSize"), lng(h, "limit"))),
                obj(r, "network", n -> new Resources.Network(lng(n, "classID"),
                        list(n, "priorities", p -> new Resources.InterfacePriority(str(p, "name"), lng(p, "priority"))))),
                map(r, "rdma", d -> new Resources.Rdma(lng(d, "hcaHandles"), lng(d, "hcaObjects"))),
                map(r, "unified", SpecReader::text));
    }

    private static Resources.ThrottleDevice throttle(JsonNode t) {
        return new Resources.ThrottleDevice(lng(t, "major"), lng(t, "minor"), lng(t, "rate"));
    }

    // ---- helpers: absent or JSON null → null ----

    private static JsonNode field(JsonNode o, String name) {
        JsonNode v = o.get(name);
        return v == null || v.isNull() ? null : v;
    }

    private static String str(JsonNode o, String name) {
        JsonNode v = field(o, name);
        return v == null ? null : text(v, name);
    }

    private static String text(JsonNode v) {
        return text(v, "value");
    }

    private static String text(JsonNode v, String name) {
        if (!v.isTextual()) throw new WrongType(name, "string", v);
        return v.textValue();
    }

    private static Boolean bool(JsonNode o, String name) {
        JsonNode v = field(o, name);
        if (v == null) return null;
        if (!v.isBoolean()) throw new WrongType(name, "boolean", v);
        return v.booleanValue();
    }

    private static Long lng(JsonNode o, String name) {
        JsonNode v = field(o, name);
        return v == null ? null : longValue(v, name);
    }

    private static Long longValue(JsonNode v) {
        return longValue(v, "value");
    }

    private static Long longValue(JsonNode v, String name) {
        if (!v.isIntegralNumber()) throw new WrongType(name, "integer", v);
        // BigInteger.longValue keeps the low 64 bits: the unsigned pattern of a uint64
        return v.isBigInteger() ? v.bigIntegerValue().longValue() : v.longValue();
    }

    private static Integer integer(JsonNode o, String name) {
        JsonNode v = field(o, name);
        if (v == null) return null;
        if (!v.isIntegralNumber() || !v.canConvertToInt()) throw new WrongType(name, "32-bit integer", v);
        return v.intValue();
    }

    private static JsonNode raw(JsonNode o, String name) {
        return field(o, name);
    }

    private static <T> T obj(JsonNode o, String name, Function<JsonNode, T> fn) {
        JsonNode v = field(o, name);
        if (v == null) return null;
        if (!v.isObject()) throw new WrongType(name, "object", v);
        return fn.apply(v);
    }

    private static List<String> strings(JsonNode o, String name) {
        return list(o, name, SpecReader::text);
    }

    private static <T> List<T> list(JsonNode o, String name, Function<JsonNode, T> fn) {
        JsonNode v = field(o, name);
        if (v == null) return null;
        if (!v.isArray()) throw new WrongType(name, "array", v);
        List<T> out = new ArrayList<>(v.size());
        for (JsonNode e : v) out.add(e.isNull() ? null : fn.apply(e));
        return Collections.unmodifiableList(out);
    }

    private static <T> Map<String, T> map(JsonNode o, String name, Function<JsonNode, T> fn) {
        JsonNode v = field(o, name);
        if (v == null) return null;
        if (!v.isObject()) throw new WrongType(name, "object", v);
        Map<String, T> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            out.put(e.getKey(), e.getValue().isNull() ? null : fn.apply(e.getValue()));
        }
        return Collections.unmodifiableMap(out);
    }
}

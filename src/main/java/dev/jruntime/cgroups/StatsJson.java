package dev.jruntime.cgroups;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.jruntime.JrError;
import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

/**
 * The JSON line of {@code events --stats} in runc's shape (runc's {@code types.Event} /
 * {@code types.Stats}): {@code {"type":"stats","id":…,"data":{"cpu":…,"cpuset":{},"memory":…,
 * "pids":…,"blkio":…,"hugetlb":{},"intel_rdt":{},"network_interfaces":null}}}.
 * Fields that runc tags {@code omitempty} are left out when zero, as Go's encoder does.
 * Streaming jackson-core only: {@code events} must not pay for databind.
 */
public final class StatsJson {
    private StatsJson() {}

    public static String event(String id, CgroupStats s) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("type", "stats");
            g.writeStringField("id", id);
            g.writeObjectFieldStart("data");
            writeCpu(g, s.cpu());
            g.writeObjectFieldStart("cpuset");
            g.writeEndObject();
            writeMemory(g, s.memory());
            g.writeObjectFieldStart("pids");
            if (s.pids() != null) {
                omitZero(g, "current", s.pids().current());
                omitZero(g, "limit", s.pids().limit());
            }
            g.writeEndObject();
            g.writeObjectFieldStart("blkio");
            if (s.blkio() != null) {
                blkio(g, "ioServiceBytesRecursive", s.blkio().ioServiceBytesRecursive());
                blkio(g, "ioServicedRecursive", s.blkio().ioServicedRecursive());
            }
            g.writeEndObject();
            g.writeObjectFieldStart("hugetlb");
            g.writeEndObject();
            g.writeObjectFieldStart("intel_rdt");
            g.writeEndObject();
            g.writeNullField("network_interfaces");
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw JrError.of("events: cannot write the stats as JSON", e);
        }
        return w.toString();
    }

    private static void writeCpu(JsonGenerator g, CgroupStats.Cpu c) throws IOException {
        g.writeObjectFieldStart("cpu");
        g.writeObjectFieldStart("usage");
        if (c != null) {
            omitZero(g, "total", c.total());
            if (c.percpu() != null && !c.percpu().isEmpty()) {
                g.writeArrayFieldStart("percpu");
                for (long v : c.percpu()) g.writeNumber(v);
                g.writeEndArray();
            }
            g.writeNumberField("kernel", c.kernel());
            g.writeNumberField("user", c.user());
        } else {
            g.writeNumberField("kernel", 0);
            g.writeNumberField("user", 0);
        }
        g.writeEndObject();
        g.writeObjectFieldStart("throttling");
        if (c != null) {
            omitZero(g, "periods", c.periods());
            omitZero(g, "throttledPeriods", c.throttledPeriods());
            omitZero(g, "throttledTime", c.throttledTime());
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void writeMemory(JsonGenerator g, CgroupStats.Memory m) throws IOException {
        g.writeObjectFieldStart("memory");
        if (m != null) {
            omitZero(g, "cache", m.cache());
            entry(g, "usage", m.usage());
            entry(g, "swap", m.swap());
            entry(g, "kernel", m.kernel());
            entry(g, "kernelTCP", m.kernelTCP());
            if (m.raw() != null && !m.raw().isEmpty()) {
                g.writeObjectFieldStart("raw");
                for (Map.Entry<String, Long> e : m.raw().entrySet()) g.writeNumberField(e.getKey(), e.getValue());
                g.writeEndObject();
            }
        } else {
            CgroupStats.MemoryEntry zero = new CgroupStats.MemoryEntry(0, 0, 0, 0);
            for (String k : List.of("usage", "swap", "kernel", "kernelTCP")) entry(g, k, zero);
        }
        g.writeEndObject();
    }

    private static void entry(JsonGenerator g, String name, CgroupStats.MemoryEntry e) throws IOException {
        g.writeObjectFieldStart(name);
        g.writeNumberField("limit", e == null ? 0 : e.limit());
        if (e != null) {
            omitZero(g, "usage", e.usage());
            omitZero(g, "max", e.max());
        }
        g.writeNumberField("failcnt", e == null ? 0 : e.failcnt());
        g.writeEndObject();
    }

    private static void blkio(JsonGenerator g, String name, List<CgroupStats.BlkioEntry> list) throws IOException {
        if (list == null || list.isEmpty()) return;
        g.writeArrayFieldStart(name);
        for (CgroupStats.BlkioEntry e : list) {
            g.writeStartObject();
            omitZero(g, "major", e.major());
            omitZero(g, "minor", e.minor());
            if (e.op() != null && !e.op().isEmpty()) g.writeStringField("op", e.op());
            omitZero(g, "value", e.value());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void omitZero(JsonGenerator g, String name, long v) throws IOException {
        if (v != 0) g.writeNumberField(name, v);
    }
}

package dev.jruntime.cgroups;

import static org.junit.jupiter.api.Assertions.*;

import dev.jruntime.JrError;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatsJsonAndUpdateFlagsTest {

    @Test
    void statsJsonHasRuncsShape() {
        Map<String, Long> raw = new LinkedHashMap<>();
        raw.put("cache", 100L);
        raw.put("rss", 200L);
        var s = new CgroupStats(
                new CgroupStats.Cpu(5000, List.of(3000L, 2000L), 20, 30, 7, 0, 0),
                new CgroupStats.Memory(100, new CgroupStats.MemoryEntry(67108864, 4096, 8192, 1),
                        new CgroupStats.MemoryEntry(0, 0, 0, 0), new CgroupStats.MemoryEntry(0, 0, 0, 0),
                        new CgroupStats.MemoryEntry(0, 0, 0, 0), raw),
                new CgroupStats.Pids(1, 10),
                new CgroupStats.Blkio(List.of(new CgroupStats.BlkioEntry(8, 0, "Read", 512)), List.of()));
        assertEquals("{\"type\":\"stats\",\"id\":\"c1\",\"data\":{"
                + "\"cpu\":{\"usage\":{\"total\":5000,\"percpu\":[3000,2000],\"kernel\":20,\"user\":30},\"throttling\":{\"periods\":7}},"
                + "\"cpuset\":{},"
                + "\"memory\":{\"cache\":100,\"usage\":{\"limit\":67108864,\"usage\":4096,\"max\":8192,\"failcnt\":1},"
                + "\"swap\":{\"limit\":0,\"failcnt\":0},\"kernel\":{\"limit\":0,\"failcnt\":0},\"kernelTCP\":{\"limit\":0,\"failcnt\":0},"
                + "\"raw\":{\"cache\":100,\"rss\":200}},"
                + "\"pids\":{\"current\":1,\"limit\":10},"
                + "\"blkio\":{\"ioServiceBytesRecursive\":[{\"major\":8,\"op\":\"Read\",\"value\":512}]},"
                + "\"hugetlb\":{},\"intel_rdt\":{},\"network_interfaces\":null}}", StatsJson.event("c1", s));
    }

    @Test
    void updateFlags() {
        var r = UpdateFlags.toResources(Map.of("memory", "512m", "memory-swap", "-1", "memory-reservation", "1g",
                "cpu-shares", "512", "cpu-quota", "-1", "cpu-period", "100000", "cpuset-cpus", "0-1",
                "cpuset-mems", "0", "pids-limit", "-1", "blkio-weight", "300"));
        assertEquals(512L << 20, r.memory().limit());
        assertEquals(-1L, r.memory().swap());
        assertEquals(1L << 30, r.memory().reservation());
        assertEquals(512L, r.cpu().shares());
        assertEquals(-1L, r.cpu().quota());
        assertEquals(100000L, r.cpu().period());
        assertEquals("0-1", r.cpu().cpus());
        assertEquals("0", r.cpu().mems());
        assertEquals(-1L, r.pids().limit());
        assertEquals(300, r.blockIO().weight());
        assertNull(r.devices());
        assertEquals(1536L << 20, UpdateFlags.size(Map.of("m", "1.5GiB"), "m"));
        assertEquals(1024L, UpdateFlags.size(Map.of("m", "1kb"), "m"));
        assertEquals(123L, UpdateFlags.size(Map.of("m", "123"), "m"));
        var only = UpdateFlags.toResources(Map.of("pids-limit", "5"));
        assertNull(only.memory());
        assertNull(only.cpu());
        assertNull(UpdateFlags.toResources(Map.of("memory", "")).memory());
    }

    @Test
    void badUpdateFlagsAreUsageErrors() {
        var e = assertThrows(JrError.class, () -> UpdateFlags.toResources(Map.of("memory", "12x")));
        assertTrue(e.getMessage().contains("--memory") && e.exitCode() == 2, e.getMessage());
        e = assertThrows(JrError.class, () -> UpdateFlags.toResources(Map.of("cpu-shares", "-5")));
        assertTrue(e.getMessage().contains("--cpu-shares"), e.getMessage());
        e = assertThrows(JrError.class, () -> UpdateFlags.toResources(Map.of("blkio-weight", "5")));
        assertTrue(e.getMessage().contains("--blkio-weight"), e.getMessage());
        assertThrows(JrError.class, () -> UpdateFlags.toResources(Map.of("bogus", "1")));
    }
}

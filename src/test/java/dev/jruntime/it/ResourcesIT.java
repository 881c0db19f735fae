package dev.jruntime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * cgroup limits on the real v1 hierarchies, checked through the kernel: the container's
 * /proc, the cgroup files, and what the processes can and cannot do.
 */
class ResourcesIT {
    private final Jr jr = new Jr();

    @AfterEach
    void cleanup() {
        jr.close();
    }

    private static ObjectNode resources(ObjectNode c) {
        ObjectNode linux = (ObjectNode) c.get("linux");
        return linux.has("resources") ? (ObjectNode) linux.get("resources") : linux.putObject("resources");
    }

    /** The container's cgroup directory in one hierarchy, read from the init's /proc. */
    private static Path cgroupDir(long pid, String controller) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "cgroup"))) {
            String[] f = line.split(":", 3);
            for (String c : f[1].split(",")) {
                if (c.equals(controller)) return Path.of("/sys/fs/cgroup", controller + f[2]);
            }
        }
        throw new AssertionError("no " + controller + " cgroup for " + pid);
    }

    private String start(ObjectNode c) {
        String id = jr.newId();
        jr.jr("run", "--detach", "--bundle", jr.bundle(c).toString(), id).ok();
        return id;
    }

    @Test
    void cpusetPinsEveryProcessToCpu0() throws Exception {
        ObjectNode c = Jr.config("sh", "-c", "(while :; do :; done) & (while :; do :; done) & sleep 2; "
                + "for p in /proc/[0-9]*; do grep Cpus_allowed_list $p/status; done | sort -u");
        resources(c).putObject("cpu").put("cpus", "0");
        Jr.Result r = jr.run(c);
        assertEquals(0, r.exit(), r.err());
        assertEquals("Cpus_allowed_list:\t0\n", r.out());
    }

    @Test
    void cpuQuotaHoldsABurnerNearHalfACpu() throws Exception {
        ObjectNode c = Jr.config("sh", "-c", "while :; do :; done");
        resources(c).putObject("cpu").put("quota", 50000).put("period", 100000);
        String id = start(c);
        Path cg = cgroupDir(jr.state(id).get("pid").asLong(), "cpuacct");
        long u0 = Long.parseLong(Files.readString(cg.resolve("cpuacct.usage")).trim());
        long t0 = System.nanoTime();
        Thread.sleep(2000);
        long u1 = Long.parseLong(Files.readString(cg.resolve("cpuacct.usage")).trim());
        double share = (u1 - u0) / (double) (System.nanoTime() - t0);
        assertTrue(share > 0.35 && share < 0.65, "cpu share " + share);
        jr.jr("delete", "--force", id).ok();
    }

    @Test
    void memoryLimitOomKillsAndEventsReportIt() throws Exception {
        // a tmpfs is charged to the memory cgroup of the process writing it
        ObjectNode small = Jr.config("sh", "-c", "dd if=/dev/zero of=/tmp/fill bs=1M count=20 2>/dev/null; echo fits");
        resources(small).putObject("memory").put("limit", 64L << 20).put("swap", 64L << 20);
        Jr.Result ok = jr.run(small);
        assertEquals("fits\n", ok.out(), ok.err());

        ObjectNode big = Jr.config("sh", "-c", "sleep 1; dd if=/dev/zero of=/dev/shm/fill bs=1M count=200 2>/dev/null; sleep 30");
        resources(big).putObject("memory").put("limit", 64L << 20).put("swap", 64L << 20);
        ArrayNode ns = (ArrayNode) ((ObjectNode) big.get("linux")).get("namespaces");
        ns.removeAll();
        ns.addObject().put("type", "mount");
        ns.addObject().put("type", "uts");
        String id = start(big);
        long pid = jr.state(id).get("pid").asLong();
        Path cg = cgroupDir(pid, "memory");
        assertEquals(64L << 20, Long.parseLong(Files.readString(cg.resolve("memory.limit_in_bytes")).trim()));
        assertEquals(64L << 20, Long.parseLong(Files.readString(cg.resolve("memory.memsw.limit_in_bytes")).trim()),
                "memory+swap equal to the limit: no swap");
        boolean oom = false;
        for (int i = 0; i < 100 && !oom; i++) {
            Thread.sleep(100);
            oom = Files.readString(cg.resolve("memory.oom_control")).matches("(?s).*oom_kill [1-9].*");
        }
        assertTrue(oom, "the kernel OOM-killed in the container's cgroup");
        JsonNode stats = Jr.JSON.readTree(jr.jr("events", "--stats", id).ok().out());
        assertEquals("stats", stats.get("type").asText());
        assertEquals(64L << 20, stats.at("/data/memory/usage/limit").asLong(), stats.toString());
        assertEquals(64L << 20, stats.at("/data/memory/usage/max").asLong(), "usage reached the limit: " + stats);
        jr.jr("delete", "--force", id).ok();
    }

    @Test
    void pidsLimitStopsTheEleventhProcess() throws Exception {
        // ten processes: nine sleeps and the shell that becomes the tenth by exec
        ObjectNode c = Jr.config("sh", "-c", "for i in $(seq 9); do sleep 60 & done; exec sleep 60");
        resources(c).putObject("pids").put("limit", 10);
        String id = start(c);
        Path cg = cgroupDir(jr.state(id).get("pid").asLong(), "pids");
        for (int i = 0; i < 50 && !Files.readString(cg.resolve("pids.current")).trim().equals("10"); i++) Thread.sleep(20);
        assertEquals("10", Files.readString(cg.resolve("pids.current")).trim());
        Jr.Result eleventh = jr.jr("exec", id, "true");
        assertEquals(1, eleventh.exit(), "the 11th process cannot be created: " + eleventh.err());
        String events = Files.readString(cg.resolve("pids.events"));
        assertTrue(events.matches("(?s)max [1-9].*"), "a fork failed at the limit: " + events);
        jr.jr("delete", "--force", id).ok();
    }

    @Test
    void deniedDevicesCannotBeOpened() {
        // /dev/kmsg (1:11) is not in the default allow list; opening it for writing needs no capability
        ObjectNode c = Jr.config("sh", "-c", "(: > /dev/kmsg) 2>/dev/null && echo open || echo denied");
        ((ObjectNode) c.get("linux")).putArray("devices").addObject()
                .put("path", "/dev/kmsg").put("type", "c").put("major", 1).put("minor", 11).put("fileMode", 0200);
        resources(c).putArray("devices").addObject().put("allow", false).put("access", "rwm");
        Jr.Result denied = jr.run(c);
        assertEquals("denied\n", denied.out(), denied.err());
        ((ArrayNode) resources(c).get("devices")).addObject().put("allow", true).put("type", "c").put("major", 1).put("minor", 11).put("access", "w");
        Jr.Result allowed = jr.run(c);
        assertEquals("open\n", allowed.out(), allowed.err());
    }

    /** utime + stime of a process, in clock ticks. */
    private static long cpuTicks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    @Test
    void pauseFreezesResumeThawsUpdateAndPsAndKillAll() throws Exception {
        ObjectNode c = Jr.config("sh", "-c", "while :; do :; done");
        ArrayNode ns = (ArrayNode) ((ObjectNode) c.get("linux")).get("namespaces");
        ns.removeAll();
        ns.addObject().put("type", "mount");
        c.remove("hostname");
        resources(c).putObject("memory").put("limit", 128L << 20);
        String id = start(c);
        long pid = jr.state(id).get("pid").asLong();
        Thread.sleep(200);
        jr.jr("pause", id).ok();
        assertEquals("paused", jr.state(id).get("status").asText());
        long frozen = cpuTicks(pid);
        Thread.sleep(400);
        assertEquals(frozen, cpuTicks(pid), "no progress while paused");
        jr.jr("resume", id).ok();
        assertEquals("running", jr.state(id).get("status").asText());
        Thread.sleep(400);
        assertTrue(cpuTicks(pid) > frozen, "progress again after resume");

        jr.jr("update", "--memory", "96m", id).ok();
        assertEquals(96L << 20, Long.parseLong(Files.readString(cgroupDir(pid, "memory").resolve("memory.limit_in_bytes")).trim()));
        JsonNode pids = Jr.JSON.readTree(jr.jr("ps", "--format", "json", id).ok().out());
        assertTrue(pids.isArray() && pids.toString().contains(Long.toString(pid)), pids.toString());

        jr.jr("kill", "--all", id, "KILL").ok();
        for (int i = 0; i < 100 && !"stopped".equals(jr.state(id).get("status").asText()); i++) Thread.sleep(20);
        assertEquals("stopped", jr.state(id).get("status").asText());
        jr.jr("delete", id).ok();
        jr.assertNothingLeft();
    }

    @Test
    void blkioThrottleLimitsTheWriteRateOfALoopDevice() throws Exception {
        Path img = jr.work.resolve("blk.img");
        try (var f = new java.io.RandomAccessFile(img.toFile(), "rw")) {
            f.setLength(64L << 20);
        }
        Jr.Result attach = Jr.exec(java.util.List.of("losetup", "-f", "--show", img.toString()), null, 20);
        org.junit.jupiter.api.Assumptions.assumeTrue(attach.exit() == 0, "no loop device on this host: " + attach.err());
        String loop = attach.out().trim();
        try {
            long rdev = ((Number) Files.getAttribute(Path.of(loop), "unix:rdev")).longValue();
            long major = (rdev >> 8) & 0xfff, minor = (rdev & 0xff) | ((rdev >> 12) & 0xfff00);
            ObjectNode c = Jr.config("dd", "if=/dev/zero", "of=/dev/blk", "bs=64k", "count=32", "oflag=direct");
            ((ObjectNode) c.get("linux")).putArray("devices").addObject().put("path", "/dev/blk").put("type", "b")
                    .put("major", major).put("minor", minor).put("fileMode", 0600);
            resources(c).putArray("devices").addObject().put("allow", true).put("type", "b")
                    .put("major", major).put("minor", minor).put("access", "rwm");
            long t0 = System.nanoTime();
            jr.run(c).ok();
            long freeMs = (System.nanoTime() - t0) / 1_000_000;
            resources(c).putObject("blockIO").putArray("throttleWriteBpsDevice").addObject()
                    .put("major", major).put("minor", minor).put("rate", 1L << 20);
            t0 = System.nanoTime();
            jr.run(c).ok();
            long slowMs = (System.nanoTime() - t0) / 1_000_000;
            // 2 MiB of direct I/O at 1 MiB/s: about 2 s (the first second's budget is granted at once)
            // (timed around the whole `run`, so the runtime's own start-up is in both numbers)
            assertTrue(slowMs - freeMs > 900 && slowMs < 8000,
                    "unthrottled " + freeMs + " ms vs throttled " + slowMs + " ms");
        } finally {
            Jr.exec(java.util.List.of("losetup", "-d", loop), null, 20);
        }
    }

    @Test
    void anOomKilledContainerExitsWith137AndEventsReportTheOom() throws Exception {
        ObjectNode c = Jr.config("sh", "-c", "sleep 1; exec dd if=/dev/zero of=/tmp/fill bs=1M count=300");
        resources(c).putObject("memory").put("limit", 64L << 20).put("swap", 64L << 20);
        ArrayNode ns = (ArrayNode) ((ObjectNode) c.get("linux")).get("namespaces");
        ns.removeAll();
        ns.addObject().put("type", "mount");
        c.remove("hostname");
        String id = jr.newId();
        Path bundle = jr.bundle(c);
        jr.jr("create", "--bundle", bundle.toString(), id).ok();
        Path events = jr.work.resolve("events.jsonl");
        Process watcher = new ProcessBuilder(Jr.binary().toString(), "--root", jr.root.toString(), "events", "--interval", "1s", id)
                .redirectOutput(events.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Thread.sleep(500);
            jr.jr("start", id).ok();
            assertTrue(watcher.waitFor(20, java.util.concurrent.TimeUnit.SECONDS), "events ends when the container stops");
            String lines = Files.readString(events);
            assertTrue(lines.contains("{\"type\":\"oom\",\"id\":\"" + id + "\"}"), lines);
        } finally {
            watcher.destroyForcibly();
        }
        // the exit status of a container process killed by the OOM killer, as its parent sees it:
        // run it in the foreground, where jruntime-init's stage 1 waits for it
        Jr.Result r = jr.jr("run", "--bundle", bundle.toString(), jr.newId());
        assertEquals(137, r.exit(), r.err());
    }
}

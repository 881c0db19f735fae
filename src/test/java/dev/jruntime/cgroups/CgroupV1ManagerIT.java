package dev.jruntime.cgroups;

import static org.junit.jupiter.api.Assertions.*;

import dev.jruntime.JrError;
import dev.jruntime.spec.Resources;
import dev.jruntime.spec.Resources.*;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The v1 manager on this host's real hierarchies (root). Every cgroup is created under a
 * unique name and removed, every process started here is killed by pid, also on failure.
 */
class CgroupV1ManagerIT {
    final List<CgroupManager> managers = new ArrayList<>();
    final List<Process> processes = new ArrayList<>();
    CgroupHost host;
    String unique;

    @BeforeEach
    void setUp() {
        host = CgroupHost.detect();
        unique = "jruntime-it-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
        for (CgroupManager m : managers) {
            try {
                if (m instanceof CgroupV1Manager v1 && v1.isFrozen()) v1.thaw();
            } finally {
                m.destroy();
            }
        }
    }

    CgroupV1Manager open(String path, String id) {
        var m = (CgroupV1Manager) CgroupManager.open(host, path, id, false);
        managers.add(m);
        return m;
    }

    /** {@code sleep 30}, but exec'd only on {@link #release}: like a container init, it runs its
     * program after joining the cgroups, so that program's memory is charged there (v1 does not
     * move the charges of pages a task had before joining). */
    Process sleep() throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "read go; exec sleep 30").start();
        processes.add(p);
        return p;
    }

    static void release(Process p) throws Exception {
        p.getOutputStream().write('\n');
        p.getOutputStream().flush();
        for (int i = 0; i < 200 && !Files.readString(Path.of("/proc/" + p.pid() + "/comm")).trim().equals("sleep"); i++) {
            Thread.sleep(10);
        }
    }

    /** The state letter of a task (/proc/pid/stat), polled for up to 2 s until it equals {@code want}. */
    static String taskState(long pid, String want) throws Exception {
        String got = null;
        for (int i = 0; i < 200; i++) {
            String stat = read(Path.of("/proc/" + pid + "/stat"));
            got = stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
            if (got.equals(want)) return got;
            Thread.sleep(10);
        }
        return got;
    }

    static String read(Path p) throws Exception {
        return Files.readString(p).trim();
    }

    @Test
    void thisHostIsHybrid() {
        assertEquals(CgroupHost.Mode.HYBRID, host.mode());
        assertNotNull(host.hierarchy("name=systemd"));
        assertNull(host.hierarchy("hugetlb"), "hugetlb lives on the cgroup2 mount here");
    }

    @Test
    void fullLifeCycleWithARealProcess() throws Exception {
        String path = "/" + unique + "/ctr";
        long t0 = System.nanoTime();
        var m = open(path, "ctr");
        m.create();
        long tCreate = System.nanoTime();
        var warnings = m.apply(new Resources(
                List.of(new DeviceRule(false, null, null, null, "rwm"), new DeviceRule(true, "c", 4L, 1L, "rw")),
                new Memory(64L << 20, null, null, null, null, null, null, null, null),
                new Cpu(null, null, null, null, null, null, "0", null, null),
                new Pids(10L), null, null, null, null, null));
        assertEquals(List.of(), warnings);
        long tApply = System.nanoTime();
        System.out.printf("measured: open+create %.1f ms, apply %.1f ms%n", (tCreate - t0) / 1e6, (tApply - tCreate) / 1e6);

        assertEquals(String.valueOf(64L << 20), read(m.path("memory").resolve("memory.limit_in_bytes")));
        assertEquals("0", read(m.path("cpuset").resolve("cpuset.cpus")));
        assertFalse(read(m.path("cpuset").resolve("cpuset.mems")).isEmpty(), "mems copied from the parent");
        assertEquals("10", read(m.path("pids").resolve("pids.max")));
        String devices = read(m.path("devices").resolve("devices.list"));
        assertTrue(devices.contains("c 4:1 rw"), devices);
        assertTrue(devices.contains("c 1:3 rwm"), devices);
        assertTrue(devices.contains("c 136:* rwm"), devices);
        assertFalse(devices.contains("a *:* rwm"), "deny-all by default: " + devices);

        Process p = sleep();
        long pid = p.pid();
        m.addProcess(pid);
        release(p);
        // the kernel agrees: every hierarchy, name=systemd included, lists our path
        List<String> lines = Files.readAllLines(Path.of("/proc/" + pid + "/cgroup"));
        int seen = 0;
        for (String l : lines) {
            String[] f = l.split(":", 3);
            if (f[0].equals("0")) {
                assertFalse(f[2].contains(unique), "the cgroup2 mount of a hybrid host is not joined: " + l);
                continue;
            }
            assertEquals(path, f[2], l);
            seen++;
        }
        assertEquals(host.hierarchies().size(), seen, lines.toString());
        assertEquals(List.of(pid), m.pids());

        // frozen as the kernel sees it: freezer.state and the task in the refrigerator
        m.freeze();
        assertTrue(m.isFrozen());
        assertEquals("FROZEN", read(m.path("freezer").resolve("freezer.state")));
        // a frozen task shows as D (TASK_FROZEN), frozen in place or in __refrigerator
        assertEquals("D", taskState(pid, "D"));
        m.thaw();
        assertFalse(m.isFrozen());
        assertEquals("S", taskState(pid, "S"));

        var s = m.stats();
        assertEquals(1, s.pids().current());
        assertEquals(10, s.pids().limit());
        assertEquals(64L << 20, s.memory().usage().limit());
        assertTrue(s.memory().usage().usage() > 0, "memory usage " + s.memory().usage());
        assertTrue(s.cpu().total() > 0, "cpu " + s.cpu());
        assertEquals(Runtime.getRuntime().availableProcessors(), s.cpu().percpu().size());
        assertEquals(0, m.oomKillCount());
        String json = StatsJson.event("ctr", s);
        System.out.println("measured: " + json);
        assertTrue(json.contains("\"pids\":{\"current\":1,\"limit\":10}"), json);

        // update: the kernel refuses memsw below the limit, the error names the field
        var e = assertThrows(JrError.class, () -> m.update(new Resources(null,
                new Memory(64L << 20, null, 32L << 20, null, null, null, null, null, null), null, null, null, null, null, null, null)));
        assertTrue(e.getMessage().startsWith("linux.resources.memory.swap"), e.getMessage());
        long tUpdate = System.nanoTime();
        m.update(new Resources(List.of(new DeviceRule(false, null, null, null, "rwm")),
                new Memory(32L << 20, null, 48L << 20, null, null, null, null, null, null),
                new Cpu(null, null, null, null, null, null, "0", null, null), new Pids(20L), null, null, null, null, null));
        System.out.printf("measured: update (warm; devices, memory, cpuset, pids) %.1f ms%n", (System.nanoTime() - tUpdate) / 1e6);
        assertEquals(String.valueOf(32L << 20), read(m.path("memory").resolve("memory.limit_in_bytes")));
        assertEquals(String.valueOf(48L << 20), read(m.path("memory").resolve("memory.memsw.limit_in_bytes")));
        assertEquals("20", read(m.path("pids").resolve("pids.max")));

        // a later verb rebuilds the manager from state.json and tears everything down
        var again = (CgroupV1Manager) CgroupManager.fromState(m.toState());
        assertEquals(List.of(pid), again.pids());
        p.destroyForcibly();
        assertTrue(p.waitFor(5, TimeUnit.SECONDS));
        long tDestroy = System.nanoTime();
        again.destroy();
        System.out.printf("measured: destroy %.1f ms%n", (System.nanoTime() - tDestroy) / 1e6);
        for (CgroupHost.Hierarchy h : host.hierarchies()) {
            assertFalse(Files.exists(h.mountPoint().resolve(unique)), h.mountPoint() + "/" + unique + " removed");
        }
        assertFalse(again.exists());
    }

    @Test
    void destroyWaitsForTheLastProcessToLeave() throws Exception {
        var m = open("/" + unique, "c");
        m.create();
        m.apply(null);
        Process p = sleep();
        m.addProcess(p.pid());
        p.destroyForcibly(); // not reaped yet when destroy starts: rmdir is retried
        m.destroy();
        assertFalse(m.exists());
        p.waitFor(5, TimeUnit.SECONDS);
    }

    @Test
    void destroyOfAFrozenKilledContainerThawsIt() throws Exception {
        var m = open("/" + unique, "c");
        m.create();
        Process p = sleep();
        m.addProcess(p.pid());
        release(p);
        m.freeze();
        p.destroyForcibly(); // SIGKILL stays pending while frozen
        assertFalse(p.waitFor(200, TimeUnit.MILLISECONDS), "a frozen process does not die");
        m.destroy();
        assertFalse(m.exists());
        assertTrue(p.waitFor(5, TimeUnit.SECONDS));
    }

    @Test
    void defaultPathIsUnderOwnCgroupAndOnlyItIsRemoved() throws Exception {
        String id = unique;
        var m = open(null, id);
        String ownMemory = host.hierarchy("memory").ownCgroup();
        Path expected = host.hierarchy("memory").mountPoint().resolve(ownMemory.substring(1)).resolve(id);
        assertEquals(expected.normalize(), m.path("memory").normalize());
        m.create();
        assertTrue(Files.isDirectory(expected));
        assertEquals(host.hierarchies().size(), m.created().size(), "only the leaf is new in each hierarchy");
        m.destroy();
        assertFalse(Files.exists(expected));
        assertTrue(Files.isDirectory(expected.getParent()), "the runtime's own cgroup stays");
    }

    @Test
    void processInBusyCgroupIsReportedAfterRetrying() throws Exception {
        var m = open("/" + unique, "c");
        m.create();
        Process p = sleep();
        m.addProcess(p.pid());
        var e = assertThrows(JrError.class, m::destroy);
        assertTrue(e.getMessage().contains("busy"), e.getMessage());
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
        m.destroy();
        assertFalse(m.exists());
    }
}

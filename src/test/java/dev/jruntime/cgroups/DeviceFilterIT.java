package dev.jruntime.cgroups;

import static org.junit.jupiter.api.Assertions.*;

import dev.jruntime.spec.Resources.DeviceRule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The eBPF device program, attached to a cgroup of this host's cgroup2 mount (hybrid: the
 * mount has no controllers, but device programs work on any cgroup2 cgroup). A real process
 * in that cgroup opens devices and the kernel allows or refuses.
 */
class DeviceFilterIT {
    Path dir;
    Process proc;

    @AfterEach
    void cleanUp() throws Exception {
        if (proc != null) {
            proc.destroyForcibly();
            proc.waitFor(5, TimeUnit.SECONDS);
        }
        if (dir != null) {
            for (int i = 0; i < 100 && Files.exists(dir); i++) {
                try {
                    Files.delete(dir);
                } catch (java.io.IOException e) {
                    Thread.sleep(10);
                }
            }
        }
    }

    String runIn(Path cgroup, String script) throws Exception {
        proc = new ProcessBuilder("sh", "-c", "read go; exec sh -c '" + script + "'").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Files.writeString(cgroup.resolve("cgroup.procs"), Long.toString(proc.pid()));
        proc.getOutputStream().write('\n');
        proc.getOutputStream().flush();
        assertTrue(proc.waitFor(10, TimeUnit.SECONDS));
        return new String(proc.getInputStream().readAllBytes()).trim();
    }

    @Test
    void kernelEnforcesTheRules() throws Exception {
        CgroupHost host = CgroupHost.detect();
        assertNotNull(host.unified(), "this host has a cgroup2 mount");
        dir = host.unified().mountPoint().resolve("jruntime-it-" + UUID.randomUUID().toString().substring(0, 8));
        Files.createDirectory(dir);
        // deny all, allow /dev/null rw, then deny its write again; allow /dev/zero read only
        DeviceFilter.attach(dir, DeviceRules.fromConfig(List.of(
                new DeviceRule(true, "c", 1L, 3L, "rw"),
                new DeviceRule(true, "c", 1L, 5L, "r"))));
        String out = runIn(dir, "echo x > /dev/null && echo null-w-ok; "
                + "head -c1 /dev/zero > /dev/null && echo zero-r-ok; "
                + "(echo x > /dev/zero) 2>/dev/null || echo zero-w-denied; "
                + "(head -c1 /dev/urandom) > /dev/null 2>&1 || echo urandom-denied");
        assertEquals("null-w-ok\nzero-r-ok\nzero-w-denied\nurandom-denied", out);

        // a new attach replaces the program (update): deny write on /dev/null after allowing rw
        DeviceFilter.attach(dir, DeviceRules.fromConfig(List.of(
                new DeviceRule(true, "c", 1L, 3L, "rw"),
                new DeviceRule(false, "c", 1L, 3L, "w"))));
        out = runIn(dir, "(echo x > /dev/null) 2>/dev/null || echo null-w-denied; "
                + "cat /dev/null && echo null-r-ok");
        assertEquals("null-w-denied\nnull-r-ok", out);

        // runc's default list (what every container gets): the standard devices work
        DeviceFilter.attach(dir, DeviceRules.effective(List.of(new DeviceRule(false, null, null, null, "rwm"))));
        out = runIn(dir, "head -c1 /dev/urandom > /dev/null && echo urandom-ok; "
                + "(head -c1 /dev/mem) > /dev/null 2>&1 || echo mem-denied");
        assertEquals("urandom-ok\nmem-denied", out);
    }
}

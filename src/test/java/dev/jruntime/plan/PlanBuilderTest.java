package dev.jruntime.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jruntime.JrError;
import dev.jruntime.spec.ConfigLoader;
import dev.jruntime.spec.Spec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plan = f(config): the ops, their order and their values, without root. */
class PlanBuilderTest {
    @TempDir
    Path tmp;

    private Spec spec(String json) {
        return ConfigLoader.parse(json.getBytes(StandardCharsets.UTF_8)).spec();
    }

    private static final String BASE = """
            {"ociVersion":"1.3.0","root":{"path":"rootfs","readonly":true},
             "process":{"args":["sh","-c","true"],"cwd":"/work","env":["PATH=/bin:/usr/bin"],
               "user":{"uid":1000,"gid":1000,"additionalGids":[5,6],"umask":63},
               "rlimits":[{"type":"RLIMIT_NOFILE","soft":100,"hard":200}],
               "capabilities":{"bounding":["CAP_KILL"],"effective":["CAP_KILL"],"permitted":["CAP_KILL"]},
               "noNewPrivileges":true},
             "hostname":"h",
             "mounts":[{"destination":"/proc","type":"proc","source":"proc","options":["nosuid"]},
                       {"destination":"/data","type":"bind","source":"data","options":["rbind","ro","rprivate"]}],
             "linux":{"namespaces":[{"type":"pid"},{"type":"mount"},{"type":"uts"},{"type":"network","path":"/proc/1/ns/net"}],
               "maskedPaths":["/proc/kcore"],"readonlyPaths":["/proc/sys"],"sysctl":{"net.ipv4.ip_forward":"1"}}}
            """;

    private PlanBuilder builder(String json, boolean foreground) throws Exception {
        Files.createDirectories(tmp.resolve("rootfs"));
        Files.createDirectories(tmp.resolve("data"));
        CreateOptions o = new CreateOptions("c1", tmp, null, null, 2, false, false, foreground);
        return new PlanBuilder(spec(json), tmp.resolve("rootfs"), tmp.resolve("state"), o, 42, (p, d, ro, cgns, origin) -> { });
    }

    private static List<Opcode> codes(Plan p) {
        return p.ops().stream().map(Op::code).toList();
    }

    @Test
    void stage1JoinsPathNamespacesThenClonesTheNewOnes() throws Exception {
        Plan p = builder(BASE, true).stage1(null);
        assertEquals(List.of(Opcode.GRAB_FDS, Opcode.MKFIFO, Opcode.OPEN_FD, Opcode.SETNS, Opcode.CLONE), codes(p));
        assertEquals(List.of(42L, 3L, 2L), p.get(0).args());
        assertEquals("/proc/1/ns/net", p.get(3).args().get(0));
        assertEquals(Linux.CLONE_NEWNET, p.get(3).args().get(1));
        assertEquals(Linux.CLONE_NEWPID | Linux.CLONE_NEWNS | Linux.CLONE_NEWUTS, p.get(4).args().get(0));
        assertEquals(1L, p.get(4).args().get(1), "foreground: stage 1 waits");
    }

    @Test
    void containerPlanOrder() throws Exception {
        Plan p = builder(BASE, false).container("{}", null);
        List<Opcode> c = codes(p);
        // the rootfs is prepared before pivot_root, the process after it, exec last
        int pivot = c.indexOf(Opcode.PIVOT_ROOT);
        assertTrue(c.indexOf(Opcode.SET_ROOT) < pivot);
        assertTrue(c.lastIndexOf(Opcode.MKNOD_IN_ROOT) < pivot);
        assertTrue(pivot < c.indexOf(Opcode.SETHOSTNAME));
        assertTrue(pivot < c.indexOf(Opcode.READONLY_PATH) && c.indexOf(Opcode.READONLY_PATH) < c.indexOf(Opcode.MASK_PATH));
        assertTrue(c.indexOf(Opcode.CAP_BOUNDING) < c.indexOf(Opcode.SET_USER));
        assertTrue(c.indexOf(Opcode.SET_USER) < c.indexOf(Opcode.CAPSET));
        assertTrue(c.indexOf(Opcode.CHECK_EXEC) < c.indexOf(Opcode.READY));
        assertTrue(c.indexOf(Opcode.READY) < c.indexOf(Opcode.WAIT_FIFO));
        assertEquals(Opcode.EXEC, c.get(c.size() - 1));
        Op first = p.get(c.indexOf(Opcode.MOUNT));
        assertEquals(List.of("", "/", "", Linux.MS_SLAVE | Linux.MS_REC, "", 0L), first.args(), "/ made rslave first");
        Op user = p.get(c.indexOf(Opcode.SET_USER));
        assertEquals(1000L, user.args().get(0));
        assertEquals(5L, ((long[]) user.args().get(2))[0]);
        assertEquals(63L, p.get(c.indexOf(Opcode.UMASK)).args().get(0));
        assertEquals(List.of(7L, 100L, 200L), p.get(c.indexOf(Opcode.SETRLIMIT)).args());
        assertEquals(5L, p.get(c.indexOf(Opcode.CLOEXEC_FROM)).args().get(0), "3 + preserved fds");
        assertEquals(List.of("/proc/sys/net/ipv4/ip_forward", "1", 0L), p.get(c.indexOf(Opcode.WRITE_FILE)).args());
    }

    @Test
    void bindMountsAreRemountedForTheirFlagsAndPropagation() throws Exception {
        Plan p = builder(BASE, false).container("{}", null);
        List<Op> data = p.ops().stream().filter(o -> o.origin().startsWith("/mounts/1")).toList();
        assertEquals(Opcode.MKDIR_IN_ROOT, data.get(0).code());
        assertEquals(tmp.resolve("data").toString(), data.get(1).args().get(0));
        assertEquals(Linux.MS_BIND | Linux.MS_REC, data.get(1).args().get(3));
        assertEquals(Linux.MS_BIND | Linux.MS_REMOUNT | Linux.MS_RDONLY, data.get(2).args().get(3));
        assertEquals(Linux.MS_PRIVATE | Linux.MS_REC, data.get(3).args().get(3));
    }

    @Test
    void seccompComesLateWithNoNewPrivileges() throws Exception {
        SeccompProgram prog = new SeccompProgram(new byte[8], 0, -1, "");
        List<Opcode> c = codes(builder(BASE, false).container("{}", prog));
        assertTrue(c.indexOf(Opcode.SECCOMP) > c.indexOf(Opcode.WAIT_FIFO), "after start, right before exec");
        List<Opcode> privileged = codes(builder(BASE.replace("\"noNewPrivileges\":true", "\"noNewPrivileges\":false"), false)
                .container("{}", prog));
        assertTrue(privileged.indexOf(Opcode.SECCOMP) < privileged.indexOf(Opcode.CAP_BOUNDING), "needs CAP_SYS_ADMIN");
    }

    @Test
    void stage1ConnectsToTheSeccompListenerOnlyForAProgramWithOne() throws Exception {
        String json = BASE.replace("\"sysctl\"", "\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\","
                + "\"listenerPath\":\"/run/agent.sock\"},\"sysctl\"");
        SeccompProgram notify = new SeccompProgram(new byte[8], 8, PlanBuilder.FD_SECCOMP_LISTENER, "");
        Plan p = builder(json, false).stage1(notify);
        Op connect = p.get(codes(p).indexOf(Opcode.CONNECT_UNIX));
        assertEquals(List.of("/run/agent.sock", (long) PlanBuilder.FD_SECCOMP_LISTENER), connect.args());
        // no SCMP_ACT_NOTIFY action: listenerPath is ignored (the socket need not exist)
        SeccompProgram plain = new SeccompProgram(new byte[8], 0, -1, "");
        assertEquals(-1, codes(builder(json, false).stage1(plain)).indexOf(Opcode.CONNECT_UNIX));
        Plan exec = ExecPlanBuilder.stage1(7, List.of("pid"), null, 0, "/run/agent.sock", 42, false);
        assertEquals(List.of("/run/agent.sock", (long) PlanBuilder.FD_SECCOMP_LISTENER),
                exec.get(codes(exec).indexOf(Opcode.CONNECT_UNIX)).args());
    }

    @Test
    void bindSourceMustExist() throws Exception {
        PlanBuilder b = builder(BASE.replace("\"source\":\"data\"", "\"source\":\"missing\""), false);
        JrError e = assertThrows(JrError.class, () -> b.container("{}", null));
        assertTrue(e.getMessage().contains("/mounts/1/source"), e.getMessage());
    }

    @Test
    void encodingIsStable() {
        Plan p = new Plan().add(Opcode.SETHOSTNAME, "", "h").add(Opcode.UMASK, "", 18);
        byte[] b = p.encode();
        assertEquals("JRP1", new String(b, 0, 4, StandardCharsets.US_ASCII));
        assertEquals(2, b[4]);
        assertEquals(4 + 4 + (2 + 2 + 1 + 4 + 1) + (2 + 2 + 1 + 8), b.length);
    }
}

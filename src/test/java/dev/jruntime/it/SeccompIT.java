package dev.jruntime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** linux.seccomp compiled by jruntime, loaded by its init, enforced by the kernel. */
class SeccompIT {
    private final Jr jr = new Jr();

    @AfterEach
    void cleanup() {
        jr.close();
    }

    private static ObjectNode seccomp(ObjectNode c, String defaultAction) {
        ObjectNode s = ((ObjectNode) c.get("linux")).putObject("seccomp");
        s.put("defaultAction", defaultAction);
        s.putArray("architectures").add("SCMP_ARCH_X86_64").add("SCMP_ARCH_X86").add("SCMP_ARCH_X32");
        s.putArray("syscalls");
        return s;
    }

    private static ObjectNode rule(ObjectNode s, String action, String... names) {
        ObjectNode r = ((ArrayNode) s.get("syscalls")).addObject();
        ArrayNode n = r.putArray("names");
        for (String name : names) n.add(name);
        r.put("action", action);
        return r;
    }

    @ParameterizedTest(name = "noNewPrivileges={0}")
    @CsvSource({"true", "false"})
    void errnoActionsAndTheDefault(boolean nnp) {
        ObjectNode c = Jr.config("sh", "-c", "mkdir /tmp/x; echo mkdir=$?; touch /tmp/f && echo touch-ok; ln -s a /tmp/l; echo ln=$?");
        ((ObjectNode) c.get("process")).put("noNewPrivileges", nnp);
        ObjectNode s = seccomp(c, "SCMP_ACT_ALLOW");
        rule(s, "SCMP_ACT_ERRNO", "mkdir", "mkdirat");
        rule(s, "SCMP_ACT_ERRNO", "symlink", "symlinkat").put("errnoRet", 28);
        Jr.Result r = jr.run(c);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("mkdir=1") && r.out().contains("touch-ok") && r.out().contains("ln=1"), r.out());
        assertTrue(r.err().contains("Operation not permitted"), "EPERM by default: " + r.err());
        assertTrue(r.err().contains("No space left on device"), "errnoRet 28 (ENOSPC): " + r.err());
    }

    @Test
    void killProcessEndsTheContainerWithSigsys() {
        ObjectNode c = Jr.config("sh", "-c", "echo before; exec mkdir /tmp/x");
        rule(seccomp(c, "SCMP_ACT_ALLOW"), "SCMP_ACT_KILL_PROCESS", "mkdir", "mkdirat");
        Jr.Result r = jr.run(c);
        assertEquals(128 + 31, r.exit(), r.err());
        assertEquals("before\n", r.out());
    }

    @Test
    void argumentFiltersAndLog() {
        // personality(0) and personality(0xffffffff) (query) allowed, anything else denied;
        // busybox has no personality applet, so use kill's signal argument instead:
        // kill(pid, 0) allowed, kill(pid, SIGUSR1) denied with EPERM
        ObjectNode c = Jr.config("sh", "-c", "kill -0 $$ && echo probe-ok; kill -USR1 $$; echo usr1=$?; uname -s");
        ObjectNode s = seccomp(c, "SCMP_ACT_ALLOW");
        ObjectNode r = rule(s, "SCMP_ACT_ERRNO", "kill");
        r.putArray("args").addObject().put("index", 1).put("value", 0).put("op", "SCMP_CMP_NE");
        rule(s, "SCMP_ACT_LOG", "uname");
        Jr.Result res = jr.run(c);
        assertEquals(0, res.exit(), res.err());
        assertTrue(res.out().contains("probe-ok") && res.out().contains("usr1=1") && res.out().contains("Linux"), res.out());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"podman-default.json", "docker-default.json"})
    void realClientProfilesLoadAndAShellWorks(String profile) throws Exception {
        JsonNode s;
        try (InputStream in = SeccompIT.class.getResourceAsStream("/seccomp/" + profile)) {
            s = Jr.JSON.readTree(in);
        }
        ObjectNode c = Jr.config("sh", "-c", "echo works; ls / | wc -l; mkdir /tmp/d && echo mkdir-ok");
        ((ObjectNode) c.get("linux")).set("seccomp", s);
        Jr.Result r = jr.run(c);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("works\n") && r.out().contains("mkdir-ok"), r.out());
    }
}

package dev.jruntime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Namespaces and the settings that need them, seen from inside real containers. */
class NamespacesIT {
    private final Jr jr = new Jr();

    @AfterEach
    void cleanup() {
        jr.close();
    }

    @Test
    void userNamespaceWithMappingsTimeOffsetsSysctlAndOomScore() {
        ObjectNode c = Jr.config("sh", "-c",
                "id -u; cat /proc/self/uid_map /proc/self/gid_map; cat /proc/sys/net/ipv4/ip_forward;"
                        + " cat /proc/self/oom_score_adj; cut -d' ' -f1 /proc/uptime; ls -ln /dev/null");
        ObjectNode linux = (ObjectNode) c.get("linux");
        ArrayNode ns = (ArrayNode) linux.get("namespaces");
        ns.addObject().put("type", "user");
        ns.addObject().put("type", "time");
        linux.putArray("uidMappings").addObject().put("containerID", 0).put("hostID", 200000).put("size", 65536);
        linux.putArray("gidMappings").addObject().put("containerID", 0).put("hostID", 200000).put("size", 65536);
        linux.putObject("timeOffsets").putObject("boottime").put("secs", 86400 * 365).put("nanosecs", 0);
        linux.putObject("sysctl").put("net.ipv4.ip_forward", "1");
        ((ObjectNode) c.get("process")).put("oomScoreAdj", 600);
        Jr.Result r = jr.run(c);
        assertEquals(0, r.exit(), r.err());
        String[] lines = r.out().split("\n");
        assertEquals("0", lines[0]);
        assertTrue(lines[1].trim().matches("0\\s+200000\\s+65536"), lines[1]);
        assertTrue(lines[2].trim().matches("0\\s+200000\\s+65536"), lines[2]);
        assertEquals("1", lines[3], "sysctl in the container's network namespace");
        assertEquals("600", lines[4]);
        assertTrue(Double.parseDouble(lines[5]) > 86400 * 365, "boottime offset applied: uptime " + lines[5]);
        // mknod is not allowed in a user namespace: the host's node is bound instead
        assertTrue(lines[6].matches("crw-rw-rw-\\s+1 65534\\s+65534\\s+1,\\s+3 .*"), lines[6]);
    }

    @Test
    void noPivotStillConfinesTheRoot() {
        String id = jr.newId();
        Jr.Result r = jr.jr("run", "--no-pivot", "--bundle", jr.bundle(Jr.config("sh", "-c", "ls /; cat /proc/self/mountinfo | wc -l")).toString(), id);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("bin") && !r.out().contains("work\n"), r.out());
    }

    @Test
    void joiningANamespaceByPath() {
        // a first container owns a uts namespace; the second joins it by path and sees its hostname
        String owner = jr.newId();
        ObjectNode first = Jr.config("sleep", "300");
        first.put("hostname", "shared-uts");
        jr.jr("run", "--detach", "--bundle", jr.bundle(first).toString(), owner).ok();
        long pid = jr.state(owner).get("pid").asLong();
        ObjectNode second = Jr.config("hostname");
        second.remove("hostname");
        ArrayNode ns = ((ObjectNode) second.get("linux")).putArray("namespaces");
        for (String t : new String[] {"pid", "ipc", "mount", "network"}) ns.addObject().put("type", t);
        ns.addObject().put("type", "uts").put("path", "/proc/" + pid + "/ns/uts");
        Jr.Result r = jr.run(second);
        assertEquals(0, r.exit(), r.err());
        assertEquals("shared-uts\n", r.out());
    }
}

package dev.jruntime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Hooks: each at its moment, in its namespace, with the state on stdin, args, env and timeout. */
class HooksIT {
    private final Jr jr = new Jr();

    @AfterEach
    void cleanup() {
        jr.close();
    }

    /** A hook: sh with argv[0] "hook-NAME", saving its stdin and appending its name to order. */
    private static void hook(ObjectNode hooks, String phase, String dir, String name) {
        hook(hooks, phase, dir, name, "hook-" + name);
    }

    private static void hook(ObjectNode hooks, String phase, String dir, String name, String argv0) {
        ObjectNode h = ((ArrayNode) (hooks.has(phase) ? hooks.get(phase) : hooks.putArray(phase))).addObject();
        h.put("path", "/bin/sh");
        h.putArray("args").add(argv0).add("-c")
                .add("cat > " + dir + "/" + name + ".json; echo \"$0 $HOOKVAR\" >> " + dir + "/order");
        h.putArray("env").add("HOOKVAR=" + name);
        h.put("timeout", 10);
    }

    @Test
    void everyHookRunsInOrderWithTheState() throws Exception {
        Path log = Files.createDirectory(jr.work.resolve("hooklog"));
        String host = log.toString();
        ObjectNode c = Jr.config("sh", "-c", "echo process >> /hooklog/order");
        Jr.mount((ArrayNode) c.get("mounts"), "/hooklog", "bind", host, List.of("rbind", "rw"));
        ObjectNode hooks = c.putObject("hooks");
        hook(hooks, "prestart", host, "prestart");
        hook(hooks, "createRuntime", host, "createRuntime");
        hook(hooks, "createContainer", host, "createContainer");
        // inside the container /bin/sh is busybox, which picks its applet by argv[0]
        hook(hooks, "startContainer", "/hooklog", "startContainer", "sh");
        hook(hooks, "poststart", host, "poststart");
        hook(hooks, "poststop", host, "poststop");
        String id = jr.newId();
        Path bundle = jr.bundle(c);
        jr.jr("create", "--bundle", bundle.toString(), id).ok();
        assertEquals(List.of("hook-prestart prestart", "hook-createRuntime createRuntime", "hook-createContainer createContainer"),
                Files.readAllLines(log.resolve("order")));
        jr.jr("start", id).ok();
        for (int i = 0; i < 100 && !"stopped".equals(jr.state(id).get("status").asText()); i++) Thread.sleep(20);
        jr.jr("delete", id).ok();
        List<String> order = Files.readAllLines(log.resolve("order"));
        assertEquals("sh startContainer", order.get(3));
        assertTrue(order.indexOf("process") > 3, order.toString());
        assertTrue(order.indexOf("hook-poststart poststart") > 3, order.toString());
        assertEquals("hook-poststop poststop", order.get(order.size() - 1));
        JsonNode created = Jr.JSON.readTree(log.resolve("createRuntime.json").toFile());
        assertEquals(id, created.get("id").asText());
        assertEquals("creating", created.get("status").asText());
        assertTrue(created.get("pid").asLong() > 0);
        assertEquals(bundle.toString(), created.get("bundle").asText());
        assertEquals("stopped", Jr.JSON.readTree(log.resolve("poststop.json").toFile()).get("status").asText());
        jr.assertNothingLeft();
    }

    @Test
    void aFailingCreateRuntimeHookFailsCreateAndLeavesNothing() {
        ObjectNode c = Jr.config("true");
        ObjectNode h = c.putObject("hooks").putArray("createRuntime").addObject();
        h.put("path", "/bin/sh");
        h.putArray("args").add("sh").add("-c").add("echo broken hook >&2; exit 4");
        Jr.Result r = jr.jr("create", "--bundle", jr.bundle(c).toString(), jr.newId());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("/hooks/createRuntime/0") && r.err().contains("broken hook"), r.err());
        jr.assertNothingLeft();
    }

    @Test
    void aHookThatTimesOutIsKilled() {
        ObjectNode c = Jr.config("true");
        ObjectNode h = c.putObject("hooks").putArray("prestart").addObject();
        h.put("path", "/bin/sleep");
        h.putArray("args").add("sleep").add("30");
        h.put("timeout", 1);
        long t0 = System.nanoTime();
        Jr.Result r = jr.jr("create", "--bundle", jr.bundle(c).toString(), jr.newId());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("timed out"), r.err());
        assertTrue(System.nanoTime() - t0 < 15_000_000_000L);
        jr.assertNothingLeft();
    }

    @Test
    void aFailingPoststopHookIsAWarningAndTheRestRun() throws Exception {
        Path log = Files.createDirectory(jr.work.resolve("hooklog"));
        ObjectNode c = Jr.config("true");
        ArrayNode post = c.putObject("hooks").putArray("poststop");
        ObjectNode bad = post.addObject();
        bad.put("path", "/bin/false");
        ObjectNode good = post.addObject();
        good.put("path", "/bin/sh");
        good.putArray("args").add("sh").add("-c").add("echo ran > " + log + "/second");
        String id = jr.newId();
        jr.jr("run", "--bundle", jr.bundle(c).toString(), id).ok();
        assertEquals("ran\n", Files.readString(log.resolve("second")));
        jr.assertNothingLeft();
    }
}

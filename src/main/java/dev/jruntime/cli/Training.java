package dev.jruntime.cli;

import dev.jruntime.JrError;
import dev.jruntime.cgroups.CgroupHost;
import dev.jruntime.cgroups.CgroupManager;
import dev.jruntime.cli.Main.Context;
import dev.jruntime.container.InitSession;
import dev.jruntime.container.State;
import dev.jruntime.container.StateStore;
import dev.jruntime.hooks.SavedHooks;
import dev.jruntime.json.Rfc3339;
import dev.jruntime.json.SmallJson;
import dev.jruntime.plan.CreateOptions;
import dev.jruntime.plan.Plan;
import dev.jruntime.plan.PlanBuilder;
import dev.jruntime.plan.SeccompProgram;
import dev.jruntime.seccomp.CompiledFilter;
import dev.jruntime.seccomp.SeccompCompiler;
import dev.jruntime.spec.ConfigLoader;
import dev.jruntime.spec.DefaultConfig;
import dev.jruntime.spec.LoadedConfig;
import dev.jruntime.sys.Native;
import dev.jruntime.sys.Proc;
import dev.jruntime.sys.Signals;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The AOT training runs (scripts/build-aot-cache), one JVM per cache.
 *
 * <p>A JDK 25 AOT cache loads and links every class it holds when the JVM starts, whatever the
 * verb runs, so a single cache trained over `create` made `state` load ~2,900 classes where it
 * needs ~1,100. Each hot verb therefore has a cache of its own, trained by running just that
 * verb (its normal and error paths) through {@link Main#run} on made-up containers, and the
 * launcher picks the cache by verb:
 * <ul>
 * <li>{@code state}, {@code kill}, {@code start}, {@code delete}, {@code list}: that verb;
 * <li>{@code other}: --version, usage errors, and the verbs without a cache of their own
 *     (pause, resume, ps, events) start from this small one;
 * <li>{@code create}: the path of create (and run) that can run without a container: config
 *     loading and validation, planning, seccomp compilation, state I/O, cgroup detection, a
 *     jruntime-init round trip; nothing else, since every class it holds is loaded by every create;
 * <li>{@code exec}: the same plus exec's and update's inputs, the features document and an FFM
 *     call, for exec, update, spec and features.
 * </ul>
 * A hidden verb: it only runs with -Djruntime.training=true, in a scratch directory given as
 * its argument. Nothing here signals a process.
 */
final class Training {
    private Training() {}

    /** The calls each hot group makes, after {@code --root <scratch root>}. */
    private static final Map<String, String[][]> HOT_CALLS = Map.of(
            "state", new String[][] {
                {"state", "running"}, {"state", "stopped"},
                {"--log", "@log", "--log-format", "json", "state", "none"}},
            "kill", new String[][] {
                {"kill", "running", "TERM"}, {"kill", "--all", "running", "KILL"},
                {"kill", "stopped", "KILL"}, {"kill", "--all", "stopped", "15"}, {"kill", "none", "TERM"}},
            "start", new String[][] {{"start", "stopped"}, {"start", "running"}, {"start", "none"}},
            "delete", new String[][] {
                {"delete", "running"}, {"delete", "--force", "running"}, {"delete", "stopped"},
                {"delete", "--force", "none"}, {"delete", "none"}},
            "list", new String[][] {{"list"}, {"list", "--format", "json"}, {"list", "-q"}},
            "other", new String[][] {{"--version"}, {"no-such-verb"}, {"pause", "none"}});

    static int run(Context ctx, List<String> argv) {
        if (!Boolean.getBoolean("jruntime.training") || argv.size() != 2
                || !(HOT_CALLS.containsKey(argv.get(0)) || argv.get(0).equals("create") || argv.get(0).equals("exec"))) {
            throw JrError.usage("unknown command \"training\" (see jruntime --help)");
        }
        String group = argv.get(0);
        Path scratch = Path.of(argv.get(1));
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
        List<String> failures = new ArrayList<>();
        if (HOT_CALLS.containsKey(group)) {
            step(failures, group, () -> hotCalls(scratch, HOT_CALLS.get(group), sink));
        } else {
            step(failures, "args", () -> {
                Args.parse(List.of("--bundle", "b", "--pid-file=p", "--console-socket", "s", "id"),
                        List.of(Args.value("--bundle", "-b"), Args.value("--pid-file"), Args.value("--console-socket")), "create");
                Signals.parse("SIGKILL");
                Signals.parse("15");
            });
            step(failures, "create path", () -> createPath(ctx, scratch, sink));
            if (group.equals("exec")) {
                step(failures, "features", () -> Features.write(sink));
                step(failures, "exec and update inputs", () -> {
                    ConfigLoader.loadResources("training", new ByteArrayInputStream(
                            "{\"memory\":{\"limit\":1048576},\"cpu\":{\"shares\":512}}".getBytes(StandardCharsets.UTF_8)));
                    ConfigLoader.parseProcess("training", "{\"args\":[\"sh\"],\"cwd\":\"/\"}".getBytes(StandardCharsets.UTF_8),
                            new ArrayList<>());
                });
                step(failures, "native", () -> Native.kill(ProcessHandle.current().pid(), 0));
            }
            step(failures, "errors", () -> Main.run(new String[] {"--root", scratch.resolve("root").toString(), "state", "none"}, sink, sink));
        }
        failures.forEach(f -> ctx.log().warn("training: " + f));
        return 0;
    }

    /**
     * Runs one group's calls on two made-up containers: "running", whose init is this JVM, and
     * "stopped", whose init is gone, each with cgroups in a fake v1 tree under the scratch dir
     * (so that status, kill --all and delete walk their cgroup code). {@code @log} stands for a
     * log file in the scratch dir. Nothing is signalled: sending to "running" reaches
     * ProcessHandle.destroy of this very JVM, which refuses with IllegalStateException.
     */
    private static void hotCalls(Path scratch, String[][] calls, PrintStream sink) throws Exception {
        String root = scratch.resolve("hot-root").toString();
        StateStore store = new StateStore(Path.of(root));
        ProcessHandle self = ProcessHandle.current();
        long selfStart = Proc.stat(self.pid()).startTime();
        for (String id : List.of("running", "stopped")) {
            Path dir = store.createDir(id);
            boolean running = id.equals("running");
            Path freezer = Files.createDirectories(scratch.resolve("cg/freezer/" + id));
            Path devices = Files.createDirectories(scratch.resolve("cg/devices/" + id));
            Map<String, Path> dirs = new LinkedHashMap<>();
            dirs.put("devices", devices);
            if (running) {
                dirs.put("freezer", freezer);
                Files.writeString(freezer.resolve("freezer.state"), "THAWED\n");
                Files.writeString(devices.resolve("cgroup.procs"), "");
            }
            // "stopped" owns its (empty) devices dir, so delete removes it as it would a cgroup
            Map<String, String> cgroups = CgroupManager.v1State(dirs, running ? List.of() : List.of(devices));
            store.save(new State(State.OCI_VERSION, id, running ? self.pid() : Integer.MAX_VALUE, "created",
                    scratch.toString(), scratch.resolve("rootfs").toString(), "2026-01-01T00:00:00Z",
                    Map.of("a", "b"), running ? selfStart : 1, cgroups, !running));
            Files.writeString(dir.resolve(StateStore.CONFIG_COPY),
                    "{\"ociVersion\":\"1.3.0\",\"process\":{\"args\":[\"sh\"]},\"hooks\":{\"poststart\":[],\"poststop\":[]}}");
            SavedHooks.save(dir, null);
        }
        for (String[] call : calls) {
            List<String> argv = new ArrayList<>(List.of("--root", root));
            for (String a : call) argv.add(a.equals("@log") ? scratch.resolve("log.json").toString() : a);
            try {
                Main.run(argv.toArray(String[]::new), sink, sink);
            } catch (IllegalStateException refused) {
                // "destroy of current process not allowed": the signal path, walked to its end
            }
        }
        // what start does after releasing the fifo, which no made-up container can reach: the
        // watchdog's sleep and reading the poststart hooks (small, but loaded from the jar else)
        Thread.sleep(1);
        SavedHooks.load(store.dir("stopped"), StateStore.CONFIG_COPY);
        for (String id : store.ids()) store.remove(id);
    }

    private static void createPath(Context ctx, Path scratch, PrintStream sink) throws Exception {
        Path bundle = Files.createDirectories(scratch.resolve("bundle"));
        Files.createDirectories(bundle.resolve("rootfs"));
        // built with SmallJson, as create reads it: a jackson ObjectMapper here would be in the cache
        Map<String, Object> config = SmallJson.parseObject(DefaultConfig.text().getBytes(StandardCharsets.UTF_8));
        SmallJson.object(config.get("process"), "/process").put("terminal", false);
        try (InputStream in = Training.class.getResourceAsStream("training-seccomp.json")) {
            SmallJson.object(config.get("linux"), "/linux").put("seccomp", SmallJson.parse(in.readAllBytes()));
        }
        config.put("hooks", Map.of("poststop", List.of(Map.of("path", "/bin/true"))));
        Files.writeString(bundle.resolve("config.json"), new SmallJson.Writer(false).any(config).toString());
        ConfigLoader.Deferred deferred = ConfigLoader.loadDeferred(bundle); // as create loads it
        deferred.awaitSchema();
        LoadedConfig cfg = deferred.config();

        StateStore store = new StateStore(scratch.resolve("root"));
        Path dir = store.createDir("training");
        CreateOptions opts = new CreateOptions("training", bundle, null, null, 0, false, false, false);
        PlanBuilder planner = new PlanBuilder(cfg.spec(), bundle.resolve("rootfs"), dir, opts,
                ProcessHandle.current().pid(), (p, dest, ro, cgns, origin) -> { });
        CompiledFilter f = SeccompCompiler.compile(cfg.spec().linux().seccomp());
        SeccompProgram prog = new SeccompProgram(f.program(), f.filterFlags(), -1, "");
        State state = new State(State.OCI_VERSION, "training", 1, "created", bundle.toString(),
                bundle.resolve("rootfs").toString(), "2026-01-01T00:00:00Z", Map.of(), 1, Map.of(), true);
        planner.stage1(prog).encode();
        planner.container(StateStore.ociJson(state, "creating"), prog).encode();
        store.save(state);
        StateStore.writeOciState(sink, store.load("training"), "stopped");
        Files.copy(bundle.resolve("config.json"), dir.resolve(StateStore.CONFIG_COPY));
        SavedHooks.save(dir, cfg.spec().hooks());
        SavedHooks.load(dir, StateStore.CONFIG_COPY);
        store.ids();
        store.remove("training");

        CgroupHost host = CgroupHost.detect();
        CgroupManager.open(host, null, "training", false).toState();

        Rfc3339.now();
        Proc.stat(ProcessHandle.current().pid());

        // the create verb itself, as far as it goes without making anything: a config naming
        // the root cgroup is refused when the cgroups are opened, after the config is loaded,
        // the state dir made, seccomp compiled; create then undoes what it did
        Path stopsAtCgroups = Files.createDirectories(scratch.resolve("bundle-root-cgroup"));
        Files.createDirectories(stopsAtCgroups.resolve("rootfs"));
        SmallJson.object(config.get("linux"), "/linux").put("cgroupsPath", "/");
        Files.writeString(stopsAtCgroups.resolve("config.json"), new SmallJson.Writer(false).any(config).toString());
        Main.run(new String[] {"--root", scratch.resolve("root").toString(), "create", "--bundle", stopsAtCgroups.toString(),
            "--pid-file", scratch.resolve("pid").toString(), "training-create"}, sink, sink);

        // a jruntime-init round trip with an empty plan: pipes, process spawn, frames
        if (Files.isExecutable(ctx.initBinary())) {
            try (InitSession s = InitSession.start(ctx.initBinary())) {
                s.sendPlan(new Plan());
                s.receive();
                s.waitForStage1();
            }
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void step(List<String> failures, String name, Step s) {
        try {
            s.run();
        } catch (Exception e) {
            failures.add(name + ": " + e);
        }
    }
}

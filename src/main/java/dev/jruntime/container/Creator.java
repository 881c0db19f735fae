package dev.jruntime.container;

import dev.jruntime.JrError;
import dev.jruntime.hooks.HookRunner;
import dev.jruntime.hooks.SavedHooks;
import dev.jruntime.json.Rfc3339;
import dev.jruntime.plan.CreateOptions;
import dev.jruntime.plan.Plan;
import dev.jruntime.plan.PlanBuilder;
import dev.jruntime.plan.SeccompProgram;
import dev.jruntime.spec.ConfigLoader;
import dev.jruntime.spec.LoadedConfig;
import dev.jruntime.spec.LinuxSpec;
import dev.jruntime.spec.Spec;
import dev.jruntime.sys.Proc;
import dev.jruntime.terminal.TerminalRelay;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * `create`: config → validated model → cgroups → jruntime-init → a container init blocked on
 * exec.fifo, state.json and the pid file written. A failure at any step undoes every earlier
 * step: no state dir, cgroup, process or mount is left behind.
 */
public final class Creator {
    /** Annotation that turns on the reaping init (DESIGN §6). */
    public static final String INIT_ANNOTATION = "dev.jruntime.init";

    private final StateStore store;
    private final Path initBinary;
    private final boolean systemdCgroup;
    private final Consumer<String> warn;

    public Creator(StateStore store, Path initBinary, boolean systemdCgroup, Consumer<String> warn) {
        this.store = store;
        this.initBinary = initBinary;
        this.systemdCgroup = systemdCgroup;
        this.warn = warn;
    }

    /**
     * A created container; with {@code foreground}, stage 1 is still waiting for it, and
     * {@code terminal} is the relay holding its pty master when jruntime itself is the
     * terminal's receiver (a terminal without --console-socket), else null.
     */
    public record Created(State state, InitSession session, TerminalRelay terminal) {}

    /** Detached (create, run --detach) with a terminal and no console socket: nobody could get the pty. */
    static final String DETACHED_TTY = "cannot allocate tty if jruntime will detach without setting console socket";

    public Created create(CreateOptions opts) {
        StateStore.checkId(opts.id());
        if (!Files.isDirectory(opts.bundle())) {
            throw JrError.path("bundle", opts.bundle(), "no such directory");
        }
        // jruntime-init starts first: its exec goes on while the config is read and the
        // cgroups are made (it waits for its plan)
        InitSession session = InitSession.spawn(initBinary);
        // the schema check goes on beside the cgroups and the clone; an error of any step
        // yields to the schema's, so messages are those of a check-first create
        ConfigLoader.Deferred config;
        try {
            config = ConfigLoader.loadDeferred(opts.bundle());
        } catch (RuntimeException e) {
            end(session);
            throw e;
        }
        HeldWarnings held = new HeldWarnings(warn);
        try {
            return create(opts, config, held, session);
        } catch (RuntimeException e) {
            RuntimeException reported = config.orSchemaError(e);
            if (reported == e) held.release(); // a valid config: its warnings, then the error
            throw reported;
        }
    }

    /** Warnings kept until the schema check has passed: an invalid config gets its error alone. */
    private static final class HeldWarnings implements Consumer<String> {
        private final Consumer<String> out;
        private List<String> held = new ArrayList<>();

        HeldWarnings(Consumer<String> out) {
            this.out = out;
        }

        @Override
        public void accept(String w) {
            if (held != null) held.add(w);
            else out.accept(w);
        }

        void release() {
            List<String> h = held;
            held = null;
            if (h != null) h.forEach(out);
        }
    }

    /** Owns {@code session}: ends it on any failure. */
    private Created create(CreateOptions opts, ConfigLoader.Deferred config, HeldWarnings held, InitSession session) {
        LoadedConfig cfg = config.config();
        Spec spec = cfg.spec();
        Path rootfs;
        boolean relay;
        Path dir;
        try {
            cfg.warnings().forEach(held);
            if (spec.process() == null) throw JrError.config("/process", "a process is required to create a container");
            rootfs = opts.bundle().resolve(spec.root().path()).normalize();
            if (!Files.isDirectory(rootfs)) {
                throw JrError.config("/root/path", "rootfs " + rootfs + ": no such directory");
            }
            relay = Boolean.TRUE.equals(spec.process().terminal()) && opts.consoleSocket() == null;
            if (relay && !opts.foreground()) throw JrError.of(DETACHED_TTY);
            dir = store.createDir(opts.id());
        } catch (RuntimeException e) {
            end(session);
            throw e;
        }
        boolean reaper = opts.reapingInit() || "true".equals(annotation(spec, INIT_ANNOTATION));
        Cgroups cgroups = null;
        Cgroups.Joining joining = null;
        TerminalRelay terminal = null;
        long pid = -1;
        CreateOptions o = opts;
        try {
            if (relay) terminal = TerminalRelay.listen(store.root());
            o = new CreateOptions(opts.id(), opts.bundle(), opts.pidFile(),
                    relay ? terminal.socketPath() : opts.consoleSocket(),
                    opts.preserveFds(), opts.noPivot(), reaper, opts.foreground());
            Files.write(dir.resolve(StateStore.CONFIG_COPY), cfg.raw());
            SavedHooks.save(dir, spec.hooks());
            SeccompProgram seccomp = Seccomp.compile(spec, held);
            cgroups = Cgroups.make(spec, o.id(), systemdCgroup);
            joining = cgroups.addProcessAsync(session.process().pid());
            cgroups.apply(spec, held);
            PlanBuilder planner = new PlanBuilder(spec, rootfs, dir, o, ProcessHandle.current().pid(), cgroups::planMounts);

            Plan stage1 = planner.stage1(seccomp);
            Cgroups.Joining joined = joining;
            joining = null;
            joined.await(); // the init is in every cgroup before it can clone
            session.sendPlan(stage1);
            InitSession.Message m = session.receive();
            if (m.isError()) throw InitErrors.of(stage1, m);
            if (m.type() != 'p') throw JrError.of("jruntime-init exited before creating the container init");
            pid = m.value();
            config.awaitSchema(); // before anything of the user's runs or is written for good
            held.release();

            writeIdMaps(pid, spec.linux(), planner.createsUserNamespace());
            if (spec.process().oomScoreAdj() != null) {
                writeProcFile(pid, "oom_score_adj", spec.process().oomScoreAdj().toString(), "/process/oomScoreAdj");
            }
            State state = new State(State.OCI_VERSION, o.id(), pid, Status.CREATED, o.bundle().toString(),
                    rootfs.toString(), Rfc3339.now(), annotations(spec), 0, cgroups.toState(),
                    planner.hasPidNamespace());
            Plan init = planner.container(StateStore.ociJson(state, "creating"), Seccomp.withListenerState(seccomp, spec, state));
            session.sendPlan(init);
            while (true) {
                m = session.receive();
                if (m.isError()) throw InitErrors.of(init, m);
                if (m == InitSession.EOF) throw JrError.of("container init exited during setup");
                if (m.type() == 'r') break;
                if (m.type() == 's') {
                    runCreateRuntimeHooks(spec, StateStore.ociJson(state, "creating"));
                    session.sendContinue();
                }
            }
            Proc.Stat st = Proc.stat(pid);
            if (st == null) throw JrError.of("container init exited during setup");
            state = new State(state.ociVersion(), state.id(), pid, Status.CREATED, state.bundle(), state.rootfs(),
                    state.created(), state.annotations(), st.startTime(), state.cgroups(), state.ownPidNamespace());
            store.save(state);
            if (o.pidFile() != null) writePidFile(o.pidFile(), pid);
            if (!o.foreground()) {
                session.close();
                session.waitForStage1();
                session = null;
            }
            return new Created(state, session, terminal);
        } catch (IOException e) {
            undo(o.id(), pid, session, terminal, cgroups, joining);
            throw JrError.of("create container " + o.id(), e);
        } catch (RuntimeException e) {
            undo(o.id(), pid, session, terminal, cgroups, joining);
            throw e;
        }
    }

    private void runCreateRuntimeHooks(Spec spec, String state) {
        HookRunner hooks = new HookRunner(initBinary);
        hooks.runAll(spec.hooks().prestart(), "/hooks/prestart", state);
        hooks.runAll(spec.hooks().createRuntime(), "/hooks/createRuntime", state);
    }

    /** Everything create did, undone in reverse: processes, cgroups, state dir. */
    private void undo(String id, long pid, InitSession session, TerminalRelay terminal, Cgroups cgroups,
                      Cgroups.Joining joining) {
        if (joining != null) {
            try {
                joining.await(); // no write to cgroup.procs may race the kill and the rmdir below
            } catch (RuntimeException alreadyFailing) {
                // the error being reported is the earlier one
            }
        }
        if (pid > 0) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        if (session != null) end(session);
        if (terminal != null) terminal.close();
        if (pid > 0) Lifecycle.waitGone(pid, 2000);
        if (cgroups != null) {
            try {
                cgroups.destroy();
            } catch (RuntimeException e) {
                warn.accept("cleanup: " + e.getMessage());
            }
        }
        store.remove(id);
    }

    /** Kills jruntime-init (stage 1) and waits for it. */
    private static void end(InitSession session) {
        session.process().destroyForcibly();
        session.close();
        session.waitForStage1();
    }

    private static void writeIdMaps(long pid, LinuxSpec linux, boolean newUserNs) {
        if (!newUserNs) return;
        writeProcFile(pid, "uid_map", idMap(linux.uidMappings()), "/linux/uidMappings");
        writeProcFile(pid, "gid_map", idMap(linux.gidMappings()), "/linux/gidMappings");
    }

    private static String idMap(List<LinuxSpec.IdMapping> maps) {
        StringBuilder sb = new StringBuilder();
        if (maps != null) {
            for (LinuxSpec.IdMapping m : maps) {
                sb.append(m.containerID()).append(' ').append(m.hostID()).append(' ').append(m.size()).append('\n');
            }
        }
        return sb.toString();
    }

    private static void writeProcFile(long pid, String name, String value, String origin) {
        Path f = Path.of("/proc", Long.toString(pid), name);
        try {
            Files.writeString(f, value);
        } catch (IOException e) {
            throw JrError.config(origin, "write " + f + ": " + JrError.reason(e));
        }
    }

    /** The pid in decimal without a newline, written atomically (containerd Atoi's the whole file). */
    static void writePidFile(Path file, long pid) {
        Path abs = file.toAbsolutePath();
        Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, Long.toString(pid), StandardCharsets.US_ASCII);
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw JrError.path("write pid file", abs, JrError.reason(e));
        }
    }

    private static Map<String, String> annotations(Spec spec) {
        return spec.annotations() == null ? Map.of() : new HashMap<>(spec.annotations());
    }

    private static String annotation(Spec spec, String key) {
        return spec.annotations() == null ? null : spec.annotations().get(key);
    }
}

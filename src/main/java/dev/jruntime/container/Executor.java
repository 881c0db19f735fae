package dev.jruntime.container;

import dev.jruntime.JrError;
import dev.jruntime.plan.ExecPlanBuilder;
import dev.jruntime.plan.Plan;
import dev.jruntime.plan.SeccompProgram;
import dev.jruntime.spec.LinuxSpec;
import dev.jruntime.spec.ProcessSpec;
import dev.jruntime.spec.Spec;
import dev.jruntime.terminal.TerminalRelay;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** `exec`: a new process inside a running container's namespaces and cgroups. */
public final class Executor {
    private final StateStore store;
    private final Path initBinary;
    private final Consumer<String> warn;

    public Executor(StateStore store, Path initBinary, Consumer<String> warn) {
        this.store = store;
        this.initBinary = initBinary;
        this.warn = warn;
    }

    /**
     * What to run.
     *
     * @param process      the full process, or null to build it from the container's own
     *                     process and the other fields (runc's flags)
     */
    public record ExecOptions(
            String id,
            ProcessSpec process,
            List<String> args,
            List<String> env,
            String cwd,
            Long uid,
            Long gid,
            List<Long> additionalGids,
            List<String> addCaps,
            boolean noNewPrivs,
            boolean tty,
            String consoleSocket,
            boolean detach,
            Path pidFile,
            int preserveFds) {}

    /** The container's saved config: what exec inherits from it. */
    public Spec savedConfig(String id) {
        Path saved = store.dir(id).resolve(StateStore.CONFIG_COPY);
        try {
            return dev.jruntime.spec.ConfigLoader.parse(java.nio.file.Files.readAllBytes(saved)).spec();
        } catch (java.io.IOException e) {
            throw JrError.of("read " + saved, e);
        }
    }

    /** Runs the process; returns its exit status (foreground) or 0 (detached). */
    public int exec(ExecOptions o) {
        Lifecycle.Snapshot snap = new Lifecycle(store, initBinary, warn).snapshot(o.id());
        switch (snap.status()) {
            case Status.STOPPED -> throw JrError.of("cannot exec in a stopped container");
            case Status.PAUSED -> throw JrError.of("cannot exec in a paused container");
            default -> { }
        }
        State state = snap.state();
        Spec saved = savedConfig(o.id());
        ProcessSpec proc = o.process() != null ? o.process() : fromFlags(saved.process(), o);
        if (proc.args() == null || proc.args().isEmpty()) throw JrError.usage("exec: a command is required");
        boolean relay = Boolean.TRUE.equals(proc.terminal()) && o.consoleSocket() == null;
        if (relay && o.detach()) throw JrError.of(Creator.DETACHED_TTY);
        if (relay) {
            // the process runs as soon as its pty exists: give it jruntime's size from the start
            int[] size = TerminalRelay.hostWindowSize();
            if (size != null) proc = proc.withConsoleSize(new ProcessSpec.ConsoleSize((long) size[0], (long) size[1]));
        }
        List<String> nsTypes = new ArrayList<>();
        if (saved.linux() != null && saved.linux().namespaces() != null) {
            for (LinuxSpec.Namespace ns : saved.linux().namespaces()) nsTypes.add(ns.type());
        }
        SeccompProgram seccomp = Seccomp.compile(saved, warn);
        Plan child = ExecPlanBuilder.process(proc, proc.rlimits(), o.preserveFds(), seccomp); // fails before anything runs
        try (TerminalRelay tty = relay ? TerminalRelay.listen(store.root()) : null) {
            Plan stage1 = ExecPlanBuilder.stage1(state.pid(), nsTypes, relay ? tty.socketPath() : o.consoleSocket(),
                    o.preserveFds(), Seccomp.listenerPath(seccomp, saved), ProcessHandle.current().pid(), o.detach());
            try (InitSession session = InitSession.start(initBinary)) {
                Cgroups.fromState(state).addProcess(session.process().pid());
                session.sendPlan(stage1);
                InitSession.Message m = session.receive();
                if (m.isError()) throw InitErrors.of(stage1, m);
                if (m.type() != 'p') throw JrError.of("exec: jruntime-init exited before starting the process");
                long pid = m.value();
                if (Seccomp.listenerPath(seccomp, saved) != null) {
                    // the listener's message names the exec'd process: known only now
                    child = ExecPlanBuilder.process(proc, proc.rlimits(), o.preserveFds(),
                            Seccomp.withExecListenerState(seccomp, saved, state, pid));
                }
                session.sendPlan(child);
                m = session.receive();
                if (m.isError()) throw InitErrors.of(child, m);
                if (o.pidFile() != null) Creator.writePidFile(o.pidFile(), pid);
                if (tty != null) tty.attach(); // the process sent its pty master before it exec'd
                int status = session.waitForStage1();
                if (tty != null) tty.drain();
                return o.detach() ? 0 : status;
            }
        }
    }

    /** runc's rules for exec without --process: the container's process, adjusted by flags. */
    private static ProcessSpec fromFlags(ProcessSpec base, ExecOptions o) {
        List<String> env = new ArrayList<>(base.env() == null ? List.of() : base.env());
        for (String e : o.env()) {
            String key = e.contains("=") ? e.substring(0, e.indexOf('=') + 1) : e + "=";
            env.removeIf(x -> x.startsWith(key));
            env.add(e);
        }
        ProcessSpec.User bu = base.user();
        Long uid = o.uid() != null ? o.uid() : bu == null ? null : bu.uid();
        Long gid = o.gid() != null ? o.gid() : o.uid() != null ? Long.valueOf(0) : bu == null ? null : bu.gid();
        List<Long> groups = new ArrayList<>(bu == null || bu.additionalGids() == null || o.uid() != null ? List.of() : bu.additionalGids());
        groups.addAll(o.additionalGids());
        ProcessSpec.User user = new ProcessSpec.User(uid, gid, bu == null ? null : bu.umask(), groups, null);
        ProcessSpec.Capabilities caps = base.capabilities();
        if (!o.addCaps().isEmpty()) {
            caps = new ProcessSpec.Capabilities(
                    plus(caps == null ? null : caps.bounding(), o.addCaps()),
                    plus(caps == null ? null : caps.effective(), o.addCaps()),
                    caps == null ? null : caps.inheritable(),
                    plus(caps == null ? null : caps.permitted(), o.addCaps()),
                    caps != null && caps.inheritable() != null && !caps.inheritable().isEmpty()
                            ? plus(caps.ambient(), o.addCaps()) : caps == null ? null : caps.ambient());
        }
        boolean nnp = o.noNewPrivs() || Boolean.TRUE.equals(base.noNewPrivileges());
        return new ProcessSpec(o.tty(), null, o.cwd() != null ? o.cwd() : base.cwd(), env, o.args(), null,
                base.rlimits(), null, caps, nnp, null, null, null, null, null, user);
    }

    private static List<String> plus(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a == null ? List.of() : a);
        for (String s : b) {
            String name = s.startsWith("CAP_") ? s : "CAP_" + s;
            if (!out.contains(name)) out.add(name);
        }
        return out;
    }
}

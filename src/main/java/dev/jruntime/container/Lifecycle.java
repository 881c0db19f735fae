package dev.jruntime.container;

import dev.jruntime.JrError;
import dev.jruntime.hooks.HookRunner;
import dev.jruntime.hooks.SavedHooks;
import dev.jruntime.sys.Native;
import dev.jruntime.sys.Proc;
import dev.jruntime.sys.Signals;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * The verbs on an existing container: start, kill, delete. They read state.json with
 * jackson-core only and make no native call unless a signal other than TERM/KILL is sent.
 */
public final class Lifecycle {
    private final StateStore store;
    private final Path initBinary;
    private final Consumer<String> warn;

    public Lifecycle(StateStore store, Path initBinary, Consumer<String> warn) {
        this.store = store;
        this.initBinary = initBinary;
        this.warn = warn;
    }

    /** The state and its live status. */
    public record Snapshot(State state, String status) {}

    public Snapshot snapshot(String id) {
        State s = store.load(id);
        return new Snapshot(s, Status.of(s, store.dir(id)));
    }

    // --- start ----------------------------------------------------------------------------

    public void start(String id) {
        try (FileLock lock = store.lock(id)) {
            Snapshot snap = snapshot(id);
            switch (snap.status()) {
                case Status.CREATED -> { }
                case Status.STOPPED -> throw JrError.of("cannot start a container that has stopped");
                default -> throw JrError.of("cannot start an already running container");
            }
            releaseFifo(snap.state());
            List<dev.jruntime.spec.Spec.Hook> poststart = hooks(id).poststart();
            if (!poststart.isEmpty()) {
                String json = StateStore.ociJson(snap.state(), Status.RUNNING);
                try {
                    new HookRunner(initBinary).runAll(poststart, "/hooks/poststart", json);
                } catch (JrError e) {
                    // a failing poststart hook fails `start` and stops the container (runtime-spec)
                    signal(snap.state(), Signals.SIGKILL, true);
                    throw e;
                }
            }
        } catch (IOException e) {
            throw JrError.of("start " + id, e);
        }
    }

    /**
     * Opens exec.fifo for reading, which unblocks the init waiting to open it for writing;
     * then removes it so the status becomes "running". If the init dies meanwhile, a watchdog
     * opens the fifo for writing itself so that this open cannot block forever.
     */
    private void releaseFifo(State s) throws IOException {
        Path fifo = store.dir(s.id()).resolve(StateStore.FIFO);
        Thread watchdog = new FifoWatchdog(s.pid(), s.initStartTime(), fifo);
        watchdog.start();
        byte[] got;
        try (InputStream in = Files.newInputStream(fifo)) {
            got = in.readAllBytes();
        } catch (NoSuchFileException e) {
            throw JrError.of("cannot start an already running container");
        } finally {
            watchdog.interrupt();
        }
        Files.deleteIfExists(fifo);
        if (got.length == 0) throw JrError.of("cannot start container " + s.id() + ": its init exited");
    }

    /**
     * Unblocks {@link #releaseFifo}'s open if the init dies before opening its end. A class,
     * not a lambda on a thread builder: `start` never runs this in the AOT training (there is
     * no init to release), and a lambda would then be spun at run time, ~2 ms.
     */
    private static final class FifoWatchdog extends Thread {
        private final long pid;
        private final long startTime;
        private final Path fifo;

        FifoWatchdog(long pid, long startTime, Path fifo) {
            super("jruntime-fifo-watchdog");
            setDaemon(true);
            this.pid = pid;
            this.startTime = startTime;
            this.fifo = fifo;
        }

        @Override
        public void run() {
            try {
                while (Proc.isAlive(pid, startTime)) Thread.sleep(20);
                try (var unblock = Files.newOutputStream(fifo)) {
                    // opening is all it takes
                }
            } catch (InterruptedException | IOException ignored) {
                // interrupted: the init took the fifo; IOException: the fifo is gone already
            }
        }
    }

    // --- kill -----------------------------------------------------------------------------

    public void kill(String id, int signal, boolean all) {
        Snapshot snap = snapshot(id);
        if (snap.status().equals(Status.STOPPED)) throw JrError.of("container not running");
        signal(snap.state(), signal, all);
        if (snap.status().equals(Status.PAUSED) && signal == Signals.SIGKILL) {
            // a frozen task only dies once thawed
            Cgroups.fromState(snap.state()).thaw();
        }
    }

    private static void signal(State s, int signal, boolean all) {
        if (all) {
            for (long pid : Cgroups.fromState(s).pids()) send(pid, signal);
        }
        send(s.pid(), signal);
    }

    static void send(long pid, int signal) {
        if (signal == Signals.SIGKILL || signal == Signals.SIGTERM) {
            // ProcessHandle sends TERM/KILL without loading the FFM machinery (~15 ms vs ~50)
            ProcessHandle.of(pid).ifPresent(p -> {
                if (signal == Signals.SIGKILL) p.destroyForcibly();
                else p.destroy();
            });
            return;
        }
        int err = Native.kill(pid, signal);
        if (err != 0 && err != Native.ESRCH) {
            throw JrError.of("kill " + pid + " " + Signals.name(signal) + ": errno " + err);
        }
    }

    // --- delete ---------------------------------------------------------------------------

    public void delete(String id, boolean force) {
        StateStore.checkId(id);
        if (!store.exists(id)) {
            if (force) return;
            throw StateStore.doesNotExist(id);
        }
        try (FileLock lock = store.lock(id)) {
            State s;
            try {
                s = store.load(id);
            } catch (JrError e) {
                // a state dir without state.json: a create that died half-way; nothing runs
                if (!force) throw e;
                store.remove(id);
                return;
            }
            String status = Status.of(s, store.dir(id));
            if (!force && (status.equals(Status.RUNNING) || status.equals(Status.PAUSED))) {
                throw JrError.of("cannot delete container " + id + " that is not stopped: " + status);
            }
            Cgroups cgroups = Cgroups.fromState(s);
            if (!status.equals(Status.STOPPED)) {
                send(s.pid(), Signals.SIGKILL);
                if (status.equals(Status.PAUSED)) cgroups.thaw();
            }
            if (!s.ownPidNamespace()) {
                for (long pid : cgroups.pids()) send(pid, Signals.SIGKILL);
            }
            waitGone(s.pid(), s.initStartTime(), 5000);
            cgroups.destroy();
            List<dev.jruntime.spec.Spec.Hook> poststop = hooks(id).poststop();
            if (!poststop.isEmpty()) {
                new HookRunner(initBinary).runAllWarning(poststop, "/hooks/poststop",
                        StateStore.ociJson(s, Status.STOPPED), warn);
            }
            store.remove(id);
        } catch (IOException e) {
            throw JrError.of("delete " + id, e);
        }
    }

    private SavedHooks.Hooks hooks(String id) {
        return SavedHooks.load(store.dir(id), StateStore.CONFIG_COPY);
    }

    /** Waits up to {@code millis} for a process to be gone (or a zombie). */
    static void waitGone(long pid, long millis) {
        Proc.Stat st = Proc.stat(pid);
        if (st != null) waitGone(pid, st.startTime(), millis);
    }

    static void waitGone(long pid, long startTime, long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (Proc.isAlive(pid, startTime) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}

package dev.jruntime.container;

import dev.jruntime.JrError;
import dev.jruntime.cgroups.CgroupManager;
import dev.jruntime.cgroups.StatsJson;
import dev.jruntime.spec.Resources;
import java.io.PrintStream;
import java.nio.channels.FileLock;
import java.util.List;
import java.util.function.Consumer;

/**
 * The verbs that act on a container's cgroups: pause, resume, ps, update, events. They
 * rebuild the cgroup manager from state.json: no config is read.
 */
public final class Control {
    private final StateStore store;
    private final Consumer<String> warn;

    public Control(StateStore store, Consumer<String> warn) {
        this.store = store;
        this.warn = warn;
    }

    private record Live(State state, String status, CgroupManager cgroups) {}

    private Live live(String id) {
        State s = store.load(id);
        return new Live(s, Status.of(s, store.dir(id)), CgroupManager.fromState(s.cgroups()));
    }

    public void pause(String id) {
        try (FileLock lock = store.lock(id)) {
            Live c = live(id);
            switch (c.status()) {
                case Status.RUNNING, Status.CREATED -> c.cgroups().freeze();
                case Status.PAUSED -> throw JrError.of("container " + id + " is already paused");
                default -> throw JrError.of("container not running");
            }
        } catch (java.io.IOException e) {
            throw JrError.of("pause " + id, e);
        }
    }

    public void resume(String id) {
        try (FileLock lock = store.lock(id)) {
            Live c = live(id);
            if (!c.status().equals(Status.PAUSED)) throw JrError.of("container " + id + " is not paused");
            c.cgroups().thaw();
        } catch (java.io.IOException e) {
            throw JrError.of("resume " + id, e);
        }
    }

    /** Host pids of every process in the container's cgroups. */
    public List<Long> pids(String id) {
        Live c = live(id);
        if (c.status().equals(Status.STOPPED)) return List.of();
        return c.cgroups().pids();
    }

    public void update(String id, Resources r) {
        try (FileLock lock = store.lock(id)) {
            Live c = live(id);
            if (c.status().equals(Status.STOPPED)) throw JrError.of("container not running");
            c.cgroups().update(r).forEach(warn);
        } catch (java.io.IOException e) {
            throw JrError.of("update " + id, e);
        }
    }

    /**
     * Prints runc's events: one stats object with {@code once}, else a stats object every
     * interval and an {@code oom} event whenever the kernel OOM-kills in the container, until
     * the container stops.
     */
    public void events(String id, boolean once, long intervalMillis, PrintStream out) {
        Live c = live(id);
        if (c.status().equals(Status.STOPPED)) throw JrError.of("container not running");
        if (once) {
            out.println(StatsJson.event(id, c.cgroups().stats()));
            return;
        }
        long ooms = c.cgroups().oomKillCount();
        long next = System.nanoTime();
        while (true) {
            boolean stopped = Status.of(c.state(), store.dir(id)).equals(Status.STOPPED);
            // read the OOM count once more after the stop: the kill that stopped it counts
            long before = ooms;
            ooms = c.cgroups().oomKillCount();
            if (ooms > before) out.println("{\"type\":\"oom\",\"id\":" + dev.jruntime.json.SmallJson.quote(id) + "}");
            if (stopped) break;
            if (System.nanoTime() >= next) {
                out.println(StatsJson.event(id, c.cgroups().stats()));
                next = System.nanoTime() + intervalMillis * 1_000_000;
            }
            out.flush();
            try {
                Thread.sleep(Math.min(intervalMillis, 100));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}

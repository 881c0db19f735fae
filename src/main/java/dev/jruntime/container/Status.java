package dev.jruntime.container;

import dev.jruntime.sys.Proc;
import java.nio.file.Files;
import java.nio.file.Path;

/** The live status of a container, derived from its processes, never trusted from disk alone. */
public final class Status {
    private Status() {}

    public static final String CREATED = "created";
    public static final String RUNNING = "running";
    public static final String PAUSED = "paused";
    public static final String STOPPED = "stopped";

    /**
     * stopped: the init is gone (or its pid now belongs to another process); created: alive and
     * exec.fifo still there; paused: frozen in its cgroup; running otherwise.
     */
    public static String of(State s, Path stateDir) {
        if (!Proc.isAlive(s.pid(), s.initStartTime())) return STOPPED;
        if (Files.exists(stateDir.resolve(StateStore.FIFO))) return CREATED;
        if (Cgroups.isFrozen(s)) return PAUSED;
        return RUNNING;
    }
}

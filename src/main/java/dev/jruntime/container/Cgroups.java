package dev.jruntime.container;

import dev.jruntime.spec.Spec;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The container package's one door to the cgroup manager (dev.jruntime.cgroups): creating
 * a container's cgroups from its config, and rebuilding the manager from state.json.
 */
final class Cgroups {
    private Cgroups() {}

    static Cgroups create(Spec spec, String id, boolean systemd, Consumer<String> warn) {
        return new Cgroups();
    }

    static Cgroups fromState(State s) {
        return new Cgroups();
    }

    static boolean isFrozen(State s) {
        return false;
    }

    void addProcess(long pid) {}

    Map<String, String> toState() {
        return Map.of();
    }

    List<Long> pids() {
        return List.of();
    }

    void thaw() {}

    void destroy() {}
}

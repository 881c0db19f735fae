package dev.jruntime.container;

import dev.jruntime.cgroups.CgroupHost;
import dev.jruntime.cgroups.CgroupManager;
import dev.jruntime.cgroups.CgroupMount;
import dev.jruntime.plan.Opcode;
import dev.jruntime.plan.Plan;
import dev.jruntime.spec.Spec;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The container package's one door to the cgroup manager (dev.jruntime.cgroups): creating
 * a container's cgroups from its config, rebuilding the manager from state.json, and turning
 * the `cgroup` mount type into plan ops.
 */
final class Cgroups {
    private final CgroupManager manager;

    private Cgroups(CgroupManager manager) {
        this.manager = manager;
    }

    /**
     * Creates the container's cgroup directories, without settings: {@link #apply} follows
     * once the init has been moved in, as in runc (join, then set).
     */
    static Cgroups make(Spec spec, String id, boolean systemd) {
        String path = spec.linux() == null ? null : spec.linux().cgroupsPath();
        CgroupManager m = CgroupManager.open(CgroupHost.detect(), path, id, systemd);
        m.create();
        return new Cgroups(m);
    }

    /** Applies linux.resources (warnings go to warn); on failure the caller destroys the cgroups. */
    void apply(Spec spec, Consumer<String> warn) {
        manager.apply(spec.linux() == null ? null : spec.linux().resources()).forEach(warn);
    }

    static Cgroups fromState(State s) {
        return new Cgroups(CgroupManager.fromState(s.cgroups()));
    }

    static boolean isFrozen(State s) {
        return s.cgroups() != null && !s.cgroups().isEmpty() && CgroupManager.fromState(s.cgroups()).isFrozen();
    }

    CgroupManager manager() {
        return manager;
    }

    void addProcess(long pid) {
        manager.addProcess(pid);
    }

    /**
     * {@link #addProcess} on a thread of its own. The first write to a v1 cgroup.procs waits
     * for an RCU grace period (6–20 ms here, asleep in the kernel): `create` applies the
     * resources and plans stage 1 meanwhile, and awaits this before the plan is sent.
     */
    Joining addProcessAsync(long pid) {
        Joining j = new Joining(manager, pid);
        j.start();
        return j;
    }

    /** The thread of {@link #addProcessAsync}. A named class: a lambda would be spun at run time. */
    static final class Joining extends Thread {
        private final CgroupManager manager;
        private final long pid;
        private volatile RuntimeException error;

        private Joining(CgroupManager manager, long pid) {
            super("jruntime-cgroup-join");
            setDaemon(true);
            this.manager = manager;
            this.pid = pid;
        }

        @Override
        public void run() {
            try {
                manager.addProcess(pid);
            } catch (RuntimeException e) {
                error = e;
            }
        }

        /** Waits for the move; throws what it failed with. */
        void await() {
            boolean interrupted = false;
            while (true) {
                try {
                    join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
            if (error != null) throw error;
        }
    }

    Map<String, String> toState() {
        return manager.toState();
    }

    List<Long> pids() {
        return manager.pids();
    }

    void thaw() {
        manager.thaw();
    }

    void destroy() {
        manager.destroy();
    }

    /** The ops of a `cgroup` mount at {@code destination} (before pivot_root, in the rootfs). */
    void planMounts(Plan p, String destination, boolean readOnly, boolean ownCgroupNamespace, String origin) {
        for (CgroupMount m : manager.containerMounts(destination, readOnly, ownCgroupNamespace)) {
            switch (m.kind()) {
                case MOUNT -> {
                    p.add(Opcode.MKDIR_IN_ROOT, origin, m.target(), 0755);
                    p.add(Opcode.MOUNT, origin, m.source(), m.target(), m.fstype(), m.flags(), m.data() == null ? "" : m.data(), 1);
                }
                case SYMLINK -> p.add(Opcode.SYMLINK_IN_ROOT, origin, m.source(), m.target());
                case REMOUNT -> p.add(Opcode.MOUNT, origin, "", m.target(), "",
                        CgroupMount.MS_BIND | CgroupMount.MS_REMOUNT | m.flags(), "", 1);
            }
        }
    }
}

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

    /** Creates the container's cgroups and applies linux.resources (warnings go to warn). */
    static Cgroups create(Spec spec, String id, boolean systemd, Consumer<String> warn) {
        String path = spec.linux() == null ? null : spec.linux().cgroupsPath();
        CgroupManager m = CgroupManager.open(CgroupHost.detect(), path, id, systemd);
        m.create();
        Cgroups c = new Cgroups(m);
        try {
            m.apply(spec.linux() == null ? null : spec.linux().resources()).forEach(warn);
        } catch (RuntimeException e) {
            m.destroy();
            throw e;
        }
        return c;
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

package dev.jruntime.cgroups;

import dev.jruntime.JrError;
import dev.jruntime.spec.Resources;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The cgroups of one container, on whatever kind of hierarchy this host has.
 *
 * <p>Life cycle as the verbs use it: {@link #open} → {@link #create()} → {@link #apply} →
 * {@link #addProcess} (the container init, before it runs anything) → {@link #toState()} into
 * state.json. Later verbs rebuild the manager with {@link #fromState} (no config, no
 * mountinfo parsing) and call {@link #freeze()}, {@link #pids()}, {@link #stats()},
 * {@link #update}, {@link #destroy()}.
 *
 * <p>Every method reports failures as {@link JrError}s naming the config field or the cgroup
 * file and the kernel's reason. Settings this host cannot honour are either errors or
 * warnings, as documented per field at the top of each implementation; warnings are returned
 * to the caller, which prints them.
 */
public interface CgroupManager {

    /**
     * The manager for a container's cgroups: resolves {@code linux.cgroupsPath} (null: the
     * default, see {@link CgroupPath}) in every hierarchy of {@code host}. Nothing is created yet.
     *
     * @param systemdDriver {@code --systemd-cgroup} was given: refused, the driver is not implemented
     */
    static CgroupManager open(CgroupHost host, String cgroupsPath, String id, boolean systemdDriver) {
        if (systemdDriver) {
            throw JrError.of("--systemd-cgroup: the systemd cgroup driver is not implemented by jruntime;"
                    + " run without it (jruntime then manages cgroupfs directly, like runc's default driver)");
        }
        CgroupPath path = CgroupPath.of(cgroupsPath, id);
        return switch (host.mode()) {
            case V1, HYBRID -> CgroupV1Manager.open(host, path);
            case UNIFIED -> CgroupV2Manager.open(host, path);
        };
    }

    /**
     * The state of a v1 manager over directories made elsewhere (the AOT training's fake tree):
     * {@code dirs} maps controller names to directories; delete removes those in {@code created}.
     */
    static Map<String, String> v1State(Map<String, Path> dirs, List<Path> created) {
        return CgroupV1Manager.stateOf(dirs, created);
    }

    /** Rebuilds a manager from what {@link #toState()} returned. */
    static CgroupManager fromState(Map<String, String> state) {
        return CgroupV1Manager.fromStateAny(state, CgroupFs.REAL);
    }

    /** Creates every missing directory of the container's cgroups and remembers which ones. */
    void create();

    /** Writes every field of {@code resources} (null: nothing); returns warnings to print. */
    List<String> apply(Resources resources);

    /** {@code update}: like {@link #apply} on a running container (only the fields given). */
    List<String> update(Resources resources);

    /** Moves {@code pid} into the container's cgroups (every hierarchy the container uses). */
    void addProcess(long pid);

    /** Freezes every process of the container; returns once the kernel reports it frozen. */
    void freeze();

    void thaw();

    boolean isFrozen();

    /** Every pid in the container's cgroup, including those of sub-cgroups. */
    List<Long> pids();

    CgroupStats stats();

    /** How many processes the OOM killer killed in the container's memory cgroup. */
    long oomKillCount();

    /**
     * Removes the directories {@link #create()} made, deepest first, retrying for about a
     * second while the last processes exit; a directory already gone is fine. A frozen
     * cgroup is thawed first: killed processes cannot exit while frozen.
     */
    void destroy();

    /** Whether the container's cgroup still exists. */
    boolean exists();

    /** Everything a later verb needs to rebuild this manager ({@link #fromState}). */
    Map<String, String> toState();

    /**
     * The primitive mounts that a {@code cgroup} mount at {@code destination} means inside the
     * container (the container has its own cgroup namespace, so each mount shows the
     * container's cgroup as root). In order; the planner turns them into MOUNT/SYMLINK ops.
     */
    List<CgroupMount> containerMounts(String destination, boolean readOnly, boolean ownCgroupNamespace);
}

package dev.jruntime.container;

import java.util.Map;

/**
 * What jruntime remembers about a container, in {@code <root>/<id>/state.json}.
 *
 * <p>The first fields are the OCI state; {@code status} on disk is only what was true when it
 * was written: readers derive the live status with {@link Status#of}. The rest is jruntime's
 * own bookkeeping: the init's start time (to detect pid reuse), the cgroups it created, and
 * whether the container has its own pid namespace (then killing the init kills everything).
 */
public record State(
        String ociVersion,
        String id,
        long pid,
        String status,
        String bundle,
        String rootfs,
        String created,
        Map<String, String> annotations,
        long initStartTime,
        Map<String, String> cgroups,
        boolean ownPidNamespace) {

    public static final String OCI_VERSION = "1.3.0";

    public State withStatus(String newStatus) {
        return new State(ociVersion, id, pid, newStatus, bundle, rootfs, created, annotations,
                initStartTime, cgroups, ownPidNamespace);
    }
}

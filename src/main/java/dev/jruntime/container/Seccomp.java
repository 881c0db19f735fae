package dev.jruntime.container;

import dev.jruntime.plan.PlanBuilder;
import dev.jruntime.plan.SeccompProgram;
import dev.jruntime.seccomp.CompiledFilter;
import dev.jruntime.seccomp.SeccompCompiler;
import dev.jruntime.spec.LinuxSpec;
import dev.jruntime.spec.Spec;
import java.util.function.Consumer;

/** The container package's door to the seccomp compiler (dev.jruntime.seccomp). */
final class Seccomp {
    private Seccomp() {}

    /**
     * Compiles linux.seccomp, or returns null when there is none. With a listenerPath, the
     * notify fd is sent to the listener with {@code listenerState} (runc's container process
     * state message; pass "" where there is no listener).
     */
    static SeccompProgram compile(Spec spec, Consumer<String> warn) {
        LinuxSpec.Seccomp sc = spec.linux() == null ? null : spec.linux().seccomp();
        if (sc == null) return null;
        CompiledFilter f = SeccompCompiler.compile(sc);
        for (String arch : f.skippedArchitectures()) warn.accept("seccomp: no syscall table for " + arch + ", not filtered");
        f.notes().forEach(n -> warn.accept("seccomp: " + n));
        boolean listener = sc.listenerPath() != null && !sc.listenerPath().isEmpty();
        return new SeccompProgram(f.program(), f.filterFlags(), listener ? PlanBuilder.FD_SECCOMP_LISTENER : -1, "");
    }

    /** runc's message to a seccomp listener: the container process state, with the fd's name. */
    static SeccompProgram withListenerState(SeccompProgram p, Spec spec, State state) {
        if (p == null || p.listenerFd() < 0) return p;
        String metadata = spec.linux().seccomp().listenerMetadata();
        String oci = StateStore.ociJson(state, Status.CREATED);
        String msg = "{\"ociVersion\":\"" + State.OCI_VERSION + "\",\"fds\":[\"seccompFd\"],\"pid\":" + state.pid()
                + ",\"metadata\":" + dev.jruntime.json.Json.quote(metadata == null ? "" : metadata)
                + ",\"state\":" + oci + "}";
        return new SeccompProgram(p.program(), p.flags(), p.listenerFd(), msg);
    }
}

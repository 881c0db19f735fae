package dev.jruntime.container;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.jruntime.json.Json;
import dev.jruntime.plan.PlanBuilder;
import dev.jruntime.plan.SeccompProgram;
import dev.jruntime.seccomp.CompiledFilter;
import dev.jruntime.seccomp.SeccompCompiler;
import dev.jruntime.spec.LinuxSpec;
import dev.jruntime.spec.Spec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;

/** The container package's door to the seccomp compiler (dev.jruntime.seccomp). */
final class Seccomp {
    private Seccomp() {}

    /**
     * Compiles linux.seccomp, or returns null when there is none. When an action is
     * SCMP_ACT_NOTIFY, the program sends its notify fd over {@link PlanBuilder#FD_SECCOMP_LISTENER}
     * (stage 1 connects it to listenerPath) with an empty message: add the container process
     * state with {@link #withListenerState} or {@link #withExecListenerState}.
     */
    static SeccompProgram compile(Spec spec, Consumer<String> warn) {
        LinuxSpec.Seccomp sc = spec.linux() == null ? null : spec.linux().seccomp();
        if (sc == null) return null;
        CompiledFilter f = SeccompCompiler.compile(sc);
        for (String arch : f.skippedArchitectures()) warn.accept("seccomp: no syscall table for " + arch + ", not filtered");
        f.notes().forEach(n -> warn.accept("seccomp: " + n));
        // the compiler refuses SCMP_ACT_NOTIFY without a listenerPath
        return new SeccompProgram(f.program(), f.filterFlags(), f.needsListener() ? PlanBuilder.FD_SECCOMP_LISTENER : -1, "");
    }

    /**
     * The seccomp notify fd of the container's own process goes to the listener with runc's
     * message for it: the container process state with status "creating" (the init loads the
     * filter during create or start, before its process runs).
     */
    static SeccompProgram withListenerState(SeccompProgram p, Spec spec, State state) {
        if (p == null || p.listenerFd() < 0) return p;
        String msg = containerProcessState(state, "creating", state.pid(), spec.linux().seccomp().listenerMetadata());
        return new SeccompProgram(p.program(), p.flags(), p.listenerFd(), msg);
    }

    /**
     * The same for a process of {@code exec}, as runc sends it: status "running", {@code pid} the
     * exec'd process, {@code state.pid} the container init.
     */
    static SeccompProgram withExecListenerState(SeccompProgram p, Spec spec, State state, long pid) {
        if (p == null || p.listenerFd() < 0) return p;
        String msg = containerProcessState(state, Status.RUNNING, pid, spec.linux().seccomp().listenerMetadata());
        return new SeccompProgram(p.program(), p.flags(), p.listenerFd(), msg);
    }

    /** The listenerPath stage 1 must connect to for this program, or null. */
    static String listenerPath(SeccompProgram p, Spec spec) {
        return p == null || p.listenerFd() < 0 ? null : spec.linux().seccomp().listenerPath();
    }

    /**
     * The runtime-spec's container process state ({@code config-linux.md}), shaped as runc sends
     * it: {@code ociVersion}, {@code fds: ["seccompFd"]}, {@code pid} (the process the filter is
     * loaded in, as the runtime sees it), {@code metadata} (listenerMetadata, left out when
     * empty) and {@code state}, the runtime-spec state of the container ({@code ociVersion},
     * {@code id}, {@code status}, {@code pid} of the container init, {@code bundle},
     * {@code annotations} when there are any) -- without jruntime's own state fields.
     */
    static String containerProcessState(State state, String status, long pid, String metadata) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = Json.compact(out)) {
            g.writeStartObject();
            g.writeStringField("ociVersion", State.OCI_VERSION);
            g.writeArrayFieldStart("fds");
            g.writeString("seccompFd");
            g.writeEndArray();
            g.writeNumberField("pid", pid);
            if (metadata != null && !metadata.isEmpty()) g.writeStringField("metadata", metadata);
            g.writeObjectFieldStart("state");
            g.writeStringField("ociVersion", state.ociVersion());
            g.writeStringField("id", state.id());
            g.writeStringField("status", status);
            g.writeNumberField("pid", state.pid());
            g.writeStringField("bundle", state.bundle());
            if (state.annotations() != null && !state.annotations().isEmpty()) {
                g.writeObjectFieldStart("annotations");
                for (Map.Entry<String, String> e : state.annotations().entrySet()) {
                    g.writeStringField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}

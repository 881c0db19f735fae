package dev.jruntime.container;

import dev.jruntime.JrError;
import dev.jruntime.plan.SeccompProgram;
import dev.jruntime.spec.Spec;
import java.util.function.Consumer;

/** The container package's door to the seccomp compiler (dev.jruntime.seccomp). */
final class Seccomp {
    private Seccomp() {}

    static SeccompProgram compile(Spec spec, Consumer<String> warn) {
        if (spec.linux() == null || spec.linux().seccomp() == null) return null;
        throw JrError.config("/linux/seccomp", "seccomp is not supported yet");
    }
}

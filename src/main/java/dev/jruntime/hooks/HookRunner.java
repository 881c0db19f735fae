package dev.jruntime.hooks;

import dev.jruntime.JrError;
import dev.jruntime.container.InitSession;
import dev.jruntime.plan.Op;
import dev.jruntime.plan.Plan;
import dev.jruntime.plan.PlanBuilder;
import dev.jruntime.spec.Spec;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs the hooks that execute in the runtime's namespaces (prestart, createRuntime, poststart,
 * poststop). They are HOOK ops run by jruntime-init in the host namespaces, the same code that
 * runs createContainer/startContainer inside the container: one implementation of argv[0],
 * env, stdin state, timeout and output capture.
 */
public final class HookRunner {
    private final Path initBinary;

    public HookRunner(Path initBinary) {
        this.initBinary = initBinary;
    }

    /**
     * Runs the hooks in order; the first failure throws (prestart, createRuntime, poststart).
     *
     * @param origin the config pointer of the list, e.g. "/hooks/poststart"
     */
    public void runAll(List<Spec.Hook> hooks, String origin, String stateJson) {
        if (hooks == null || hooks.isEmpty()) return;
        Plan plan = new Plan();
        for (int i = 0; i < hooks.size(); i++) plan.add(PlanBuilder.hookOp(hooks.get(i), origin + "/" + i, stateJson));
        run(plan);
    }

    /** Runs every hook even when some fail; each failure goes to {@code warn} (poststop). */
    public void runAllWarning(List<Spec.Hook> hooks, String origin, String stateJson, Consumer<String> warn) {
        if (hooks == null) return;
        for (int i = 0; i < hooks.size(); i++) {
            Plan plan = new Plan().add(PlanBuilder.hookOp(hooks.get(i), origin + "/" + i, stateJson));
            try {
                run(plan);
            } catch (JrError e) {
                warn.accept(e.getMessage());
            }
        }
    }

    private void run(Plan plan) {
        try (InitSession s = InitSession.start(initBinary)) {
            s.sendPlan(plan);
            InitSession.Message m = s.receive();
            if (m.isError()) throw hookError(plan.get(m.opIndex()), m);
            int rc = s.waitForStage1();
            if (rc != 0) throw JrError.of("running hooks: jruntime-init exited with status " + rc);
        }
    }

    private static JrError hookError(Op op, InitSession.Message m) {
        String why = m.detail().isEmpty() ? "errno " + m.errno() : m.detail();
        return JrError.of("hook " + op.origin() + " (" + op.args().get(0) + ") failed: " + why);
    }
}

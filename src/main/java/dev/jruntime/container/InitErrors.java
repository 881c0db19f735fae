package dev.jruntime.container;

import dev.jruntime.JrError;
import dev.jruntime.plan.Op;
import dev.jruntime.plan.Opcode;
import dev.jruntime.plan.Plan;
import dev.jruntime.sys.Errno;

/** Turns an error frame of jruntime-init into a JrError that names the config field. */
final class InitErrors {
    private InitErrors() {}

    static JrError of(Plan plan, InitSession.Message m) {
        if (m.opIndex() < 0 || m.opIndex() >= plan.size()) {
            return JrError.of("jruntime-init: " + m.detail() + ": " + Errno.text(m.errno()));
        }
        Op op = plan.get(m.opIndex());
        String why = m.errno() == 0 ? m.detail() : join(m.detail(), Errno.text(m.errno()));
        if (op.code() == Opcode.CHECK_EXEC || op.code() == Opcode.EXEC) return execError(op, m);
        if (op.code() == Opcode.HOOK) {
            return JrError.of("hook " + op.origin() + " (" + op.args().get(0) + ") failed: " + why);
        }
        String where = op.origin().isEmpty() ? op.code().name().toLowerCase(java.util.Locale.ROOT) : op.origin();
        String prefix = op.origin().startsWith("/") ? "config.json: " : "";
        return JrError.of(prefix + where + ": " + why);
    }

    /** runc's wording, which podman maps to exit codes 127 and 126. */
    private static JrError execError(Op op, InitSession.Message m) {
        String file = (String) op.args().get(0);
        String base = "unable to start container process: exec: \"" + file + "\": ";
        if (m.errno() == Errno.ENOENT && !file.contains("/")) {
            return JrError.of(base + "executable file not found in $PATH");
        }
        if (m.errno() == Errno.ENOENT) return JrError.of(base + "stat " + file + ": no such file or directory");
        return JrError.of(base + Errno.text(m.errno()));
    }

    private static String join(String detail, String errnoText) {
        return detail == null || detail.isEmpty() ? errnoText : detail + ": " + errnoText;
    }
}

package dev.jruntime.plan;

import dev.jruntime.spec.LinuxSpec;
import dev.jruntime.spec.Namespaces;
import dev.jruntime.spec.ProcessSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The plans of `exec`: stage 1 joins every namespace of the running container (through
 * /proc/&lt;init&gt;/ns/*), then clones the process, which sets itself up like the container's
 * own process (terminal, cwd, rlimits, privileges, seccomp) and execs.
 */
public final class ExecPlanBuilder {
    private ExecPlanBuilder() {}

    /** Namespace join order: user first (it owns the others), mount last (it changes /proc). */
    private static final List<String> JOIN_ORDER = List.of("user", "ipc", "uts", "network", "pid", "cgroup", "time", "mount");

    /**
     * @param initPid          the container init's host pid
     * @param namespaceTypes   the namespace types the container has (created or joined)
     * @param consoleSocket    --console-socket path or null
     * @param preserveFds      --preserve-fds
     * @param seccompListener  linux.seccomp.listenerPath when the process's filter has a listener, else null
     * @param detach           stage 1 exits at once (true) or waits and passes on the status
     */
    public static Plan stage1(long initPid, List<String> namespaceTypes, String consoleSocket, int preserveFds,
                              String seccompListener, long jvmPid, boolean detach) {
        Plan p = new Plan();
        if (consoleSocket != null) p.add(Opcode.CONNECT_UNIX, "--console-socket", consoleSocket, PlanBuilder.FD_CONSOLE);
        if (seccompListener != null) {
            p.add(Opcode.CONNECT_UNIX, "/linux/seccomp/listenerPath", seccompListener, PlanBuilder.FD_SECCOMP_LISTENER);
        }
        if (preserveFds > 0) p.add(Opcode.GRAB_FDS, "--preserve-fds", jvmPid, 3, preserveFds);
        for (String type : JOIN_ORDER) {
            if (!namespaceTypes.contains(type)) continue;
            String file = "/proc/" + initPid + "/ns/" + Namespaces.procName(type);
            p.add(Opcode.SETNS, "namespace " + type, file, Namespaces.cloneFlag(type));
        }
        p.add(Opcode.CLONE, "", 0, detach ? 0 : 1);
        return p;
    }

    /** The exec'd process's own plan. */
    public static Plan process(ProcessSpec proc, List<ProcessSpec.Rlimit> rlimits, int preserveFds,
                               SeccompProgram seccomp) {
        Plan p = new Plan();
        if (Boolean.TRUE.equals(proc.terminal())) {
            long rows = proc.consoleSize() == null || proc.consoleSize().height() == null ? 0 : proc.consoleSize().height();
            long cols = proc.consoleSize() == null || proc.consoleSize().width() == null ? 0 : proc.consoleSize().width();
            p.add(Opcode.SETSID, "--tty");
            p.add(Opcode.OPEN_PTY, "--tty", PlanBuilder.FD_CONSOLE, rows, cols);
        }
        p.add(Opcode.CHDIR, "/process/cwd", proc.cwd() == null ? "/" : proc.cwd());
        List<ProcessSpec.Rlimit> limits = rlimits == null ? new ArrayList<>() : rlimits;
        for (int i = 0; i < limits.size(); i++) {
            ProcessSpec.Rlimit r = limits.get(i);
            p.add(Opcode.SETRLIMIT, "/process/rlimits/" + i, dev.jruntime.spec.Rlimits.resource(r.type()), r.soft(), r.hard());
        }
        ProcessAttributes.plan(p, proc, (LinuxSpec.Personality) null);
        if (proc.user() != null && proc.user().umask() != null) p.add(Opcode.UMASK, "/process/user/umask", proc.user().umask());
        p.add(Opcode.CLOEXEC_FROM, "--preserve-fds", 3 + preserveFds);
        boolean nnp = Boolean.TRUE.equals(proc.noNewPrivileges());
        if (seccomp != null && !nnp) seccomp.addTo(p);
        PlanBuilder.planPrivileges(p, proc);
        String path = PlanBuilder.pathOf(proc.env());
        p.add(Opcode.CHECK_EXEC, "/process/args/0", proc.args().get(0), path);
        if (nnp) p.add(Opcode.NO_NEW_PRIVS, "/process/noNewPrivileges");
        if (seccomp != null && nnp) seccomp.addTo(p);
        p.add(Opcode.EXEC, "/process/args", proc.args().get(0), proc.args(), proc.env() == null ? List.of() : proc.env(), path);
        return p;
    }
}

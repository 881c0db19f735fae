package dev.jruntime.plan;

import dev.jruntime.JrError;
import dev.jruntime.spec.LinuxSpec;
import dev.jruntime.spec.ProcessSpec;
import java.util.List;

/** Scheduling, I/O priority and personality of the container process, as plan ops. */
final class ProcessAttributes {
    private ProcessAttributes() {}

    private static final List<String> POLICIES = List.of(
            "SCHED_OTHER", "SCHED_FIFO", "SCHED_RR", "SCHED_BATCH", "SCHED_ISO", "SCHED_IDLE", "SCHED_DEADLINE");
    private static final List<String> SCHED_FLAGS = List.of(
            "SCHED_FLAG_RESET_ON_FORK", "SCHED_FLAG_RECLAIM", "SCHED_FLAG_DL_OVERRUN", "SCHED_FLAG_KEEP_POLICY",
            "SCHED_FLAG_KEEP_PARAMS", "SCHED_FLAG_UTIL_CLAMP_MIN", "SCHED_FLAG_UTIL_CLAMP_MAX");
    private static final List<String> IO_CLASSES = List.of("IOPRIO_CLASS_NONE", "IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE", "IOPRIO_CLASS_IDLE");

    static void plan(Plan p, ProcessSpec proc, LinuxSpec.Personality personality) {
        if (personality != null) {
            long domain = switch (personality.domain() == null ? "LINUX" : personality.domain()) {
                case "LINUX" -> 0x0000;
                case "LINUX32" -> 0x0008;
                default -> throw JrError.config("/linux/personality/domain", "unknown domain \"" + personality.domain() + "\"");
            };
            if (personality.flags() != null && !personality.flags().isEmpty()) {
                throw JrError.config("/linux/personality/flags", "no personality flags are supported");
            }
            p.add(Opcode.PERSONALITY, "/linux/personality", domain);
        }
        ProcessSpec.IoPriority io = proc.ioPriority();
        if (io != null) {
            int cls = IO_CLASSES.indexOf(io.ioClass());
            if (cls < 0) throw JrError.config("/process/ioPriority/class", "unknown class \"" + io.ioClass() + "\"");
            int prio = io.priority() == null ? 0 : io.priority();
            p.add(Opcode.IOPRIO, "/process/ioPriority", ((long) cls << 13) | prio);
        }
        ProcessSpec.Scheduler s = proc.scheduler();
        if (s != null) {
            int policy = POLICIES.indexOf(s.policy());
            if (policy < 0) throw JrError.config("/process/scheduler/policy", "unknown policy \"" + s.policy() + "\"");
            long flags = 0;
            if (s.flags() != null) {
                for (int i = 0; i < s.flags().size(); i++) {
                    int bit = SCHED_FLAGS.indexOf(s.flags().get(i));
                    if (bit < 0) throw JrError.config("/process/scheduler/flags/" + i, "unknown flag \"" + s.flags().get(i) + "\"");
                    flags |= 1L << bit;
                }
            }
            p.add(Opcode.SCHED, "/process/scheduler", policy, orZero(s.nice()), orZero(s.priority()), flags,
                    orZero(s.runtime()), orZero(s.deadline()), orZero(s.period()));
        }
    }

    private static long orZero(Number n) {
        return n == null ? 0 : n.longValue();
    }
}

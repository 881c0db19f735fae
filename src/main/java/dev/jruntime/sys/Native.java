package dev.jruntime.sys;

import dev.jruntime.JrError;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The few libc calls the JVM side needs, through the JDK's FFM API (no JNI, no jnr: a first
 * FFM downcall costs ~50 ms where jnr-posix costs ~265 ms). Only verbs that need them load
 * this class: `kill` with a signal other than TERM/KILL, `run` (subreaper).
 */
public final class Native {
    private Native() {}

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));

    private static MethodHandle downcall(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), fd,
                Linker.Option.captureCallState("errno"));
    }

    private static final class Kill {
        static final MethodHandle H = downcall("kill",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    }

    private static final class Prctl {
        static final MethodHandle H = downcall("prctl",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                        ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
    }

    /** kill(2); returns 0 or the errno. */
    public static int kill(long pid, int signal) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int rc = (int) Kill.H.invokeExact(state, (int) pid, signal);
            return rc == 0 ? 0 : (int) ERRNO.get(state, 0L);
        } catch (Throwable t) {
            throw JrError.of("kill(" + pid + ", " + signal + ")", t);
        }
    }

    /** Makes this process a child subreaper, so orphaned descendants are re-parented to it. */
    public static void becomeSubreaper() {
        final int PR_SET_CHILD_SUBREAPER = 36;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int rc = (int) Prctl.H.invokeExact(state, PR_SET_CHILD_SUBREAPER, 1L, 0L, 0L, 0L);
            if (rc != 0) throw JrError.of("prctl(PR_SET_CHILD_SUBREAPER): errno " + (int) ERRNO.get(state, 0L));
        } catch (JrError e) {
            throw e;
        } catch (Throwable t) {
            throw JrError.of("prctl(PR_SET_CHILD_SUBREAPER)", t);
        }
    }

    public static final int ESRCH = 3;
    public static final int EPERM = 1;
}

package dev.jruntime.plan;

import java.nio.file.Path;

/**
 * What the command line adds to config.json for one `create` or `run`.
 *
 * @param consoleSocket path of the --console-socket, or null
 * @param preserveFds   how many fds after 0/1/2 the container inherits (--preserve-fds)
 * @param noPivot       use MS_MOVE + chroot instead of pivot_root (--no-pivot)
 * @param reapingInit   run jruntime's reaping init as PID 1 (--init or the annotation)
 * @param foreground    stage 1 waits for the container (run without --detach)
 */
public record CreateOptions(
        String id,
        Path bundle,
        Path pidFile,
        String consoleSocket,
        int preserveFds,
        boolean noPivot,
        boolean reapingInit,
        boolean foreground) {}

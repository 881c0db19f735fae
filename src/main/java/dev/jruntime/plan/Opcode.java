package dev.jruntime.plan;

/**
 * The operations jruntime-init knows, with their numbers and argument signatures.
 *
 * <p>This mirrors {@code src/main/c/plan.h} exactly (PlanContractTest checks it). Signature
 * letters: {@code i} integer, {@code s} string/bytes, {@code v} list of strings,
 * {@code a} list of integers.
 */
public enum Opcode {
    SETNS(1, "si"),
    UNSHARE(2, "i"),
    WRITE_FILE(3, "ssi"),
    MKFIFO(4, "si"),
    OPEN_FD(5, "sii"),
    CONNECT_UNIX(6, "si"),
    GRAB_FDS(8, "iii"),
    CLONE(7, "ii"),
    SETSID(10, ""),
    SET_ROOT(11, "s"),
    MOUNT(12, "sssisi"),
    MOUNT_SETATTR(13, "siiiiis"),
    MKDIR_IN_ROOT(14, "si"),
    MKFILE_IN_ROOT(15, "si"),
    MKNOD_IN_ROOT(16, "siiii"),
    SYMLINK_IN_ROOT(17, "ss"),
    PIVOT_ROOT(19, "s"),
    MOVE_ROOT(20, "s"),
    SETHOSTNAME(21, "s"),
    SETDOMAINNAME(22, "s"),
    MASK_PATH(23, "s"),
    READONLY_PATH(24, "s"),
    CHDIR(25, "s"),
    UMASK(26, "i"),
    SETRLIMIT(27, "iii"),
    PERSONALITY(28, "i"),
    IOPRIO(29, "i"),
    SCHED(30, "iiiiiii"),
    NO_NEW_PRIVS(31, ""),
    SET_DUMPABLE(32, "i"),
    CAP_BOUNDING(33, "i"),
    SET_USER(34, "iiai"),
    CAPSET(35, "iiii"),
    SECCOMP(36, "siis"),
    OPEN_PTY(37, "iii"),
    CLOEXEC_FROM(38, "i"),
    CHECK_EXEC(39, "ss"),
    SYNC(40, "i"),
    READY(41, ""),
    WAIT_FIFO(42, "is"),
    HOOK(43, "svvis"),
    REAPER(44, ""),
    EXEC(45, "svvs"),
    CLOSE_FD(46, "i");

    public final int number;
    public final String signature;

    Opcode(int number, String signature) {
        this.number = number;
        this.signature = signature;
    }
}

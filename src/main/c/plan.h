/*
 * plan.h - the contract between the JVM (which decides) and jruntime-init (which executes).
 *
 * jruntime-init is started as `jruntime-init <in> <out>` with the container's stdio as fds
 * 0/1/2. <in> and <out> are the /proc/<jvm>/fd/<n> links of two pipes the JVM made; the init
 * opens <in> for reading and <out> for writing, says hello, and from then on speaks only in
 * frames:
 *
 *   frame   := u32 length (little endian; counts type + payload) , u8 type , payload
 *
 * JVM -> init
 *   'P' plan      a plan (below). The first one is run by stage 1 (before and up to CLONE);
 *                 the second one is run by the child created by CLONE.
 *   'c'           continue: answer to a SYNC op.
 * init -> JVM
 *   'h'           hello: both pipes are open (the JVM then closes its copies of our ends,
 *                 so that our exit or exec is end-of-stream).
 *   'p' i64 pid   sent by stage 1 right after CLONE: the child's pid as the host sees it.
 *   's' i64 tag   SYNC op reached: the init waits for 'c'.
 *   'r'           READY op reached (the JVM may exit; later errors go to stderr).
 *   'e' u32 op index, i32 errno, bytes detail
 *                 op <index> of the plan being run failed; the init then exits 1. The index
 *                 is 0xffffffff when no op is to blame (bad frame, bad plan header); errno 0
 *                 means "no errno" (a hook's exit status, the detail says it all). The detail
 *                 is mechanical (e.g. "mount proc on /proc/self/fd/7 (/proc) type proc ...");
 *                 the JVM adds the op's origin and strerror(errno).
 *                 After READY the JVM may be gone: the init also prints
 *                 "jruntime-init: <detail>: <strerror>" on stderr, and an EXEC / CHECK_EXEC
 *                 failing after READY exits 127 (ENOENT) or 126 (EACCES) like a shell.
 *
 * A plan that does not exec ends with exit status 0 after its last op. CLONE must be the last
 * op of its plan. Modes given to MKDIR/MKFILE/MKNOD_IN_ROOT and MKFIFO are applied exactly
 * (created with umask 0); parents made by MKFILE_IN_ROOT get 0755. OPEN_FD creates files
 * (O_CREAT) with mode 0600. Fds a plan names (0..199) never collide with the init's own fds
 * (the channel's pipes, root, pidfds), which live at 200 and above. MKNOD_IN_ROOT's dev is the
 * kernel/glibc dev_t encoding: (minor & 0xff) | ((major & 0xfff) << 8) |
 * ((minor & ~0xff) << 12) | ((major & ~0xfff) << 32).
 *
 *   plan    := "JRP1" , u32 op count , op*
 *   op      := u16 opcode , u16 arg count , arg*
 *   arg     := 'i' i64                                    an integer
 *            | 's' u32 length , bytes                     a byte string (no NUL inside paths)
 *            | 'v' u32 count , (u32 length , bytes)*      a list of strings (argv, env)
 *            | 'a' u32 count , i64*                       a list of integers
 *
 * Every value is resolved by the JVM: the init applies no defaults and makes no decision
 * other than the mechanics of an op. Each op's argument kinds are fixed by the signature
 * column below; a mismatch is a protocol error. PlanContractTest keeps the Java side
 * (dev.jruntime.plan.Opcode) identical to this table.
 *
 * "in root" paths are resolved under the fd set by SET_ROOT with openat2(RESOLVE_IN_ROOT),
 * so no symlink can lead outside the container's root filesystem.
 */
#ifndef JRUNTIME_PLAN_H
#define JRUNTIME_PLAN_H

#define PLAN_MAGIC "JRP1"

/* OPCODE(name, number, signature) */
#define PLAN_OPCODES(OPCODE)                                                              \
    /* --- stage 1: runs in the process the JVM spawned, before the clone ------------ */ \
    OPCODE(SETNS, 1, "si")          /* path, CLONE_NEW* type: join a namespace          */ \
    OPCODE(UNSHARE, 2, "i")         /* CLONE_NEW* flags (e.g. time ns before CLONE)    */ \
    OPCODE(WRITE_FILE, 3, "ssi")    /* path, data, flags (1: ignore ENOENT)            */ \
    OPCODE(MKFIFO, 4, "si")         /* path, mode                                      */ \
    OPCODE(OPEN_FD, 5, "sii")       /* path, open flags, fd number to place it at      */ \
    OPCODE(CONNECT_UNIX, 6, "si")   /* socket path, fd number to place it at          */ \
    OPCODE(GRAB_FDS, 8, "iii")      /* pid, first fd, count: copy that process's fds    */ \
                                    /* first..first+count-1 to the same numbers here   */ \
                                    /* (pidfd_getfd: how --preserve-fds crosses the JVM) */ \
    OPCODE(CLONE, 7, "ii")          /* CLONE_NEW* flags, wait (1: stage 1 waits for the */ \
                                    /* child and exits with its status; 0: exits now)  */ \
    /* --- the child (container init or exec'd process) ------------------------------- */ \
    OPCODE(SETSID, 10, "")                                                                \
    OPCODE(SET_ROOT, 11, "s")       /* directory that "in root" paths resolve under    */ \
    OPCODE(MOUNT, 12, "sssisi")     /* source, target, fstype, MS_* flags, data, in root */ \
    OPCODE(MOUNT_SETATTR, 13, "siiiiis") /* target, in root, attr_set, attr_clr,       */ \
                                    /* propagation, AT_RECURSIVE?, userns path ("" none) */ \
    OPCODE(MKDIR_IN_ROOT, 14, "si") /* path (mkdir -p), mode                          */ \
    OPCODE(MKFILE_IN_ROOT, 15, "si") /* path (parents made), mode: empty file if absent */ \
    OPCODE(MKNOD_IN_ROOT, 16, "siiii") /* path, mode (with S_IF*), dev, uid, gid      */ \
    OPCODE(SYMLINK_IN_ROOT, 17, "ss") /* link target, link path (exists: left alone)  */ \
    OPCODE(PIVOT_ROOT, 19, "s")     /* new root; the old one is detached               */ \
    OPCODE(MOVE_ROOT, 20, "s")      /* --no-pivot: MS_MOVE new root onto / and chroot  */ \
    OPCODE(SETHOSTNAME, 21, "s")                                                          \
    OPCODE(SETDOMAINNAME, 22, "s")                                                        \
    OPCODE(MASK_PATH, 23, "s")      /* dir: read-only tmpfs over it; else /dev/null    */ \
                                    /* bound over it; absent: nothing                  */ \
    OPCODE(READONLY_PATH, 24, "s")  /* bind onto itself, remount read-only; absent: nothing */ \
    OPCODE(CHDIR, 25, "s")                                                                \
    OPCODE(UMASK, 26, "i")                                                                \
    OPCODE(SETRLIMIT, 27, "iii")    /* resource, soft, hard (-1: infinity)             */ \
    OPCODE(PERSONALITY, 28, "i")                                                          \
    OPCODE(IOPRIO, 29, "i")         /* ioprio value for ioprio_set(IOPRIO_WHO_PROCESS,0) */ \
    OPCODE(SCHED, 30, "iiiiiii")    /* policy, nice, priority, flags, runtime, deadline, period */ \
    OPCODE(NO_NEW_PRIVS, 31, "")                                                          \
    OPCODE(SET_DUMPABLE, 32, "i")                                                         \
    OPCODE(CAP_BOUNDING, 33, "i")   /* mask of capabilities to keep in the bounding set */ \
    OPCODE(SET_USER, 34, "iiai")    /* uid, gid, supplementary gids, 1: call setgroups  */ \
    OPCODE(CAPSET, 35, "iiii")      /* effective, permitted, inheritable, ambient masks */ \
    OPCODE(SECCOMP, 36, "siis")     /* BPF program (struct sock_filter[]), SECCOMP_FILTER_FLAG_*, */ \
                                    /* listener socket fd (-1: none), message: with   */ \
                                    /* NEW_LISTENER the notify fd is sent over the     */ \
                                    /* socket with SCM_RIGHTS along with this message  */ \
    OPCODE(OPEN_PTY, 37, "iii")     /* console socket fd, rows, cols (0: leave)        */ \
    OPCODE(CLOEXEC_FROM, 38, "i")   /* mark every fd >= n close-on-exec                */ \
    OPCODE(CHECK_EXEC, 39, "ss")    /* file (args[0]), PATH value: must be executable  */ \
    OPCODE(SYNC, 40, "i")           /* send 's' tag, wait for 'c'                      */ \
    OPCODE(READY, 41, "")           /* send 'r'                                        */ \
    OPCODE(WAIT_FIFO, 42, "is")     /* dir fd, fifo name: blocking open for write, then */ \
                                    /* write "0": returns once `start` opens it        */ \
    OPCODE(HOOK, 43, "svvis")       /* path, args, env, timeout seconds (0: none), stdin */ \
    OPCODE(REAPER, 44, "")          /* fork: the parent stays as a reaping init that   */ \
                                    /* forwards signals; the child runs the rest       */ \
    OPCODE(EXEC, 45, "svvs")        /* file, args, env, PATH value used to find file   */ \
    OPCODE(CLOSE_FD, 46, "i")

enum plan_opcode {
#define PLAN_ENUM(name, number, sig) OP_##name = number,
    PLAN_OPCODES(PLAN_ENUM)
#undef PLAN_ENUM
};

/* frame types */
#define MSG_PLAN 'P'
#define MSG_CONTINUE 'c'
#define MSG_PID 'p'
#define MSG_SYNC 's'
#define MSG_READY 'r'
#define MSG_ERROR 'e'
#define MSG_HELLO 'h'

#endif

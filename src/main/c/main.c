/*
 * main.c - jruntime-init: start-up, the frame protocol, error reporting, op dispatch, CLONE.
 *
 *   jruntime-init <path to read frames from> <path to write frames to>
 *
 * See plan.h for the protocol. Every decision was made by the JVM: this program only executes
 * the ops it is sent, in order, and reports the first failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include "init.h"

int g_sync = -1;
int g_sync_out = -1;
int g_ready;
long g_op_index = -1;

static struct sigaction saved_sigpipe;
static sigset_t saved_mask;

void close_sync(void)
{
    if (g_sync >= 0)
        close(g_sync);
    if (g_sync_out >= 0)
        close(g_sync_out);
    g_sync = g_sync_out = -1;
}

static int write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t n = write(fd, p, len); /* SIGPIPE is ignored: a gone JVM is EPIPE */
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static int send_frame_raw(char type, const void *payload, size_t len)
{
    unsigned char head[5];
    uint32_t n = (uint32_t)len + 1;
    for (int k = 0; k < 4; k++)
        head[k] = (unsigned char)(n >> (8 * k));
    head[4] = (unsigned char)type;
    if (g_sync_out < 0 || write_all(g_sync_out, head, 5) < 0 || write_all(g_sync_out, payload, len) < 0)
        return -1;
    return 0;
}

void send_frame(char type, const void *payload, size_t len)
{
    if (send_frame_raw(type, payload, len) < 0)
        fail(errno, "send '%c' frame to the JVM", type);
}

/*
 * Reports the failure of the current op and exits: an 'e' frame while the JVM listens,
 * otherwise (channel gone, e.g. after READY the JVM exited) a line on stderr.
 */
void fail_code(int exit_code, int err, const char *fmt, ...)
{
    char msg[4096 + 256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(msg + 8, sizeof msg - 8, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    if ((size_t)n > sizeof msg - 9)
        n = (int)(sizeof msg - 9);
    uint32_t idx = (uint32_t)g_op_index;
    for (int k = 0; k < 4; k++) {
        msg[k] = (char)(idx >> (8 * k));
        msg[4 + k] = (char)((uint32_t)err >> (8 * k));
    }
    if (send_frame_raw(MSG_ERROR, msg, 8 + (size_t)n) < 0 || g_ready) {
        /* nobody may read the frame any more: say it where a human sees it */
        if (err)
            dprintf(2, "jruntime-init: %s: %s\n", msg + 8, strerror(err));
        else
            dprintf(2, "jruntime-init: %s\n", msg + 8);
    }
    _exit(exit_code);
}

static int read_all(int fd, void *buf, size_t len)
{
    char *p = buf;
    while (len > 0) {
        ssize_t n = read(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            return 0;
        p += n;
        len -= (size_t)n;
    }
    return 1;
}

char read_frame(char **buf, size_t *len)
{
    unsigned char head[5];
    int r = read_all(g_sync, head, 5);
    if (r < 0)
        fail(errno, "read frame from the JVM");
    if (r == 0)
        return 0;
    uint32_t n = head[0] | head[1] << 8 | head[2] << 16 | (uint32_t)head[3] << 24;
    if (n < 1 || n > (64u << 20))
        fail(EPROTO, "frame length %u out of range", n);
    *len = n - 1;
    *buf = malloc(*len + 1);
    if (!*buf)
        fail(ENOMEM, "frame of %u bytes", n);
    r = read_all(g_sync, *buf, *len);
    if (r <= 0)
        fail(r < 0 ? errno : EPROTO, "read frame payload from the JVM");
    return (char)head[4];
}

int send_fd(int sock, int fd, const void *data, size_t len)
{
    static const char nul = 0;
    char ctl[CMSG_SPACE(sizeof(int))];
    /* a stream socket carries ancillary data only with at least one data byte */
    struct iovec iov = { (void *)(len ? data : &nul), len ? len : 1 };
    struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
                         .msg_controllen = sizeof ctl };
    memset(ctl, 0, sizeof ctl);
    struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof(int));
    ssize_t n;
    do
        n = sendmsg(sock, &mh, MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    return n < 0 ? -1 : 0;
}

int move_high(int fd)
{
    if (fd < 0 || fd >= INIT_FD_BASE)
        return fd;
    int nfd = fcntl(fd, F_DUPFD_CLOEXEC, INIT_FD_BASE);
    int saved = errno;
    close(fd);
    errno = saved;
    return nfd;
}

int place_fd(int fd, int target, int cloexec)
{
    if (fd == target)
        return fcntl(fd, F_SETFD, cloexec ? FD_CLOEXEC : 0);
    int r = dup3(fd, target, cloexec ? O_CLOEXEC : 0);
    int saved = errno;
    close(fd);
    errno = saved;
    return r < 0 ? -1 : 0;
}

void restore_signals(void)
{
    sigaction(SIGPIPE, &saved_sigpipe, NULL);
    sigprocmask(SIG_SETMASK, &saved_mask, NULL);
}

/*
 * CVE-2019-5736: a container process must never be able to open our binary for writing
 * through /proc/<pid>/exe. Run from a sealed copy in memory instead of the file on disk.
 */
static void reexec_from_sealed_memfd(char **argv, char **envp)
{
    const int seals = F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE;
    int exe = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    if (exe < 0)
        fail(errno, "open /proc/self/exe");
    int have = fcntl(exe, F_GET_SEALS);
    if (have >= 0 && (have & seals) == seals) {
        close(exe);
        return; /* already the sealed clone */
    }
    int mfd = memfd_create("jruntime-init", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (mfd < 0)
        fail(errno, "memfd_create");
    struct stat st;
    if (fstat(exe, &st) < 0)
        fail(errno, "stat /proc/self/exe");
    for (off_t done = 0; done < st.st_size;) {
        ssize_t n = sendfile(mfd, exe, NULL, (size_t)(st.st_size - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            fail(n < 0 ? errno : EIO, "copy /proc/self/exe to a memfd");
        done += n;
    }
    close(exe);
    if (fcntl(mfd, F_ADD_SEALS, seals) < 0)
        fail(errno, "seal the memfd copy of jruntime-init");
    fexecve(mfd, argv, envp);
    fail(errno, "fexecve the sealed copy of jruntime-init");
}

static void op_clone(int64_t flags, int64_t wait)
{
    long pid = syscall(SYS_clone, (unsigned long)flags | SIGCHLD, 0, 0, 0, 0);
    if (pid < 0)
        fail(errno, "clone(0x%llx)", (unsigned long long)flags);
    if (pid == 0)
        return; /* the child: the caller reads and runs the next plan */
    unsigned char p[8];
    for (int k = 0; k < 8; k++)
        p[k] = (unsigned char)((uint64_t)pid >> (8 * k));
    send_frame(MSG_PID, p, 8);
    if (!wait)
        _exit(0); /* the child re-parents to the caller's subreaper */
    close_sync(); /* the child's copy is the JVM's only peer now */
    /*
     * Keep nothing of the child's while waiting: the fds this plan placed (console socket,
     * seccomp listener, state dir, --preserve-fds) belong to the child, and a copy held here
     * would keep their peers from seeing the close (a seccomp agent waiting for the end of
     * the container process state would never answer).
     */
    syscall(SYS_close_range, 3U, ~0U, 0U);
    int st;
    while (waitpid((pid_t)pid, &st, 0) < 0)
        if (errno != EINTR)
            fail(errno, "waitpid %ld", pid);
    _exit(WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
}

static void op_sync(int64_t tag)
{
    unsigned char p[8];
    char *buf;
    size_t len;
    for (int k = 0; k < 8; k++)
        p[k] = (unsigned char)((uint64_t)tag >> (8 * k));
    send_frame(MSG_SYNC, p, 8);
    char type = read_frame(&buf, &len);
    if (type != MSG_CONTINUE)
        fail(type ? EPROTO : EPIPE, "SYNC %lld: expected 'c' from the JVM, got %s",
             (long long)tag, type ? "another frame" : "end of stream");
    free(buf);
}

static void op_wait_fifo(int dirfd, const char *name)
{
    int fd;
    do
        fd = openat(dirfd, name, O_WRONLY | O_CLOEXEC);
    while (fd < 0 && errno == EINTR);
    if (fd < 0)
        fail(errno, "open fifo %s for writing", name);
    if (write(fd, "0", 1) != 1)
        fail(errno, "write to fifo %s", name);
    close(fd);
    close(dirfd);
}

/* Returns 1 when the op was CLONE and this is the child (which then reads its own plan). */
static int run_op(const struct op *op)
{
    const struct arg *a = op->args;
    long r = 0;
    switch (op->code) {
    case OP_SETNS: {
        int fd = open(a[0].s, O_RDONLY | O_CLOEXEC);
        if (fd < 0 || setns(fd, (int)a[1].i) < 0)
            fail(errno, "setns %s", a[0].s);
        close(fd);
        break;
    }
    case OP_UNSHARE:
        if (unshare((int)a[0].i) < 0)
            fail(errno, "unshare(0x%llx)", (unsigned long long)a[0].i);
        break;
    case OP_WRITE_FILE: op_write_file(a[0].s, a[1].s, a[1].len, (int)a[2].i); break;
    case OP_MKFIFO: op_mkfifo(a[0].s, (int)a[1].i); break;
    case OP_OPEN_FD: op_open_fd(a[0].s, (int)a[1].i, (int)a[2].i); break;
    case OP_CONNECT_UNIX: op_connect_unix(a[0].s, (int)a[1].i); break;
    case OP_GRAB_FDS: op_grab_fds((int)a[0].i, (int)a[1].i, (int)a[2].i); break;
    case OP_CLONE:
        op_clone(a[0].i, a[1].i);
        return 1;
    case OP_SETSID:
        if (setsid() < 0)
            fail(errno, "setsid");
        break;
    case OP_SET_ROOT: op_set_root(a[0].s); break;
    case OP_MOUNT:
        op_mount(a[0].s, a[1].s, a[2].s, (unsigned long)a[3].i, a[4].s, (int)a[5].i);
        break;
    case OP_MOUNT_SETATTR:
        op_mount_setattr(a[0].s, (int)a[1].i, (uint64_t)a[2].i, (uint64_t)a[3].i,
                         (uint64_t)a[4].i, (int)a[5].i, a[6].s);
        break;
    case OP_MKDIR_IN_ROOT: op_mkdir_in_root(a[0].s, (int)a[1].i); break;
    case OP_MKFILE_IN_ROOT: op_mkfile_in_root(a[0].s, (int)a[1].i); break;
    case OP_MKNOD_IN_ROOT:
        op_mknod_in_root(a[0].s, (int)a[1].i, (uint64_t)a[2].i, (int)a[3].i, (int)a[4].i);
        break;
    case OP_SYMLINK_IN_ROOT: op_symlink_in_root(a[0].s, a[1].s); break;
    case OP_PIVOT_ROOT: op_pivot_root(a[0].s); break;
    case OP_MOVE_ROOT: op_move_root(a[0].s); break;
    case OP_SETHOSTNAME:
        if (sethostname(a[0].s, a[0].len) < 0)
            fail(errno, "sethostname %s", a[0].s);
        break;
    case OP_SETDOMAINNAME:
        if (setdomainname(a[0].s, a[0].len) < 0)
            fail(errno, "setdomainname %s", a[0].s);
        break;
    case OP_MASK_PATH: op_mask_path(a[0].s); break;
    case OP_READONLY_PATH: op_readonly_path(a[0].s); break;
    case OP_CHDIR:
        if (chdir(a[0].s) < 0)
            fail(errno, "chdir %s", a[0].s);
        break;
    case OP_UMASK: umask((mode_t)a[0].i); break;
    case OP_SETRLIMIT: op_setrlimit((int)a[0].i, a[1].i, a[2].i); break;
    case OP_PERSONALITY:
        if (syscall(SYS_personality, (unsigned long)a[0].i) < 0)
            fail(errno, "personality(0x%llx)", (unsigned long long)a[0].i);
        break;
    case OP_IOPRIO:
        if (syscall(SYS_ioprio_set, 1 /* IOPRIO_WHO_PROCESS */, 0, (int)a[0].i) < 0)
            fail(errno, "ioprio_set(%lld)", (long long)a[0].i);
        break;
    case OP_SCHED: op_sched(a); break;
    case OP_NO_NEW_PRIVS:
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
            fail(errno, "prctl(PR_SET_NO_NEW_PRIVS)");
        break;
    case OP_SET_DUMPABLE:
        if (prctl(PR_SET_DUMPABLE, (unsigned long)a[0].i, 0, 0, 0) < 0)
            fail(errno, "prctl(PR_SET_DUMPABLE, %lld)", (long long)a[0].i);
        break;
    case OP_CAP_BOUNDING: op_cap_bounding((uint64_t)a[0].i); break;
    case OP_SET_USER:
        op_set_user((int)a[0].i, (int)a[1].i, a[2].a, a[2].len, (int)a[3].i);
        break;
    case OP_CAPSET:
        op_capset((uint64_t)a[0].i, (uint64_t)a[1].i, (uint64_t)a[2].i, (uint64_t)a[3].i);
        break;
    case OP_SECCOMP:
        op_seccomp(a[0].s, a[0].len, (unsigned)a[1].i, (int)a[2].i, a[3].s, a[3].len);
        break;
    case OP_OPEN_PTY: op_open_pty((int)a[0].i, (int)a[1].i, (int)a[2].i); break;
    case OP_CLOEXEC_FROM:
        r = syscall(SYS_close_range, (unsigned)a[0].i, ~0U, 4 /* CLOSE_RANGE_CLOEXEC */);
        if (r < 0)
            fail(errno, "close_range(%lld, CLOEXEC)", (long long)a[0].i);
        break;
    case OP_CHECK_EXEC: op_check_exec(a[0].s, a[1].s); break;
    case OP_SYNC: op_sync(a[0].i); break;
    case OP_READY:
        send_frame(MSG_READY, "", 0);
        g_ready = 1;
        break;
    case OP_WAIT_FIFO: op_wait_fifo((int)a[0].i, a[1].s); break;
    case OP_HOOK: op_hook(a[0].s, a[1].v, a[2].v, a[3].i, a[4].s, a[4].len); break;
    case OP_REAPER: op_reaper(); break;
    case OP_EXEC: op_exec(a[0].s, a[1].v, a[2].v, a[3].s);
    case OP_CLOSE_FD:
        if (close((int)a[0].i) < 0)
            fail(errno, "close fd %lld", (long long)a[0].i);
        break;
    default:
        fail(EPROTO, "opcode %u not implemented", op->code);
    }
    return 0;
}

/* Reads a 'P' frame and runs it; returns when a CLONE made us the child, exits otherwise. */
static void run_next_plan(void)
{
    char *buf, why[256];
    size_t len;
    struct plan plan;
    long bad;
    g_op_index = -1;
    char type = read_frame(&buf, &len);
    if (type != MSG_PLAN)
        fail(type ? EPROTO : EPIPE, "expected a plan from the JVM, got %s",
             type ? "another frame" : "end of stream");
    if (plan_decode(buf, len, &plan, why, sizeof why, &bad) < 0) {
        g_op_index = bad;
        fail(EPROTO, "%s", why);
    }
    free(buf);
    /* the ops after a CLONE would never run (the parent exits): refuse, don't ignore them */
    for (uint32_t k = 0; k + 1 < plan.count; k++) {
        if (plan.ops[k].code == OP_CLONE) {
            g_op_index = k;
            fail(EINVAL, "CLONE must be the last op of its plan (%u ops follow)",
                 plan.count - k - 1);
        }
    }
    for (uint32_t k = 0; k < plan.count; k++) {
        g_op_index = k;
        if (run_op(&plan.ops[k]))
            return; /* CLONE child: the rest of this plan belongs to the parent */
    }
    _exit(0);
}

int main(int argc, char **argv, char **envp)
{
    struct sigaction ign = { .sa_handler = SIG_IGN };
    sigprocmask(SIG_SETMASK, NULL, &saved_mask);
    if (argc != 3) {
        dprintf(2, "usage: jruntime-init <frames-in> <frames-out> (started by jruntime)\n");
        return 2;
    }
    reexec_from_sealed_memfd(argv, envp);
    /*
     * Start from default dispositions: a JVM spawns its children with signals 32 and 33
     * ignored (an artifact of the JVM, not the caller's wish), and ignored signals survive
     * execve into the container's process.
     */
    for (int sig = 1; sig < NSIG; sig++) {
        /* the raw syscall: glibc's sigaction() refuses its own internal signals 32 and 33 */
        struct {
            void *handler;
            unsigned long flags;
            void *restorer;
            uint64_t mask;
        } cur, dfl = { 0 };
        if (syscall(SYS_rt_sigaction, sig, NULL, &cur, sizeof cur.mask) == 0 &&
            cur.handler == (void *)SIG_IGN)
            syscall(SYS_rt_sigaction, sig, &dfl, NULL, sizeof dfl.mask);
    }
    sigaction(SIGPIPE, &ign, &saved_sigpipe);

    /*
     * The channel to the JVM: two pipes the JVM created, opened through its /proc fd links
     * (a JVM cannot hand a child any fd beyond stdio). Open order matches the JVM's: it
     * waits for the hello frame before it closes its own copies of our ends.
     */
    int in = open(argv[1], O_RDONLY | O_CLOEXEC);
    if (in < 0 || (g_sync = move_high(in)) < 0)
        fail(errno, "open the JVM's channel %s", argv[1]);
    int out = open(argv[2], O_WRONLY | O_CLOEXEC);
    if (out < 0 || (g_sync_out = move_high(out)) < 0)
        fail(errno, "open the JVM's channel %s", argv[2]);
    send_frame(MSG_HELLO, "", 0);

    /* stage 1 runs the first plan; each CLONE child runs the next one */
    for (;;)
        run_next_plan();
}

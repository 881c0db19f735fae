/*
 * procops.c - process attributes, credentials, fds, seccomp and the executable lookup that
 * CHECK_EXEC and EXEC share.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/sched/types.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>
#include "init.h"

void op_open_fd(const char *path, int flags, int fd)
{
    /* O_CREAT files are private to the runtime: 0600 */
    int f = open(path, flags | O_CLOEXEC, 0600);
    if (f < 0)
        fail(errno, "open %s", path);
    if (place_fd(f, fd, 1) < 0)
        fail(errno, "place %s at fd %d", path, fd);
}

void op_connect_unix(const char *path, int fd)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int pathfd = -1;
    if (strlen(path) < sizeof sa.sun_path) {
        strcpy(sa.sun_path, path);
    } else {
        /* too long for sun_path: connect through the magic link of an O_PATH fd */
        if ((pathfd = open(path, O_PATH | O_CLOEXEC)) < 0)
            fail(errno, "open socket %s", path);
        snprintf(sa.sun_path, sizeof sa.sun_path, "/proc/self/fd/%d", pathfd);
    }
    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0 || connect(s, (struct sockaddr *)&sa, sizeof sa) < 0)
        fail(errno, "connect to %s", path);
    if (pathfd >= 0)
        close(pathfd);
    if (place_fd(s, fd, 1) < 0)
        fail(errno, "place socket %s at fd %d", path, fd);
}

void op_grab_fds(int pid, int first, int count)
{
    int pidfd = move_high((int)syscall(SYS_pidfd_open, pid, 0));
    if (pidfd < 0)
        fail(errno, "pidfd_open %d", pid);
    for (int fd = first; fd < first + count; fd++) {
        int got = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
        if (got < 0)
            fail(errno, "pidfd_getfd fd %d of process %d", fd, pid);
        if (place_fd(got, fd, 0) < 0)
            fail(errno, "place fd %d of process %d", fd, pid);
    }
    close(pidfd);
}

void op_setrlimit(int res, int64_t soft, int64_t hard)
{
    /* -1 is RLIM_INFINITY (all ones) by the cast */
    struct rlimit rl = { (rlim_t)soft, (rlim_t)hard };
    if (prlimit(0, (__rlimit_resource_t)res, &rl, NULL) < 0)
        fail(errno, "setrlimit(%d, %lld, %lld)", res, (long long)soft, (long long)hard);
}

void op_sched(const struct arg *a)
{
    struct sched_attr attr = {
        .size = sizeof attr,
        .sched_policy = (uint32_t)a[0].i,
        .sched_nice = (int32_t)a[1].i,
        .sched_priority = (uint32_t)a[2].i,
        .sched_flags = (uint64_t)a[3].i,
        .sched_runtime = (uint64_t)a[4].i,
        .sched_deadline = (uint64_t)a[5].i,
        .sched_period = (uint64_t)a[6].i,
    };
    if (syscall(SYS_sched_setattr, 0, &attr, 0) < 0)
        fail(errno, "sched_setattr policy %lld", (long long)a[0].i);
}

void op_cap_bounding(uint64_t keep)
{
    /* the kernel knows caps 0..last: PR_CAPBSET_READ says EINVAL past the last one */
    for (int cap = 0; cap < 64; cap++) {
        if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) < 0) {
            if (errno == EINVAL)
                break;
            fail(errno, "read bounding capability %d", cap);
        }
        if (!(keep >> cap & 1) && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
            fail(errno, "drop bounding capability %d", cap);
    }
}

void op_set_user(int uid, int gid, const int64_t *groups, uint32_t ngroups, int do_setgroups)
{
    if (ngroups > 65536) /* NGROUPS_MAX; also bounds the array below */
        fail(EINVAL, "setgroups: %u groups", ngroups);
    gid_t g[ngroups + 1];
    for (uint32_t k = 0; k < ngroups; k++)
        g[k] = (gid_t)groups[k];
    /* keep the permitted set across the uid change: CAPSET decides what remains */
    if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
        fail(errno, "prctl(PR_SET_KEEPCAPS, 1)");
    if (do_setgroups && setgroups(ngroups, g) < 0)
        fail(errno, "setgroups (%u groups)", ngroups);
    if (setresgid((gid_t)gid, (gid_t)gid, (gid_t)gid) < 0)
        fail(errno, "setresgid %d", gid);
    if (setresuid((uid_t)uid, (uid_t)uid, (uid_t)uid) < 0)
        fail(errno, "setresuid %d", uid);
}

void op_capset(uint64_t eff, uint64_t perm, uint64_t inh, uint64_t amb)
{
    struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
    struct __user_cap_data_struct data[2] = {
        { (uint32_t)eff, (uint32_t)perm, (uint32_t)inh },
        { (uint32_t)(eff >> 32), (uint32_t)(perm >> 32), (uint32_t)(inh >> 32) },
    };
    if (syscall(SYS_capset, &hdr, data) < 0)
        fail(errno, "capset effective 0x%llx permitted 0x%llx inheritable 0x%llx",
             (unsigned long long)eff, (unsigned long long)perm, (unsigned long long)inh);
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
        fail(errno, "clear ambient capabilities");
    for (int cap = 0; cap < 64; cap++)
        if ((amb >> cap & 1) && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
            fail(errno, "raise ambient capability %d", cap);
    if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
        fail(errno, "prctl(PR_SET_KEEPCAPS, 0)");
}

void op_seccomp(const char *prog, uint32_t len, unsigned flags, int listener, const char *msg,
                uint32_t msglen)
{
    size_t insns = len / sizeof(struct sock_filter);
    if (len == 0 || len % sizeof(struct sock_filter) != 0 || insns > 0xffff)
        fail(EINVAL, "seccomp program of %u bytes is not a whole number of instructions", len);
    struct sock_fprog fprog = { (unsigned short)insns,
                                (struct sock_filter *)(void *)prog };
    long r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &fprog);
    if (r < 0)
        fail(errno, "load seccomp filter (%u instructions, flags 0x%x)", fprog.len, flags);
    if (flags & SECCOMP_FILTER_FLAG_NEW_LISTENER) {
        if (send_fd(listener, (int)r, msg, msglen) < 0)
            fail(errno, "send the seccomp notify fd over fd %d", listener);
        close((int)r);
        close(listener);
    }
}

/* 0, or an errno with *why set: a regular file that we may execute */
static int executable(const char *p, const char **why)
{
    struct stat st;
    if (stat(p, &st) < 0) {
        *why = "";
        return errno;
    }
    if (!S_ISREG(st.st_mode)) {
        *why = ": not a regular file";
        return EACCES;
    }
    if (access(p, X_OK) < 0) {
        *why = ": not executable";
        return errno;
    }
    return 0;
}

/*
 * The one lookup of CHECK_EXEC and EXEC, like a shell: a name with a '/' is taken as is,
 * otherwise the first executable match in PATH wins. Returns 0 or an errno with a detail.
 */
static int lookup(const char *file, const char *path, char *resolved, size_t size,
                  char *detail, size_t dsize)
{
    const char *why = "";
    int err, eacces = 0;
    if (!*file) {
        snprintf(detail, dsize, "exec \"\": empty file name");
        return ENOENT;
    }
    if (strchr(file, '/')) {
        snprintf(resolved, size, "%s", file);
        if ((err = executable(file, &why)) != 0)
            snprintf(detail, dsize, "exec \"%s\"%s", file, why);
        return err;
    }
    if (!*path)
        path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    for (const char *p = path;; p++) {
        const char *end = strchrnul(p, ':');
        int dl = (int)(end - p);
        snprintf(resolved, size, "%.*s%s%s", dl, p, dl ? "/" : "", file);
        if ((err = executable(resolved, &why)) == 0)
            return 0;
        if (err == EACCES && !eacces) { /* reported if nothing better is found */
            eacces = 1;
            snprintf(detail, dsize, "exec \"%s\" (%s)%s", file, resolved, why);
        }
        if (!*end)
            break;
        p = end;
    }
    if (eacces)
        return EACCES;
    snprintf(detail, dsize, "exec \"%s\": executable file not found in $PATH", file);
    return ENOENT;
}

/* After READY nobody reads 'e' frames: exit like a shell would for a failed command. */
static int exec_exit_code(int err)
{
    return !g_ready ? 1 : err == ENOENT ? 127 : err == EACCES ? 126 : 1;
}

void op_check_exec(const char *file, const char *path)
{
    char resolved[4096], detail[4096 + 128];
    int err = lookup(file, path, resolved, sizeof resolved, detail, sizeof detail);
    if (err)
        fail_code(exec_exit_code(err), err, "%s", detail);
}

void op_exec(const char *file, char **args, char **env, const char *path)
{
    char resolved[4096], detail[4096 + 128];
    int err = lookup(file, path, resolved, sizeof resolved, detail, sizeof detail);
    if (err)
        fail_code(exec_exit_code(err), err, "%s", detail);
    restore_signals();
    execve(resolved, args, env);
    err = errno;
    fail_code(exec_exit_code(err), err, "exec \"%s\"", resolved);
}

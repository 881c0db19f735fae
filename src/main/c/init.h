/*
 * init.h - shared declarations of jruntime-init (the executor of plan.h plans).
 *
 * One concern per file: main.c (start-up, frames, dispatch, CLONE), plan.c (decoding),
 * fsops.c (root-relative files and mounts), procops.c (process attributes, credentials, fds,
 * seccomp, exec), hook.c, reaper.c, pty.c. Single-threaded; every op either succeeds or calls
 * fail(), which reports and exits.
 */
#ifndef JRUNTIME_INIT_H
#define JRUNTIME_INIT_H

#include <stddef.h>
#include <stdint.h>
#include "plan.h"

/* Internal fds (the JVM channel, root fd, ...) live at or above this number, so that the fd
 * numbers a plan asks for (0..199) never collide with them. */
#define INIT_FD_BASE 200

struct arg {
    char kind;          /* 'i', 's', 'v' or 'a' */
    int64_t i;          /* 'i' */
    char *s;            /* 's': NUL-terminated copy (bytes may contain NUL for programs) */
    uint32_t len;       /* 's': length; 'v'/'a': element count */
    char **v;           /* 'v': NULL-terminated array of NUL-terminated strings */
    int64_t *a;         /* 'a' */
};

struct op {
    uint16_t code;
    uint16_t nargs;
    struct arg *args;
};

struct plan {
    uint32_t count;
    struct op *ops;
};

/* main.c */
extern int g_sync;              /* frames from the JVM (a pipe), -1 once closed */
extern int g_sync_out;          /* frames to the JVM (a pipe), -1 once closed */
extern int g_ready;             /* READY was sent: the JVM may be gone */
extern long g_op_index;         /* op being run, for error frames (-1: none) */
__attribute__((noreturn, format(printf, 3, 4)))
void fail_code(int exit_code, int err, const char *fmt, ...);
#define fail(err, ...) fail_code(1, (err), __VA_ARGS__)
void send_frame(char type, const void *payload, size_t len);
/* Reads one frame; returns its type (0 on EOF), payload malloc'd into *buf. */
char read_frame(char **buf, size_t *len);
int send_fd(int sock, int fd, const void *data, size_t len);
int move_high(int fd);          /* F_DUPFD_CLOEXEC to >= INIT_FD_BASE, closes fd */
int place_fd(int fd, int target, int cloexec); /* dup onto target, closes fd */
void restore_signals(void);     /* dispositions/mask as they were at start, before exec */
void close_sync(void);

/* plan.c */
int plan_decode(const char *buf, size_t len, struct plan *out, char *why, size_t whylen,
                long *bad_index);
const char *op_name(int code);

/* fsops.c */
void op_set_root(const char *path);
int open_in_root(const char *path, int flags, int mode);
void op_mount(const char *src, const char *target, const char *fstype, unsigned long flags,
              const char *data, int in_root);
void op_mount_setattr(const char *target, int in_root, uint64_t set, uint64_t clr,
                      uint64_t prop, int recursive, const char *userns);
void op_mkdir_in_root(const char *path, int mode);
void op_mkfile_in_root(const char *path, int mode);
void op_mknod_in_root(const char *path, int mode, uint64_t dev, int uid, int gid);
void op_symlink_in_root(const char *target, const char *path);
void op_pivot_root(const char *path);
void op_move_root(const char *path);
void op_mask_path(const char *path);
void op_readonly_path(const char *path);
void op_mkfifo(const char *path, int mode);
void op_write_file(const char *path, const char *data, size_t len, int flags);

/* procops.c */
void op_open_fd(const char *path, int flags, int fd);
void op_connect_unix(const char *path, int fd);
void op_grab_fds(int pid, int first, int count);
void op_setrlimit(int res, int64_t soft, int64_t hard);
void op_sched(const struct arg *a);
void op_cap_bounding(uint64_t keep);
void op_set_user(int uid, int gid, const int64_t *groups, uint32_t ngroups, int setgroups);
void op_capset(uint64_t eff, uint64_t perm, uint64_t inh, uint64_t amb);
void op_seccomp(const char *prog, uint32_t len, unsigned flags, int listener, const char *msg,
                uint32_t msglen);
void op_check_exec(const char *file, const char *path);
__attribute__((noreturn)) void op_exec(const char *file, char **args, char **env,
                                       const char *path);

/* hook.c */
void op_hook(const char *path, char **args, char **env, int64_t timeout, const char *in,
             uint32_t inlen);

/* reaper.c */
void op_reaper(void);

/* pty.c */
void op_open_pty(int console, int rows, int cols);

#endif

/*
 * hook.c - HOOK: run a program with the given argv/env, feed it stdin, collect its output
 * (stdout and stderr, first 4 KiB) and fail the plan on a non-zero status or a timeout.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "init.h"

#define HOOK_OUTPUT_MAX 4096

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

void op_hook(const char *path, char **args, char **env, int64_t timeout, const char *in,
             uint32_t inlen)
{
    int inp[2], outp[2];
    if (pipe2(inp, O_CLOEXEC) < 0 || pipe2(outp, O_CLOEXEC) < 0)
        fail(errno, "hook %s: pipe", path);
    pid_t pid = fork();
    if (pid < 0)
        fail(errno, "hook %s: fork", path);
    if (pid == 0) {
        if (dup2(inp[0], 0) < 0 || dup2(outp[1], 1) < 0 || dup2(outp[1], 2) < 0)
            _exit(127);
        restore_signals();
        execve(path, args, env);
        dprintf(2, "exec %s: %s", path, strerror(errno));
        _exit(127);
    }
    close(inp[0]);
    close(outp[1]);
    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (pidfd < 0) {
        kill(pid, SIGKILL);
        fail(errno, "hook %s: pidfd_open", path);
    }
    fcntl(inp[1], F_SETFL, O_NONBLOCK);
    fcntl(outp[0], F_SETFL, O_NONBLOCK);
    if (inlen == 0) {
        close(inp[1]);
        inp[1] = -1;
    }

    char out[HOOK_OUTPUT_MAX + 1], sink[4096];
    size_t outlen = 0;
    long long deadline = timeout > 0 ? now_ms() + timeout * 1000 : 0;
    int exited = 0;
    /* until the hook exits: feed stdin, drain output, watch the clock */
    while (!exited) {
        struct pollfd p[3] = {
            { pidfd, POLLIN, 0 }, { outp[0], POLLIN, 0 }, { inp[1], POLLOUT, 0 },
        };
        int wait_ms = -1;
        if (deadline) {
            long long left = deadline - now_ms();
            if (left <= 0) {
                kill(pid, SIGKILL);
                waitpid(pid, NULL, 0);
                fail(ETIMEDOUT, "timed out after %lld s", (long long)timeout);
            }
            wait_ms = (int)left;
        }
        if (poll(p, inp[1] >= 0 ? 3 : 2, wait_ms) < 0 && errno != EINTR)
            fail(errno, "hook %s: poll", path);
        if (p[0].revents)
            exited = 1;
        if (p[2].revents) {
            ssize_t n = inp[1] >= 0 ? write(inp[1], in, inlen) : 0;
            if (n > 0) {
                in += n;
                inlen -= (uint32_t)n;
            }
            if ((n < 0 && errno != EAGAIN) || inlen == 0) { /* done, or the hook closed stdin */
                close(inp[1]);
                inp[1] = -1;
            }
        }
        /* after exit: take what is there, but never wait for a grandchild's EOF */
        for (;;) {
            char *dst = outlen < HOOK_OUTPUT_MAX ? out + outlen : sink;
            size_t room = outlen < HOOK_OUTPUT_MAX ? HOOK_OUTPUT_MAX - outlen : sizeof sink;
            ssize_t n = read(outp[0], dst, room);
            if (n > 0 && dst == out + outlen)
                outlen += (size_t)n;
            if (n <= 0 || !exited)
                break;
        }
    }
    if (inp[1] >= 0)
        close(inp[1]);
    close(outp[0]);
    close(pidfd);
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            fail(errno, "hook %s: waitpid", path);
    out[outlen] = 0;
    if (WIFSIGNALED(st))
        fail(0, "killed by signal %d%s%s", WTERMSIG(st), outlen ? ": " : "", out);
    if (WEXITSTATUS(st) != 0)
        fail(0, "exit status %d%s%s", WEXITSTATUS(st), outlen ? ": " : "", out);
}

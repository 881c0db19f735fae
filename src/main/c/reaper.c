/*
 * reaper.c - REAPER: the process stays as a minimal init (PID 1 of the container) that
 * forwards every signal it can to its one child and reaps every zombie; the child returns
 * to run the rest of the plan. The init exits with the child's status (128+signal).
 */
#include <errno.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "init.h"

void op_reaper(void)
{
    /* the synchronous signals stay deliverable: they report our own faults */
    static const int sync_signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGSYS };
    sigset_t all, old;
    sigfillset(&all);
    for (size_t k = 0; k < sizeof sync_signals / sizeof sync_signals[0]; k++)
        sigdelset(&all, sync_signals[k]);
    if (sigprocmask(SIG_SETMASK, &all, &old) < 0)
        fail(errno, "reaper: block signals");
    pid_t child = fork();
    if (child < 0)
        fail(errno, "reaper: fork");
    if (child == 0) {
        sigprocmask(SIG_SETMASK, &old, NULL);
        return;
    }
    /* hold nothing of the container's or the runtime's: not the JVM's channel, not stdio */
    g_sync = g_sync_out = -1;
    syscall(SYS_close_range, 0U, ~0U, 0U);
    for (;;) {
        siginfo_t si;
        int sig = sigwaitinfo(&all, &si);
        if (sig < 0)
            continue;
        if (sig != SIGCHLD) {
            kill(child, sig);
            continue;
        }
        int st;
        pid_t p;
        while ((p = waitpid(-1, &st, WNOHANG)) > 0)
            if (p == child)
                _exit(WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
    }
}

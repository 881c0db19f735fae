/*
 * seccomp-agent.c - a minimal seccomp notify agent for SeccompIT (test code, built by the test
 * with gcc into target/).
 *
 *   seccomp-agent SOCKET
 *
 * Listens on the unix socket SOCKET, prints "ready", accepts one connection (then removes
 * SOCKET, so that another agent can listen there) and receives the runtime's message: the
 * container process state (JSON) with the notify fd in SCM_RIGHTS. Prints "state <json>"
 * and "fds <n>", then answers every notification until the filter has no users left:
 * getppid returns 42, every other syscall fails with EACCES. Prints "notif nr=<n>" per
 * notification. Exits 0 when the filtered processes are gone, 1 on any error; gives up
 * after 60 s whatever happens.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

static void die(const char *what)
{
    printf("error %s: %s\n", what, strerror(errno));
    exit(1);
}

int main(int argc, char **argv)
{
    if (argc != 2 || strlen(argv[1]) >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
        fprintf(stderr, "usage: seccomp-agent SOCKET\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    alarm(60);

    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    strcpy(sa.sun_path, argv[1]);
    int ls = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (ls < 0 || bind(ls, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(ls, 1) < 0)
        die("listen");
    printf("ready\n");

    int c = accept4(ls, NULL, NULL, SOCK_CLOEXEC);
    if (c < 0)
        die("accept");
    /* one connection per agent: free the path for the next one */
    close(ls);
    unlink(argv[1]);
    static char buf[65536];
    char ctl[CMSG_SPACE(4 * sizeof(int))];
    struct iovec iov = { buf, sizeof buf - 1 };
    struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
                         .msg_controllen = sizeof ctl };
    ssize_t n = recvmsg(c, &mh, MSG_CMSG_CLOEXEC);
    if (n < 0)
        die("recvmsg");
    buf[n] = 0;
    /* the spec allows the JSON to span several sendmsg calls: read up to EOF */
    for (ssize_t r; (r = read(c, buf + n, sizeof buf - 1 - n)) > 0; n += r)
        buf[n + r] = 0;
    printf("state %s\n", buf);

    int nfds = 0, fd = -1;
    for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
        if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
            continue;
        nfds += (int)((cm->cmsg_len - CMSG_LEN(0)) / sizeof(int));
        memcpy(&fd, CMSG_DATA(cm), sizeof(int));
    }
    printf("fds %d\n", nfds);
    if (fd < 0)
        return 1;

    for (;;) {
        struct seccomp_notif req;
        memset(&req, 0, sizeof req); /* the kernel refuses a request buffer that is not zeroed */
        if (ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) {
            if (errno == EINTR)
                continue;
            if (errno == ENOENT) /* every process that used the filter has exited */
                return 0;
            die("SECCOMP_IOCTL_NOTIF_RECV");
        }
        printf("notif nr=%d\n", req.data.nr);
        struct seccomp_notif_resp resp = { .id = req.id };
        if (req.data.nr == SYS_getppid)
            resp.val = 42;
        else
            resp.error = -EACCES;
        /* ENOENT: the target died or was interrupted meanwhile, nothing to answer */
        if (ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, &resp) < 0 && errno != ENOENT)
            die("SECCOMP_IOCTL_NOTIF_SEND");
    }
}

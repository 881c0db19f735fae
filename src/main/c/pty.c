/*
 * pty.c - OPEN_PTY: a pty made inside the container; its master goes to the console socket
 * (SCM_RIGHTS, runc's protocol), its slave becomes stdio and the controlling terminal.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>
#include "init.h"

void op_open_pty(int console, int rows, int cols)
{
    char pts[64];
    unsigned int n;
    int unlock = 0;
    int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0)
        fail(errno, "open /dev/ptmx");
    if (ioctl(master, TIOCSPTLCK, &unlock) < 0 || ioctl(master, TIOCGPTN, &n) < 0)
        fail(errno, "unlock the pty");
    snprintf(pts, sizeof pts, "/dev/pts/%u", n);
    int slave = open(pts, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (slave < 0)
        fail(errno, "open %s", pts);
    if (rows > 0 && cols > 0) {
        struct winsize ws = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };
        if (ioctl(slave, TIOCSWINSZ, &ws) < 0)
            fail(errno, "set the size of %s", pts);
    }
    if (send_fd(console, master, pts, strlen(pts)) < 0)
        fail(errno, "send the pty master over the console socket (fd %d)", console);
    close(master);
    close(console);
    struct stat st;
    if (stat("/dev/console", &st) == 0 && mount(pts, "/dev/console", NULL, MS_BIND, NULL) < 0)
        fail(errno, "bind %s onto /dev/console", pts);
    for (int fd = 0; fd < 3; fd++)
        if (dup2(slave, fd) < 0)
            fail(errno, "dup %s onto fd %d", pts, fd);
    if (slave > 2)
        close(slave);
    if (ioctl(0, TIOCSCTTY, 0) < 0)
        fail(errno, "make %s the controlling terminal", pts);
}

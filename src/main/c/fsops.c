/*
 * fsops.c - files and mounts: the "in root" ops (resolved under SET_ROOT with
 * openat2(RESOLVE_IN_ROOT), so no symlink in the rootfs can lead to the host), MOUNT,
 * MOUNT_SETATTR, PIVOT_ROOT / MOVE_ROOT, MASK_PATH / READONLY_PATH, MKFIFO, WRITE_FILE.
 *
 * Modes given by a plan are applied exactly: creation runs with umask 0.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "init.h"

static int g_root = -1;

void op_set_root(const char *path)
{
    int fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || (fd = move_high(fd)) < 0)
        fail(errno, "open root %s", path);
    if (g_root >= 0)
        close(g_root);
    g_root = fd;
}

int open_in_root(const char *path, int flags, int mode)
{
    struct open_how how = {
        .flags = (uint64_t)(flags | O_CLOEXEC),
        .mode = (uint64_t)mode,
        .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
    };
    if (g_root < 0) {
        errno = EBADFD;
        return -1;
    }
    int fd;
    do
        fd = (int)syscall(SYS_openat2, g_root, path, &how, sizeof how);
    while (fd < 0 && errno == EAGAIN);
    return fd;
}

static void need_root(const char *what, const char *path)
{
    if (g_root < 0)
        fail(EBADFD, "%s %s: no SET_ROOT before this op", what, path);
}

void op_mkdir_in_root(const char *path, int mode)
{
    char buf[4096];
    need_root("mkdir", path);
    if (strlen(path) >= sizeof buf)
        fail(ENAMETOOLONG, "mkdir %s", path);
    strcpy(buf, path);
    mode_t old = umask(0);
    int parent = open_in_root("/", O_PATH | O_DIRECTORY, 0);
    if (parent < 0)
        fail(errno, "open root directory");
    /* each prefix is opened under the root: a symlink component resolves inside it */
    for (char *p = buf, *comp; *p;) {
        while (*p == '/')
            p++;
        if (!*p)
            break;
        comp = p;
        while (*p && *p != '/')
            p++;
        char saved = *p;
        *p = 0;
        if (mkdirat(parent, comp, (mode_t)mode) < 0 && errno != EEXIST)
            fail(errno, "mkdir %s in root", buf);
        int fd = open_in_root(buf, O_PATH | O_DIRECTORY, 0);
        if (fd < 0)
            fail(errno, "open %s in root", buf);
        close(parent);
        parent = fd;
        *p = saved;
    }
    close(parent);
    umask(old);
}

/* Opens the parent directory of path in the root; *base points at the last component. */
static int open_parent(const char *path, char *buf, size_t size, const char **base, int make)
{
    if (strlen(path) >= size)
        fail(ENAMETOOLONG, "%s", path);
    strcpy(buf, path);
    size_t n = strlen(buf);
    while (n > 1 && buf[n - 1] == '/')
        buf[--n] = 0;
    char *slash = strrchr(buf, '/');
    char dir[4096];
    if (!slash) {
        strcpy(dir, "/");
        *base = buf;
    } else {
        memcpy(dir, buf, (size_t)(slash - buf));
        dir[slash - buf] = 0;
        *base = slash + 1;
    }
    if (!**base)
        fail(EINVAL, "%s: no file name", path);
    if (make)
        op_mkdir_in_root(dir[0] ? dir : "/", 0755);
    int fd = open_in_root(dir[0] ? dir : "/", O_PATH | O_DIRECTORY, 0);
    if (fd < 0)
        fail(errno, "open %s in root", dir[0] ? dir : "/");
    return fd;
}

void op_mkfile_in_root(const char *path, int mode)
{
    char buf[4096];
    const char *base;
    need_root("create file", path);
    int fd = open_in_root(path, O_PATH, 0);
    if (fd >= 0) {
        close(fd); /* a file or directory already: fine */
        return;
    }
    int dir = open_parent(path, buf, sizeof buf, &base, 1);
    mode_t old = umask(0);
    fd = openat(dir, base, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, (mode_t)mode);
    if (fd < 0 && errno != EEXIST)
        fail(errno, "create file %s in root", path);
    umask(old);
    if (fd >= 0)
        close(fd);
    close(dir);
}

void op_mknod_in_root(const char *path, int mode, uint64_t dev, int uid, int gid)
{
    char buf[4096];
    const char *base;
    need_root("mknod", path);
    int dir = open_parent(path, buf, sizeof buf, &base, 0);
    mode_t old = umask(0);
    if (mknodat(dir, base, (mode_t)mode, (dev_t)dev) < 0) {
        if (errno != EEXIST)
            fail(errno, "mknod %s in root", path);
    } else if (fchownat(dir, base, (uid_t)uid, (gid_t)gid, AT_SYMLINK_NOFOLLOW) < 0) {
        fail(errno, "chown %s in root to %d:%d", path, uid, gid);
    }
    umask(old);
    close(dir);
}

void op_symlink_in_root(const char *target, const char *path)
{
    char buf[4096];
    const char *base;
    need_root("symlink", path);
    int dir = open_parent(path, buf, sizeof buf, &base, 0);
    if (symlinkat(target, dir, base) < 0 && errno != EEXIST)
        fail(errno, "symlink %s -> %s in root", path, target);
    close(dir);
}

/* The MS_* flags a remount must keep because the kernel locked them (user namespaces). */
static unsigned long locked_flags(const char *target)
{
    struct statvfs sv;
    unsigned long f = 0;
    if (statvfs(target, &sv) < 0)
        return 0;
    if (sv.f_flag & ST_NOSUID) f |= MS_NOSUID;
    if (sv.f_flag & ST_NODEV) f |= MS_NODEV;
    if (sv.f_flag & ST_NOEXEC) f |= MS_NOEXEC;
    if (sv.f_flag & ST_NOATIME) f |= MS_NOATIME;
    if (sv.f_flag & ST_NODIRATIME) f |= MS_NODIRATIME;
    if (sv.f_flag & ST_RELATIME) f |= MS_RELATIME;
    return f;
}

static int do_mount(const char *src, const char *target, const char *fstype,
                    unsigned long flags, const char *data)
{
    int r = mount(src && *src ? src : NULL, target, fstype && *fstype ? fstype : NULL, flags,
                  data && *data ? data : NULL);
    if (r < 0 && errno == EPERM && (flags & (MS_REMOUNT | MS_BIND)) == (MS_REMOUNT | MS_BIND)) {
        unsigned long locked = locked_flags(target);
        if ((flags | locked) != flags)
            r = mount(src && *src ? src : NULL, target, NULL, flags | locked,
                      data && *data ? data : NULL);
        if (r < 0)
            errno = EPERM;
    }
    return r;
}

void op_mount(const char *src, const char *target, const char *fstype, unsigned long flags,
              const char *data, int in_root)
{
    char fdpath[64];
    const char *where = target;
    int fd = -1;
    if (in_root) {
        need_root("mount on", target);
        /* mount onto the fd: the target is what openat2 found inside the root */
        if ((fd = open_in_root(target, O_PATH, 0)) < 0)
            fail(errno, "open mount target %s in root", target);
        snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", fd);
        where = fdpath;
    }
    if (do_mount(src, where, fstype, flags, data) < 0)
        fail(errno, "mount %s on %s (%s) type %s flags 0x%lx", *src ? src : "none", where,
             target, *fstype ? fstype : "none", flags);
    if (fd >= 0)
        close(fd);
}

void op_mount_setattr(const char *target, int in_root, uint64_t set, uint64_t clr,
                      uint64_t prop, int recursive, const char *userns)
{
    struct mount_attr attr = { .attr_set = set, .attr_clr = clr, .propagation = prop };
    int fd = in_root ? open_in_root(target, O_PATH, 0) : open(target, O_PATH | O_CLOEXEC);
    if (fd < 0)
        fail(errno, "open %s%s", target, in_root ? " in root" : "");
    int ns = -1;
    if (*userns) {
        if ((ns = open(userns, O_RDONLY | O_CLOEXEC)) < 0)
            fail(errno, "open user namespace %s", userns);
        attr.userns_fd = (uint64_t)ns;
    }
    if (syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &attr,
                sizeof attr) < 0)
        fail(errno, "mount_setattr %s set 0x%llx clear 0x%llx propagation 0x%llx", target,
             (unsigned long long)set, (unsigned long long)clr, (unsigned long long)prop);
    if (ns >= 0)
        close(ns);
    close(fd);
}

void op_pivot_root(const char *path)
{
    int oldroot = open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    if (oldroot < 0)
        fail(errno, "open /");
    int newroot = open(path, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    if (newroot < 0)
        fail(errno, "open new root %s", path);
    if (fchdir(newroot) < 0)
        fail(errno, "chdir %s", path);
    /* pivot_root(".", "."): the old root ends up stacked on top of the new one */
    if (syscall(SYS_pivot_root, ".", ".") < 0)
        fail(errno, "pivot_root %s", path);
    if (fchdir(oldroot) < 0)
        fail(errno, "chdir to the old root");
    /* never let the unmount propagate back to the host */
    if (mount("", ".", "", MS_SLAVE | MS_REC, "") < 0)
        fail(errno, "make the old root rslave");
    if (umount2(".", MNT_DETACH) < 0)
        fail(errno, "detach the old root");
    if (chdir("/") < 0)
        fail(errno, "chdir /");
    close(oldroot);
    close(newroot);
}

void op_move_root(const char *path)
{
    if (chdir(path) < 0)
        fail(errno, "chdir %s", path);
    if (mount(path, "/", NULL, MS_MOVE, NULL) < 0)
        fail(errno, "move mount %s onto /", path);
    if (chroot(".") < 0)
        fail(errno, "chroot %s", path);
    if (chdir("/") < 0)
        fail(errno, "chdir /");
}

void op_mask_path(const char *path)
{
    struct stat st;
    if (stat(path, &st) < 0) {
        if (errno == ENOENT)
            return;
        fail(errno, "stat masked path %s", path);
    }
    if (S_ISDIR(st.st_mode)) {
        if (mount("tmpfs", path, "tmpfs", MS_RDONLY, NULL) < 0)
            fail(errno, "mount read-only tmpfs over masked directory %s", path);
    } else if (mount("/dev/null", path, NULL, MS_BIND, NULL) < 0) {
        fail(errno, "bind /dev/null over masked path %s", path);
    }
}

void op_readonly_path(const char *path)
{
    struct stat st;
    if (stat(path, &st) < 0) {
        if (errno == ENOENT)
            return;
        fail(errno, "stat read-only path %s", path);
    }
    if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0)
        fail(errno, "bind read-only path %s onto itself", path);
    if (do_mount(path, path, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL) < 0)
        fail(errno, "remount %s read-only", path);
}

void op_mkfifo(const char *path, int mode)
{
    mode_t old = umask(0);
    if (mkfifo(path, (mode_t)mode) < 0)
        fail(errno, "mkfifo %s", path);
    umask(old);
}

void op_write_file(const char *path, const char *data, size_t len, int flags)
{
    int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT && (flags & 1))
            return;
        fail(errno, "open %s for writing", path);
    }
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            fail(errno, "write %s", path);
        data += n;
        len -= (size_t)n;
    }
    if (close(fd) < 0)
        fail(errno, "close %s", path);
}

package dev.jruntime.plan;

/** Kernel constants the planner puts into plans (x86_64/aarch64 values, from the uapi headers). */
public final class Linux {
    private Linux() {}

    // mount(2) flags
    public static final long MS_RDONLY = 1, MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8, MS_REMOUNT = 32;
    public static final long MS_BIND = 4096, MS_REC = 16384;
    public static final long MS_UNBINDABLE = 1 << 17, MS_PRIVATE = 1 << 18, MS_SLAVE = 1 << 19, MS_SHARED = 1 << 20;

    // clone(2) namespace flags
    public static final long CLONE_NEWTIME = 0x80, CLONE_NEWNS = 0x20000, CLONE_NEWCGROUP = 0x02000000,
            CLONE_NEWUTS = 0x04000000, CLONE_NEWIPC = 0x08000000, CLONE_NEWUSER = 0x10000000,
            CLONE_NEWPID = 0x20000000, CLONE_NEWNET = 0x40000000;

    // open(2) flags
    public static final long O_DIRECTORY = 0200000, O_PATH = 010000000, O_CLOEXEC = 02000000;

    // file types for mknod
    public static final long S_IFCHR = 0020000, S_IFBLK = 0060000, S_IFIFO = 0010000;

    public static long makedev(long major, long minor) {
        return (minor & 0xff) | ((major & 0xfff) << 8) | ((minor & ~0xffL) << 12) | ((major & ~0xfffL) << 32);
    }
}

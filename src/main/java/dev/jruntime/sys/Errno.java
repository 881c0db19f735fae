package dev.jruntime.sys;

/** errno values as text, worded like Go's syscall errors (what runc prints, what podman greps). */
public final class Errno {
    private Errno() {}

    public static final int EPERM = 1, ENOENT = 2, ESRCH = 3, EACCES = 13, ETIMEDOUT = 110;

    private static final String[] TEXT = new String[134];

    static {
        set(1, "operation not permitted"); set(2, "no such file or directory"); set(3, "no such process");
        set(4, "interrupted system call"); set(5, "input/output error"); set(6, "no such device or address");
        set(7, "argument list too long"); set(8, "exec format error"); set(9, "bad file descriptor");
        set(10, "no child processes"); set(11, "resource temporarily unavailable"); set(12, "cannot allocate memory");
        set(13, "permission denied"); set(14, "bad address"); set(15, "block device required");
        set(16, "device or resource busy"); set(17, "file exists"); set(18, "invalid cross-device link");
        set(19, "no such device"); set(20, "not a directory"); set(21, "is a directory"); set(22, "invalid argument");
        set(23, "too many open files in system"); set(24, "too many open files"); set(25, "inappropriate ioctl for device");
        set(26, "text file busy"); set(27, "file too large"); set(28, "no space left on device"); set(29, "illegal seek");
        set(30, "read-only file system"); set(31, "too many links"); set(32, "broken pipe");
        set(34, "numerical result out of range"); set(36, "file name too long"); set(38, "function not implemented");
        set(39, "directory not empty"); set(40, "too many levels of symbolic links"); set(61, "no data available");
        set(75, "value too large for defined data type"); set(95, "operation not supported");
        set(98, "address already in use"); set(104, "connection reset by peer"); set(110, "connection timed out");
        set(111, "connection refused"); set(122, "disk quota exceeded");
    }

    private static void set(int n, String s) {
        TEXT[n] = s;
    }

    public static String text(int errno) {
        if (errno > 0 && errno < TEXT.length && TEXT[errno] != null) return TEXT[errno];
        return "errno " + errno;
    }
}

package dev.jruntime.cgroups;

/**
 * One primitive step of the {@code cgroup} mount type inside the container.
 *
 * <p>{@code target} is the path inside the container (absolute, under the mount's
 * destination). For {@link Kind#MOUNT}: {@code mount(source, target, fstype, flags, data)}.
 * For {@link Kind#SYMLINK}: a symlink at {@code target} whose text is {@code source}.
 * For {@link Kind#REMOUNT}: a bind remount of {@code target} with {@code flags} (used to make
 * the tmpfs read-only once the hierarchies are mounted in it).
 */
public record CgroupMount(Kind kind, String source, String target, String fstype, long flags, String data) {

    public enum Kind { MOUNT, SYMLINK, REMOUNT }

    public static final long MS_RDONLY = 1, MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8,
            MS_REMOUNT = 32, MS_BIND = 4096, MS_RELATIME = 1 << 21;

    static CgroupMount mount(String source, String target, String fstype, long flags, String data) {
        return new CgroupMount(Kind.MOUNT, source, target, fstype, flags, data);
    }

    static CgroupMount symlink(String text, String target) {
        return new CgroupMount(Kind.SYMLINK, text, target, null, 0, null);
    }

    static CgroupMount remount(String target, long flags) {
        return new CgroupMount(Kind.REMOUNT, target, target, null, flags, null);
    }
}

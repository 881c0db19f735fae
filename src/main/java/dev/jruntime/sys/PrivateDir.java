package dev.jruntime.sys;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * A new directory only its owner can enter (mode 0700), for the sockets of one run.
 *
 * <p>Why not {@link Files#createTempDirectory}: it names directories with a SecureRandom,
 * whose first use initialises the JCA providers and seeds from the kernel: ~12 ms of every
 * {@code create}. The name need not be secret: the parent is jruntime's own state root, and
 * mkdir fails on any existing name (symlinks included), so a name taken is tried again.
 */
public final class PrivateDir {
    private PrivateDir() {}

    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    /** {@code parent/<prefix><pid>-<n>}, created with mode 0700. */
    public static Path create(Path parent, String prefix) throws IOException {
        long pid = ProcessHandle.current().pid();
        long n = System.nanoTime() & 0xffffff;
        for (int attempt = 0; ; attempt++) {
            Path dir = parent.resolve(prefix + pid + "-" + Long.toString(n + attempt, 36));
            try {
                return Files.createDirectory(dir, OWNER_ONLY);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 100) throw e;
            }
        }
    }
}

package dev.jruntime;

/**
 * The one error type of jruntime: what failed, on which path or config field, and why.
 *
 * <p>The message a user sees is {@code what [where]: why}, for example
 * {@code config.json: /process/rlimits/0/type: "RLIMIT_FOO" is not a valid rlimit} or
 * {@code mount proc on /proc: operation not permitted}. Everything that fails in jruntime
 * ends up as one of these, printed once on stderr (and in the --log file) by the CLI.
 */
public final class JrError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Exit status of the CLI: 1 for runtime errors, 2 for usage errors. */
    private final int exitCode;

    private JrError(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    /** A runtime failure described by one sentence. */
    public static JrError of(String message) {
        return new JrError(message, 1, null);
    }

    /** A runtime failure caused by another exception (an I/O error, usually). */
    public static JrError of(String message, Throwable cause) {
        return new JrError(message + ": " + reason(cause), 1, cause);
    }

    /** A config.json problem at a JSON pointer: {@code config.json: /a/b: rule}. */
    public static JrError config(String pointer, String rule) {
        return new JrError("config.json: " + (pointer.isEmpty() ? "/" : pointer) + ": " + rule, 1, null);
    }

    /** A failed operation on a path: {@code what path: why}. */
    public static JrError path(String what, Object path, String why) {
        return new JrError(what + " " + path + ": " + why, 1, null);
    }

    /** A command-line usage error (exit status 2). */
    public static JrError usage(String message) {
        return new JrError(message, 2, null);
    }

    /** The reason text of an exception, without Java class names where the JDK adds them. */
    public static String reason(Throwable t) {
        if (t instanceof java.nio.file.NoSuchFileException) return "no such file or directory";
        if (t instanceof java.nio.file.AccessDeniedException) return "permission denied";
        if (t instanceof java.nio.file.FileAlreadyExistsException) return "file exists";
        if (t instanceof java.nio.file.NotDirectoryException) return "not a directory";
        if (t instanceof java.nio.file.DirectoryNotEmptyException) return "directory not empty";
        if (t instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
            return fse.getReason().toLowerCase(java.util.Locale.ROOT);
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }
}

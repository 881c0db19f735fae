package dev.jruntime.cli;

/** Build facts. The commit is read from the jar manifest when the build recorded one. */
final class Build {
    private Build() {}

    static final String COMMIT = commit();

    private static String commit() {
        String c = Build.class.getPackage() == null ? null : Build.class.getPackage().getImplementationVersion();
        // a build outside a git checkout leaves the manifest's placeholder unexpanded (or empty)
        return c == null || c.isBlank() || c.contains("${") ? "unknown" : c;
    }
}

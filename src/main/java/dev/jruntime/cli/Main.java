package dev.jruntime.cli;

import dev.jruntime.JrError;
import dev.jruntime.container.StateStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The jruntime command line: global flags, then a verb and its arguments (runc's shape).
 *
 * <p>Each verb lives in its own class and is loaded only when called, so a `state` or `kill`
 * does not pay for what `create` needs (config validation, the planner, seccomp).
 */
public final class Main {
    private Main() {}

    public static final String VERSION = "0.1.0";
    public static final String SPEC_VERSION = "1.3.0";

    private static final List<Args.Flag> GLOBAL_FLAGS = List.of(
            Args.value("--root"),
            Args.value("--log"),
            Args.value("--log-format"),
            Args.bool("--debug"),
            Args.bool("--systemd-cgroup"),
            Args.value("--rootless"),
            Args.value("--criu"),
            Args.bool("--version", "-v"),
            Args.bool("--help", "-h"));

    /** What every verb gets: where state lives, how to report, and the runtime's own files. */
    public record Context(StateStore store, Log log, boolean systemdCgroup, Path home, PrintStream out) {
        public Path initBinary() {
            return home.resolve("libexec/jruntime-init");
        }
    }

    public static void main(String[] argv) {
        int rc = run(argv, System.out, System.err);
        System.out.flush();
        System.err.flush();
        // halt, not exit: since JDK 21 Runtime.exit logs through System.Logger, and finding a
        // LoggerFinder costs ~6 ms per verb. Nothing is left for shutdown hooks to do here: the
        // one hook jruntime registers (the terminal relay's) is removed when the relay closes,
        // and exits by signal still run it.
        Runtime.getRuntime().halt(rc);
    }

    public static int run(String[] argv, PrintStream out, PrintStream err) {
        Log log = new Log(err, null, "text", false);
        try {
            Args g = Args.parse(Arrays.asList(argv), GLOBAL_FLAGS, "jruntime");
            log = new Log(err, g.get("log"), g.get("log-format", "text"), g.has("debug"));
            if (g.get("log-format") != null && !List.of("text", "json").contains(g.get("log-format"))) {
                throw JrError.usage("invalid --log-format \"" + g.get("log-format") + "\": text or json");
            }
            if (g.get("rootless") != null && !List.of("false", "auto").contains(g.get("rootless"))) {
                throw JrError.of("--rootless " + g.get("rootless") + ": rootless containers are not supported by jruntime");
            }
            if (g.has("version")) {
                out.print(versionText());
                return 0;
            }
            List<String> rest = g.positionals();
            if (g.has("help") || rest.isEmpty()) {
                out.print(Usage.TEXT);
                return rest.isEmpty() && !g.has("help") ? 2 : 0;
            }
            String home = System.getProperty("jruntime.home", ".");
            Context ctx = new Context(new StateStore(Path.of(g.get("root", "/run/jruntime"))), log,
                    g.has("systemd-cgroup"), Path.of(home), out);
            String verb = rest.get(0);
            List<String> args = rest.subList(1, rest.size());
            return switch (verb) {
                case "create" -> LifecycleVerbs.create(ctx, args);
                case "start" -> LifecycleVerbs.start(ctx, args);
                case "run" -> LifecycleVerbs.run(ctx, args);
                case "state" -> QueryVerbs.state(ctx, args);
                case "list" -> QueryVerbs.list(ctx, args);
                case "kill" -> LifecycleVerbs.kill(ctx, args);
                case "exec" -> ExecVerb.run(ctx, args);
                case "pause" -> CgroupVerbs.pause(ctx, args);
                case "resume" -> CgroupVerbs.resume(ctx, args);
                case "ps" -> CgroupVerbs.ps(ctx, args);
                case "update" -> CgroupVerbs.update(ctx, args);
                case "events" -> CgroupVerbs.events(ctx, args);
                case "delete" -> LifecycleVerbs.delete(ctx, args);
                case "spec" -> InfoVerbs.spec(ctx, args);
                case "features" -> InfoVerbs.features(ctx, args);
                case "training" -> Training.run(ctx, args);
                case "help" -> {
                    out.print(Usage.TEXT);
                    yield 0;
                }
                default -> throw JrError.usage("unknown command \"" + verb + "\" (see jruntime --help)");
            };
        } catch (JrError e) {
            log.error(e.getMessage());
            if (log.debugEnabled() && e.getCause() != null) e.printStackTrace(err);
            return e.exitCode();
        }
    }

    static String versionText() {
        return "jruntime version " + VERSION + "\ncommit: " + Build.COMMIT + "\nspec: " + SPEC_VERSION + "\n";
    }
}

package dev.jruntime.cli;

import dev.jruntime.JrError;
import dev.jruntime.cli.Main.Context;
import dev.jruntime.container.Creator;
import dev.jruntime.container.Lifecycle;
import dev.jruntime.plan.CreateOptions;
import dev.jruntime.sys.Native;
import dev.jruntime.sys.Signals;
import dev.jruntime.terminal.TerminalRelay;
import java.nio.file.Path;
import java.util.List;

/** create, start, run, kill, delete: parse the command line, call the container package. */
final class LifecycleVerbs {
    private LifecycleVerbs() {}

    private static final List<Args.Flag> CREATE_FLAGS = List.of(
            Args.value("--bundle", "-b"),
            Args.value("--pid-file"),
            Args.value("--console-socket"),
            Args.bool("--no-pivot"),
            Args.bool("--no-new-keyring"),
            Args.value("--preserve-fds"),
            Args.bool("--init"),
            Args.bool("--detach", "-d"),
            Args.bool("--keep"),
            Args.bool("--no-subreaper"));

    private static CreateOptions createOptions(Args a, String verb, boolean foreground) {
        String id = a.id(verb);
        a.expectPositionals(verb, 1, 1);
        Path bundle = Path.of(a.get("bundle", ".")).toAbsolutePath();
        String pidFile = a.get("pid-file");
        int preserve = a.intValue("preserve-fds", 0);
        if (preserve < 0 || preserve > 90) throw JrError.usage("--preserve-fds must be between 0 and 90");
        return new CreateOptions(id, bundle, pidFile == null ? null : Path.of(pidFile), a.get("console-socket"),
                preserve, a.has("no-pivot"), a.has("init"), foreground);
    }

    private static Lifecycle lifecycle(Context ctx) {
        return new Lifecycle(ctx.store(), ctx.initBinary(), ctx.log()::warn);
    }

    static int create(Context ctx, List<String> argv) {
        Args a = Args.parse(argv, CREATE_FLAGS, "create");
        CreateOptions o = createOptions(a, "create", false);
        new Creator(ctx.store(), ctx.initBinary(), ctx.systemdCgroup(), ctx.log()::warn).create(o);
        return 0;
    }

    static int start(Context ctx, List<String> argv) {
        Args a = Args.parse(argv, List.of(), "start");
        String id = a.id("start");
        a.expectPositionals("start", 1, 1);
        lifecycle(ctx).start(id);
        return 0;
    }

    /**
     * create + start; without --detach, waits for the container, forwards the signals jruntime
     * receives to it, deletes it and exits with its status. A terminal without --console-socket
     * is relayed to jruntime's own stdio (as `runc run -t`): see TerminalRelay.
     */
    static int run(Context ctx, List<String> argv) {
        Args a = Args.parse(argv, CREATE_FLAGS, "run");
        boolean detach = a.has("detach");
        CreateOptions o = createOptions(a, "run", !detach);
        Creator.Created c = new Creator(ctx.store(), ctx.initBinary(), ctx.systemdCgroup(), ctx.log()::warn).create(o);
        Lifecycle life = lifecycle(ctx);
        try (TerminalRelay tty = c.terminal()) {
            try {
                if (tty != null) tty.attach();
                if (!detach) forwardSignals(c.state().pid(), tty == null);
                life.start(o.id());
            } catch (JrError e) {
                if (c.session() != null) c.session().close();
                life.delete(o.id(), true);
                throw e;
            }
            if (detach) return 0;
            int status = c.session().waitForStage1();
            if (tty != null) {
                tty.drain();
                tty.close(); // the user's terminal back before anything else is printed
            }
            c.session().close();
            if (!a.has("keep")) life.delete(o.id(), true);
            return status;
        }
    }

    /** Signals a foreground `run` passes on to the container's init. */
    private static final String[] FORWARDED = {"HUP", "INT", "QUIT", "USR1", "USR2", "TERM", "WINCH", "CONT", "TSTP"};

    /** With jruntime relaying the terminal, WINCH resizes the pty instead (TerminalRelay). */
    private static void forwardSignals(long pid, boolean winch) {
        for (String name : FORWARDED) {
            if (name.equals("WINCH") && !winch) continue;
            try {
                int num = Signals.parse(name);
                sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> Native.kill(pid, num));
            } catch (IllegalArgumentException ignored) {
                // the JVM reserves this signal (e.g. QUIT with some options): not forwarded
            }
        }
    }

    static int kill(Context ctx, List<String> argv) {
        Args a = Args.parse(argv, List.of(Args.bool("--all", "-a")), "kill");
        String id = a.id("kill");
        a.expectPositionals("kill", 1, 2);
        int sig = a.positionals().size() > 1 ? Signals.parse(a.positionals().get(1)) : Signals.SIGTERM;
        lifecycle(ctx).kill(id, sig, a.has("all"));
        return 0;
    }

    static int delete(Context ctx, List<String> argv) {
        Args a = Args.parse(argv, List.of(Args.bool("--force", "-f")), "delete");
        String id = a.id("delete");
        a.expectPositionals("delete", 1, 1);
        lifecycle(ctx).delete(id, a.has("force"));
        return 0;
    }
}

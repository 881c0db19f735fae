package dev.jruntime.cli;

import dev.jruntime.JrError;
import dev.jruntime.cli.Main.Context;
import dev.jruntime.container.Executor;
import dev.jruntime.spec.ConfigLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** `exec [options] <id> [command args...]`: options end at the container id. */
final class ExecVerb {
    private ExecVerb() {}

    private static final List<Args.Flag> FLAGS = List.of(
            Args.value("--process", "-p"),
            Args.bool("--tty", "-t"),
            Args.value("--console-socket"),
            Args.bool("--detach", "-d"),
            Args.value("--pid-file"),
            Args.value("--cwd"),
            Args.repeated("--env", "-e"),
            Args.value("--user", "-u"),
            Args.repeated("--additional-gids", "-g"),
            Args.repeated("--cap", "-c"),
            Args.bool("--no-new-privs"),
            Args.value("--preserve-fds"),
            Args.value("--process-label"),
            Args.value("--apparmor"),
            Args.value("--cgroup"),
            Args.bool("--ignore-paused"));

    static int run(Context ctx, List<String> argv) {
        Args a = Args.parse(argv, FLAGS, "exec");
        String id = a.id("exec");
        List<String> command = a.positionals().subList(1, a.positionals().size());
        if (a.get("apparmor") != null) throw JrError.of("exec --apparmor: AppArmor is not enabled on this host");
        if (a.get("process-label") != null) throw JrError.of("exec --process-label: SELinux is not enabled on this host");
        if (a.get("cgroup") != null) throw JrError.of("exec --cgroup: joining a sub-cgroup is not supported");
        Long uid = null, gid = null;
        String user = a.get("user");
        if (user != null) {
            String[] parts = user.split(":", 2);
            uid = number(parts[0], "--user");
            if (parts.length > 1) gid = number(parts[1], "--user");
        }
        List<Long> groups = new ArrayList<>();
        for (String g : a.all("additional-gids")) groups.add(number(g, "--additional-gids"));
        String processFile = a.get("process");
        if (processFile == null && command.isEmpty()) {
            throw JrError.usage("exec: a command (or --process FILE) is required");
        }
        String pidFile = a.get("pid-file");
        Executor.ExecOptions o = new Executor.ExecOptions(id,
                processFile == null ? null : ConfigLoader.loadProcess(Path.of(processFile)),
                command, a.all("env"), a.get("cwd"), uid, gid, groups, a.all("cap"), a.has("no-new-privs"),
                a.has("tty"), a.get("console-socket"), a.has("detach"),
                pidFile == null ? null : Path.of(pidFile), a.intValue("preserve-fds", 0));
        return new Executor(ctx.store(), ctx.initBinary(), ctx.log()::warn).exec(o);
    }

    private static long number(String s, String flag) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw JrError.usage(flag + " \"" + s + "\": a numeric uid/gid is expected (names are not resolved)");
        }
    }
}

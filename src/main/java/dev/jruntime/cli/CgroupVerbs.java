package dev.jruntime.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.jruntime.JrError;
import dev.jruntime.cgroups.UpdateFlags;
import dev.jruntime.cli.Main.Context;
import dev.jruntime.container.Control;
import dev.jruntime.json.Json;
import dev.jruntime.spec.ConfigLoader;
import dev.jruntime.spec.Resources;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** pause, resume, ps, update, events: parse the command line, call container.Control. */
final class CgroupVerbs {
    private CgroupVerbs() {}

    private static Control control(Context ctx) {
        return new Control(ctx.store(), ctx.log()::warn);
    }

    private static String onlyId(List<String> argv, String verb) {
        Args a = Args.parse(argv, List.of(), verb);
        String id = a.id(verb);
        a.expectPositionals(verb, 1, 1);
        return id;
    }

    static int pause(Context ctx, List<String> argv) {
        control(ctx).pause(onlyId(argv, "pause"));
        return 0;
    }

    static int resume(Context ctx, List<String> argv) {
        control(ctx).resume(onlyId(argv, "resume"));
        return 0;
    }

    /** json: the array of host pids (what containerd parses); table: PID and command line. */
    static int ps(Context ctx, List<String> argv) {
        Args a = Args.parse(argv, List.of(Args.value("--format", "-f")), "ps");
        String id = a.id("ps");
        String format = a.get("format", "table");
        List<Long> pids = control(ctx).pids(id);
        if (format.equals("json")) {
            try (JsonGenerator g = Json.compact(ctx.out())) {
                g.writeStartArray();
                for (long p : pids) g.writeNumber(p);
                g.writeEndArray();
            } catch (IOException e) {
                throw JrError.of("write ps", e);
            }
            ctx.out().println();
            return 0;
        }
        if (!format.equals("table")) throw JrError.usage("invalid --format \"" + format + "\": table or json");
        ctx.out().printf("%-8s %s%n", "PID", "CMD");
        for (long p : pids) {
            String cmd;
            try {
                cmd = Files.readString(Path.of("/proc", Long.toString(p), "cmdline")).replace('\0', ' ').strip();
            } catch (IOException e) {
                cmd = "";
            }
            ctx.out().printf("%-8d %s%n", p, cmd);
        }
        return 0;
    }

    private static final List<Args.Flag> UPDATE_FLAGS = updateFlags();

    private static List<Args.Flag> updateFlags() {
        List<Args.Flag> f = new ArrayList<>();
        f.add(Args.value("--resources", "-r"));
        for (String n : UpdateFlags.NAMES) f.add(Args.value("--" + n));
        return f;
    }

    static int update(Context ctx, List<String> argv) {
        Args a = Args.parse(argv, UPDATE_FLAGS, "update");
        String id = a.id("update");
        a.expectPositionals("update", 1, 1);
        Resources r;
        String file = a.get("resources");
        if (file != null) {
            try (InputStream in = file.equals("-") ? System.in : new FileInputStream(file)) {
                r = ConfigLoader.loadResources(file.equals("-") ? "stdin" : file, in);
            } catch (IOException e) {
                throw JrError.path("update: read", file, JrError.reason(e));
            }
        } else {
            Map<String, String> flags = new HashMap<>();
            for (String n : UpdateFlags.NAMES) if (a.get(n) != null) flags.put(n, a.get(n));
            if (flags.isEmpty()) throw JrError.usage("update: give --resources FILE or at least one resource flag");
            r = UpdateFlags.toResources(flags);
        }
        control(ctx).update(id, r);
        return 0;
    }

    static int events(Context ctx, List<String> argv) {
        Args a = Args.parse(argv, List.of(Args.bool("--stats"), Args.value("--interval")), "events");
        String id = a.id("events");
        control(ctx).events(id, a.has("stats"), intervalMillis(a.get("interval", "5s")), ctx.out());
        return 0;
    }

    /** Go-style durations as runc takes them: 500ms, 5s, 1m. */
    static long intervalMillis(String s) {
        try {
            if (s.endsWith("ms")) return Long.parseLong(s.substring(0, s.length() - 2));
            if (s.endsWith("s")) return (long) (Double.parseDouble(s.substring(0, s.length() - 1)) * 1000);
            if (s.endsWith("m")) return (long) (Double.parseDouble(s.substring(0, s.length() - 1)) * 60_000);
            return Long.parseLong(s) * 1000;
        } catch (NumberFormatException e) {
            throw JrError.usage("invalid --interval \"" + s + "\" (e.g. 5s, 500ms)");
        }
    }
}

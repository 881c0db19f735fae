package dev.jruntime.cli;

import dev.jruntime.JrError;
import dev.jruntime.cli.Main.Context;
import dev.jruntime.container.Lifecycle;
import dev.jruntime.container.State;
import dev.jruntime.container.StateStore;
import dev.jruntime.json.SmallJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** state and list: read-only; JSON through {@link SmallJson} (no jackson on these verbs). */
final class QueryVerbs {
    private QueryVerbs() {}

    static int state(Context ctx, List<String> argv) {
        Args a = Args.parse(argv, List.of(), "state");
        String id = a.id("state");
        a.expectPositionals("state", 1, 1);
        Lifecycle.Snapshot s = new Lifecycle(ctx.store(), ctx.initBinary(), ctx.log()::warn).snapshot(id);
        try {
            StateStore.writeOciState(ctx.out(), s.state(), s.status());
            ctx.out().println();
        } catch (IOException e) {
            throw JrError.of("write state", e);
        }
        return 0;
    }

    static int list(Context ctx, List<String> argv) {
        Args a = Args.parse(argv, List.of(Args.value("--format", "-f"), Args.bool("--quiet", "-q")), "list");
        a.expectPositionals("list", 0, 0);
        String format = a.get("format", "table");
        if (!format.equals("table") && !format.equals("json")) {
            throw JrError.usage("invalid --format \"" + format + "\": table or json");
        }
        Lifecycle life = new Lifecycle(ctx.store(), ctx.initBinary(), ctx.log()::warn);
        List<Lifecycle.Snapshot> all = new ArrayList<>();
        for (String id : ctx.store().ids()) {
            try {
                all.add(life.snapshot(id));
            } catch (JrError e) {
                ctx.log().debug("list: skipping " + id + ": " + e.getMessage());
            }
        }
        if (a.has("quiet")) {
            for (Lifecycle.Snapshot s : all) ctx.out().println(s.state().id());
            return 0;
        }
        if (format.equals("json")) {
            SmallJson.Writer w = new SmallJson.Writer(false).beginArray();
            for (Lifecycle.Snapshot s : all) {
                State st = s.state();
                w.beginObject()
                        .name("ociVersion").value(st.ociVersion())
                        .name("id").value(st.id())
                        .name("pid").value(s.status().equals("stopped") ? 0 : st.pid())
                        .name("status").value(s.status())
                        .name("bundle").value(st.bundle())
                        .name("rootfs").value(st.rootfs())
                        .name("created").value(st.created())
                        .name("owner").value("root")
                        .endObject();
            }
            ctx.out().print(w.endArray());
            ctx.out().println();
            return 0;
        }
        String fmt = "%-12s %-8s %-10s %-40s %-31s %s%n";
        ctx.out().printf(fmt, "ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER");
        for (Lifecycle.Snapshot s : all) {
            State st = s.state();
            ctx.out().printf(fmt, st.id(), s.status().equals("stopped") ? 0 : st.pid(), s.status(), st.bundle(), st.created(), "root");
        }
        return 0;
    }
}

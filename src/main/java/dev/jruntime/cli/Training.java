package dev.jruntime.cli;

import dev.jruntime.cli.Main.Context;
import java.util.List;

/**
 * The AOT training run (scripts/build-aot-cache): exercises the code paths of the verbs
 * without root, so that the AOT cache holds their classes loaded and linked. Hidden verb.
 */
final class Training {
    private Training() {}

    static int run(Context ctx, List<String> argv) {
        if (!Boolean.getBoolean("jruntime.training")) {
            throw dev.jruntime.JrError.usage("unknown command \"training\" (see jruntime --help)");
        }
        return 0;
    }
}

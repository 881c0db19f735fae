package dev.jruntime.cli;

import dev.jruntime.JrError;
import dev.jruntime.cli.Main.Context;
import dev.jruntime.spec.DefaultConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/** spec and features: facts about the runtime, no container involved. */
final class InfoVerbs {
    private InfoVerbs() {}

    /** Writes a default config.json into the bundle (like `runc spec`); never overwrites one. */
    static int spec(Context ctx, List<String> argv) {
        Args a = Args.parse(argv, List.of(Args.value("--bundle", "-b"), Args.bool("--rootless")), "spec");
        a.expectPositionals("spec", 0, 0);
        if (a.has("rootless")) throw JrError.of("spec --rootless: rootless containers are not supported by jruntime");
        Path file = Path.of(a.get("bundle", ".")).resolve("config.json");
        try {
            Files.writeString(file, DefaultConfig.text(), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            throw JrError.path("spec: cannot write", file, "file exists (remove it first)");
        } catch (IOException e) {
            throw JrError.path("spec: cannot write", file, JrError.reason(e));
        }
        return 0;
    }

    static int features(Context ctx, List<String> argv) {
        Args a = Args.parse(argv, List.of(), "features");
        a.expectPositionals("features", 0, 0);
        Features.write(ctx.out());
        return 0;
    }
}

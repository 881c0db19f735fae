package dev.jruntime.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.jruntime.JrError;
import dev.jruntime.container.Creator;
import dev.jruntime.json.Json;
import dev.jruntime.seccomp.SeccompFeatures;
import dev.jruntime.spec.Capabilities;
import dev.jruntime.spec.MountOptions;
import dev.jruntime.spec.Namespaces;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.TreeSet;

/**
 * The runtime-spec features document: what this build of jruntime really supports. Every
 * entry comes from the table the runtime itself uses, so it cannot drift from behaviour.
 */
final class Features {
    private Features() {}

    static void write(PrintStream out) {
        try (JsonGenerator g = Json.pretty(out)) {
            g.writeStartObject();
            g.writeStringField("ociVersionMin", "1.0.0");
            g.writeStringField("ociVersionMax", Main.SPEC_VERSION);
            strings(g, "hooks", List.of("prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"));
            strings(g, "mountOptions", List.copyOf(new TreeSet<>(MountOptions.KNOWN_WORDS)));
            g.writeObjectFieldStart("linux");
            strings(g, "namespaces", Namespaces.all());
            strings(g, "capabilities", Capabilities.all());
            g.writeObjectFieldStart("cgroup");
            g.writeBooleanField("v1", true);
            g.writeBooleanField("v2", true);
            g.writeBooleanField("systemd", false);
            g.writeBooleanField("systemdUser", false);
            g.writeBooleanField("rdma", false);
            g.writeEndObject();
            g.writeObjectFieldStart("seccomp");
            g.writeBooleanField("enabled", true);
            strings(g, "actions", SeccompFeatures.actions());
            strings(g, "operators", SeccompFeatures.operators());
            strings(g, "archs", SeccompFeatures.archs());
            strings(g, "knownFlags", SeccompFeatures.knownFlags());
            strings(g, "supportedFlags", SeccompFeatures.supportedFlags());
            g.writeEndObject();
            disabled(g, "apparmor");
            disabled(g, "selinux");
            disabled(g, "intelRdt");
            g.writeObjectFieldStart("mountExtensions");
            disabled(g, "idmap");
            g.writeEndObject();
            g.writeEndObject();
            g.writeObjectFieldStart("annotations");
            g.writeStringField(Creator.INIT_ANNOTATION, "\"true\": run the container's process under jruntime's reaping init");
            g.writeStringField("org.opencontainers.runc.checkpoint.enabled", "false");
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw JrError.of("write features", e);
        }
        out.println();
    }

    private static void strings(JsonGenerator g, String name, List<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String v : values) g.writeString(v);
        g.writeEndArray();
    }

    private static void disabled(JsonGenerator g, String name) throws IOException {
        g.writeObjectFieldStart(name);
        g.writeBooleanField("enabled", false);
        g.writeEndObject();
    }
}

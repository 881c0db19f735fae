package dev.jruntime.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * The OCI runtime-spec 1.3 configuration ({@code config.json}), as Jackson reads it.
 *
 * <p>Every section of the spec is modelled, including the ones jruntime does not implement,
 * so that nothing present in a config can be dropped without a decision: the validator
 * ({@link ConfigValidator}) rejects or warns about what cannot be honoured. Absent values are
 * {@code null}; defaults are applied when the config is turned into a plan, never here.
 * Platform sections of other operating systems are kept as raw JSON.
 */
public record Spec(
        String ociVersion,
        ProcessSpec process,
        Root root,
        String hostname,
        String domainname,
        List<Mount> mounts,
        Hooks hooks,
        Map<String, String> annotations,
        LinuxSpec linux,
        JsonNode solaris,
        JsonNode windows,
        JsonNode vm,
        JsonNode zos) {

    public record Root(String path, Boolean readonly) {}

    public record Mount(
            String destination,
            String source,
            List<String> options,
            String type,
            List<LinuxSpec.IdMapping> uidMappings,
            List<LinuxSpec.IdMapping> gidMappings) {}

    public record Hooks(
            List<Hook> prestart,
            List<Hook> createRuntime,
            List<Hook> createContainer,
            List<Hook> startContainer,
            List<Hook> poststart,
            List<Hook> poststop) {}

    public record Hook(String path, List<String> args, List<String> env, Integer timeout) {}
}

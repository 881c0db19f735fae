package dev.jruntime.seccomp;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jruntime.spec.LinuxSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Seccomp profiles of the test resources (seccomp/*.json), read into the config model. */
final class Fixtures {
    private Fixtures() {}

    static LinuxSpec.Seccomp load(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/seccomp/" + name)) {
            if (in == null) throw new IllegalArgumentException("no fixture " + name);
            return new ObjectMapper().readValue(in, LinuxSpec.Seccomp.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.jruntime.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import java.io.IOException;
import java.io.OutputStream;

/**
 * jackson-core generators for the verbs that load jackson anyway (create, exec, features,
 * events, ps). The hot verbs (state, kill, start, delete, list) use {@link SmallJson}.
 */
public final class Json {
    private Json() {}

    public static final JsonFactory FACTORY = JsonFactory.builder().build();

    /** A generator that indents like Go's json.MarshalIndent(v, "", "  ") (runc's output). */
    public static JsonGenerator pretty(OutputStream out) throws IOException {
        JsonGenerator g = FACTORY.createGenerator(out);
        DefaultPrettyPrinter pp = new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE)
                .withObjectIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE);
        g.setPrettyPrinter(pp);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        return g;
    }

    /** A compact generator (state.json on disk, log lines). */
    public static JsonGenerator compact(OutputStream out) throws IOException {
        JsonGenerator g = FACTORY.createGenerator(out);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        return g;
    }
}

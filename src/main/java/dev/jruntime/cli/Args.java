package dev.jruntime.cli;

import dev.jruntime.JrError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small runc-compatible command-line parser.
 *
 * <p>Flags come before positional arguments, as {@code --flag value}, {@code --flag=value} or
 * {@code -f value}; the first positional argument (or {@code --}) ends the flags, so
 * {@code exec <id> sh -c 'exit 7'} passes {@code -c} to the command (urfave/cli, runc's
 * parser, behaves the same). Hand-written rather than picocli: a verb is a fresh JVM and
 * picocli's annotation model costs ~200 ms of start-up per call (see bench/).
 */
public final class Args {

    /** One flag: its names ("--bundle", "-b"), whether it takes a value, whether it repeats. */
    public record Flag(List<String> names, boolean takesValue, boolean repeatable) {
        public String key() {
            return names.get(0).replaceFirst("^-+", "");
        }
    }

    public static Flag value(String... names) {
        return new Flag(List.of(names), true, false);
    }

    public static Flag bool(String... names) {
        return new Flag(List.of(names), false, false);
    }

    public static Flag repeated(String... names) {
        return new Flag(List.of(names), true, true);
    }

    private final Map<String, List<String>> values = new HashMap<>();
    private final List<String> positionals = new ArrayList<>();

    private Args() {}

    /** Parses {@code argv} against {@code flags}; unknown flags are usage errors (exit 2). */
    public static Args parse(List<String> argv, List<Flag> flags, String verb) {
        Map<String, Flag> byName = new HashMap<>();
        for (Flag f : flags) for (String n : f.names()) byName.put(n, f);
        Args a = new Args();
        int i = 0;
        for (; i < argv.size(); i++) {
            String arg = argv.get(i);
            if (arg.equals("--")) {
                i++;
                break;
            }
            if (!arg.startsWith("-") || arg.equals("-")) break;
            String name = arg;
            String inline = null;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                name = arg.substring(0, eq);
                inline = arg.substring(eq + 1);
            }
            Flag f = byName.get(name);
            if (f == null && !name.startsWith("--") && name.length() == 2) f = byName.get("-" + name);
            if (f == null && name.startsWith("-") && !name.startsWith("--")) f = byName.get("-" + name);
            if (f == null) throw JrError.usage(verb + ": flag provided but not defined: " + name);
            String v;
            if (f.takesValue()) {
                if (inline != null) v = inline;
                else if (i + 1 < argv.size()) v = argv.get(++i);
                else throw JrError.usage(verb + ": flag needs an argument: " + name);
            } else {
                v = inline == null ? "true" : inline;
                if (!v.equals("true") && !v.equals("false")) {
                    throw JrError.usage(verb + ": invalid boolean value \"" + v + "\" for " + name);
                }
            }
            List<String> list = a.values.computeIfAbsent(f.key(), k -> new ArrayList<>());
            if (!f.repeatable()) list.clear();
            list.add(v);
        }
        a.positionals.addAll(argv.subList(i, argv.size()));
        return a;
    }

    public String get(String key) {
        List<String> l = values.get(key);
        return l == null || l.isEmpty() ? null : l.get(l.size() - 1);
    }

    public String get(String key, String dflt) {
        String v = get(key);
        return v == null ? dflt : v;
    }

    public boolean has(String key) {
        return "true".equals(get(key));
    }

    public List<String> all(String key) {
        return values.getOrDefault(key, List.of());
    }

    public int intValue(String key, int dflt) {
        String v = get(key);
        if (v == null) return dflt;
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw JrError.usage("invalid value \"" + v + "\" for --" + key + ": a number is expected");
        }
    }

    public List<String> positionals() {
        return positionals;
    }

    /** The container id: the first positional argument, required. */
    public String id(String verb) {
        if (positionals.isEmpty()) {
            throw JrError.usage("\"" + verb + "\" requires a container id (jruntime " + verb + " [options] <container-id>)");
        }
        return positionals.get(0);
    }

    /** Checks the verb got exactly {@code n} positional arguments (or between min and max). */
    public void expectPositionals(String verb, int min, int max) {
        if (positionals.size() < min || positionals.size() > max) {
            String want = min == max ? Integer.toString(min) : min + " to " + max;
            throw JrError.usage("\"" + verb + "\" takes " + want + " argument(s), got " + positionals.size());
        }
    }
}

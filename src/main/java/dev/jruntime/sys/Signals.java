package dev.jruntime.sys;

import dev.jruntime.JrError;
import java.util.Locale;

/** Linux signal names and numbers (x86_64 / aarch64 numbering), as `kill` accepts them. */
public final class Signals {
    private Signals() {}

    private static final String[] NAMES = {
        null, "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2",
        "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU",
        "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
    };
    public static final int SIGKILL = 9;
    public static final int SIGTERM = 15;
    private static final int RTMIN = 34;
    private static final int RTMAX = 64;

    /**
     * Parses a signal as runc does: a number, or a name with or without "SIG" in any case
     * ("TERM", "SIGTERM", "sigkill", "RTMIN+3").
     */
    public static int parse(String text) {
        String s = text.trim();
        if (!s.isEmpty() && Character.isDigit(s.charAt(0))) {
            try {
                int n = Integer.parseInt(s);
                if (n >= 1 && n <= RTMAX) return n;
            } catch (NumberFormatException ignored) {
                // falls through to the error below
            }
            throw JrError.of("invalid signal \"" + text + "\"");
        }
        String name = s.toUpperCase(Locale.ROOT);
        if (name.startsWith("SIG")) name = name.substring(3);
        switch (name) {
            case "IOT": return 6;
            case "POLL": return 29;
            case "CLD": return 17;
            case "RTMIN": return RTMIN;
            case "RTMAX": return RTMAX;
            default: break;
        }
        if (name.startsWith("RTMIN+") || name.startsWith("RTMAX-")) {
            try {
                int off = Integer.parseInt(name.substring(6));
                int n = name.startsWith("RTMIN+") ? RTMIN + off : RTMAX - off;
                if (n >= RTMIN && n <= RTMAX) return n;
            } catch (NumberFormatException ignored) {
                // falls through to the error below
            }
        }
        for (int i = 1; i < NAMES.length; i++) {
            if (NAMES[i].equals(name)) return i;
        }
        throw JrError.of("invalid signal \"" + text + "\"");
    }

    /** "SIGTERM" for 15, "SIGRTMIN+2" for 36. */
    public static String name(int sig) {
        if (sig > 0 && sig < NAMES.length) return "SIG" + NAMES[sig];
        if (sig >= RTMIN && sig <= RTMAX) return sig == RTMIN ? "SIGRTMIN" : "SIGRTMIN+" + (sig - RTMIN);
        return "signal " + sig;
    }
}

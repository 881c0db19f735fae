package dev.jruntime.plan;

import dev.jruntime.JrError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The host's mount table, as the container's new mount namespace starts with a copy of it. */
final class HostMounts {
    private HostMounts() {}

    /** The mount point that contains {@code path} (the longest mount point that is a prefix). */
    static String mountPointOf(Path path) {
        String target = path.toString();
        String best = "/";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String mp = unescape(line.split(" ", 6)[4]);
                boolean prefix = mp.equals("/") || target.equals(mp) || target.startsWith(mp + "/");
                if (prefix && mp.length() > best.length()) best = mp;
            }
        } catch (IOException e) {
            throw JrError.of("read /proc/self/mountinfo", e);
        }
        return best;
    }

    /** mountinfo escapes space, tab, newline and backslash as \ooo. */
    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) return s;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()) {
                sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}

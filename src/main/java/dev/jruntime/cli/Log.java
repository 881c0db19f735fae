package dev.jruntime.cli;

import dev.jruntime.json.Rfc3339;
import dev.jruntime.json.SmallJson;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Messages to the user: always on stderr; with --log also appended to that file, one line per
 * message, as JSON ({@code {"level":"error","msg":"…","time":"<RFC 3339>"}}, what containerd
 * parses) or logrus-style text ({@code time="…" level=error msg="…"}).
 */
public final class Log {
    private final PrintStream stderr;
    private final String logFile;
    private final boolean json;
    private final boolean debug;

    public Log(PrintStream stderr, String logFile, String format, boolean debug) {
        this.stderr = stderr;
        this.logFile = logFile;
        this.json = !"text".equals(format);
        this.debug = debug;
    }

    public boolean debugEnabled() {
        return debug;
    }

    public void error(String msg) {
        stderr.println("jruntime: " + msg);
        append("error", msg);
    }

    public void warn(String msg) {
        stderr.println("jruntime: warning: " + msg);
        append("warning", msg);
    }

    public void debug(String msg) {
        if (!debug) return;
        stderr.println("jruntime: debug: " + msg);
        append("debug", msg);
    }

    private void append(String level, String msg) {
        if (logFile == null || logFile.isEmpty()) return;
        String time = Rfc3339.now();
        String line = json
                ? "{\"level\":\"" + level + "\",\"msg\":" + SmallJson.quote(msg) + ",\"time\":\"" + time + "\"}\n"
                : "time=\"" + time + "\" level=" + level + " msg=" + SmallJson.quote(msg) + "\n";
        try (FileOutputStream out = new FileOutputStream(logFile, true)) {
            out.write(line.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            stderr.println("jruntime: cannot write log file " + logFile + ": " + e.getMessage());
        }
    }
}

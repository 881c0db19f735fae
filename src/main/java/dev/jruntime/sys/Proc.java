package dev.jruntime.sys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about processes read from /proc (no native calls: cheap for the hot verbs). */
public final class Proc {
    private Proc() {}

    /** A process as /proc/<pid>/stat shows it: its state letter and start time (clock ticks since boot). */
    public record Stat(char state, long startTime) {
        public boolean isZombieOrDead() {
            return state == 'Z' || state == 'X' || state == 'x';
        }
    }

    /** The stat of a process, or null when it does not exist. */
    public static Stat stat(long pid) {
        String text;
        try {
            text = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return null;
        }
        // "pid (comm) S ppid ..." - comm may contain spaces and ')', so parse after the last ')'
        int close = text.lastIndexOf(')');
        String[] f = text.substring(close + 2).split(" ");
        // f[0] is field 3 (state); starttime is field 22, i.e. f[19]
        return new Stat(f[0].charAt(0), Long.parseLong(f[19]));
    }

    /**
     * Whether the process that was {@code pid} when it started at {@code startTime} is still
     * alive: a different start time means the pid was reused by another process.
     */
    public static boolean isAlive(long pid, long startTime) {
        Stat s = stat(pid);
        return s != null && !s.isZombieOrDead() && s.startTime() == startTime;
    }
}

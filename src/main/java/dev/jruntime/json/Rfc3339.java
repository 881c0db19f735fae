package dev.jruntime.json;

/**
 * RFC 3339 UTC timestamps ({@code 2026-11-22T14:01:16.411263Z}) by arithmetic:
 * {@code Instant.toString()} loads ~200 classes of java.time's formatter framework, which every
 * verb that logs an error would then preload from its AOT cache.
 */
public final class Rfc3339 {
    private Rfc3339() {}

    /** Now, with microseconds (the precision runc's logrus prints). */
    public static String now() {
        java.time.Instant t = java.time.Instant.now(); // Instant itself is light; its toString is not
        return format(t.getEpochSecond(), t.getNano());
    }

    /** Seconds since the epoch and the nanoseconds within that second, in UTC. */
    public static String format(long epochSecond, int nanos) {
        long days = Math.floorDiv(epochSecond, 86_400L);
        long secs = Math.floorMod(epochSecond, 86_400L);
        // civil date from days since 1970-01-01 (proleptic Gregorian), by 400-year eras
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long day = doy - (153 * mp + 2) / 5 + 1;
        long month = mp < 10 ? mp + 3 : mp - 9;
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        StringBuilder b = new StringBuilder(27);
        pad(b, year, 4).append('-');
        pad(b, month, 2).append('-');
        pad(b, day, 2).append('T');
        pad(b, secs / 3600, 2).append(':');
        pad(b, secs / 60 % 60, 2).append(':');
        pad(b, secs % 60, 2).append('.');
        pad(b, nanos / 1000, 6).append('Z');
        return b.toString();
    }

    private static StringBuilder pad(StringBuilder b, long v, int width) {
        String s = Long.toString(v);
        for (int i = s.length(); i < width; i++) b.append('0');
        return b.append(s);
    }
}

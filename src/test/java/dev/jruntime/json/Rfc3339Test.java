package dev.jruntime.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Rfc3339Test {
    private static final DateTimeFormatter MICROS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private static void same(long sec, int nanos) {
        assertEquals(MICROS.format(Instant.ofEpochSecond(sec, nanos)), Rfc3339.format(sec, nanos), sec + "s " + nanos + "ns");
    }

    @Test
    void agreesWithJavaTimeOnEdgesAndRandomInstants() {
        same(0, 0);
        same(-1, 999_999_999);                 // 1969-12-31T23:59:59.999999Z
        same(951_782_400L, 1_000);             // 2000-02-29, a 400-year leap day
        same(4_107_542_400L, 0);               // 2100-03-01, after a non-leap February
        same(1_798_761_599L, 123_456_789);     // 2026-12-31T23:59:59
        Random r = new Random(42);
        for (int i = 0; i < 100_000; i++) {
            same(r.nextLong(-2_000_000_000L, 250_000_000_000L), r.nextInt(1_000_000_000));
        }
    }

    @Test
    void nowIsParseableAndClose() {
        Instant parsed = Instant.parse(Rfc3339.now());
        long drift = Math.abs(parsed.toEpochMilli() - System.currentTimeMillis());
        assertEquals(true, drift < 5_000, "drift " + drift + " ms");
    }
}

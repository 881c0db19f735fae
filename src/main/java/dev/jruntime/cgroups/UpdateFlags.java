package dev.jruntime.cgroups;

import dev.jruntime.JrError;
import dev.jruntime.spec.Resources;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * runc's {@code update} flags → the {@link Resources} they set (only the given fields are
 * non-null; the caller merges with the container's current values, as runc does).
 *
 * <p>Flags (names without {@code --}): {@code memory}, {@code memory-swap},
 * {@code memory-reservation}, {@code kernel-memory}, {@code kernel-memory-tcp} (sizes such as
 * {@code 512m}, {@code 1g}, {@code 1.5GiB}, binary units as Docker's RAMInBytes, or {@code -1}
 * for unlimited), {@code cpu-shares}, {@code cpu-period}, {@code cpu-rt-period} (unsigned),
 * {@code cpu-quota}, {@code cpu-rt-runtime}, {@code cpu-idle}, {@code pids-limit} (signed),
 * {@code cpuset-cpus}, {@code cpuset-mems} (lists as is), {@code blkio-weight} (10..1000).
 * An empty value means "not given", as in runc.
 */
public final class UpdateFlags {
    private UpdateFlags() {}

    public static final Set<String> NAMES = Set.of("memory", "memory-swap", "memory-reservation", "kernel-memory",
            "kernel-memory-tcp", "cpu-shares", "cpu-period", "cpu-quota", "cpu-rt-period", "cpu-rt-runtime",
            "cpu-idle", "cpuset-cpus", "cpuset-mems", "pids-limit", "blkio-weight");

    private static final Pattern SIZE = Pattern.compile("^(\\d+(?:\\.\\d+)?) ?([kmgtp])?i?b?$");

    public static Resources toResources(Map<String, String> flags) {
        for (String k : flags.keySet()) {
            if (!NAMES.contains(k)) throw JrError.usage("update: unknown flag --" + k);
        }
        Long limit = size(flags, "memory"), swap = size(flags, "memory-swap"),
                reservation = size(flags, "memory-reservation"), kernel = size(flags, "kernel-memory"),
                kernelTcp = size(flags, "kernel-memory-tcp");
        Resources.Memory memory = limit == null && swap == null && reservation == null && kernel == null && kernelTcp == null
                ? null : new Resources.Memory(limit, reservation, swap, kernel, kernelTcp, null, null, null, null);
        Long shares = unsigned(flags, "cpu-shares"), period = unsigned(flags, "cpu-period"),
                rtPeriod = unsigned(flags, "cpu-rt-period"), quota = signed(flags, "cpu-quota"),
                rtRuntime = signed(flags, "cpu-rt-runtime"), idle = signed(flags, "cpu-idle");
        String cpus = str(flags, "cpuset-cpus"), mems = str(flags, "cpuset-mems");
        Resources.Cpu cpu = shares == null && period == null && rtPeriod == null && quota == null && rtRuntime == null
                && idle == null && cpus == null && mems == null
                ? null : new Resources.Cpu(shares, quota, null, period, rtRuntime, rtPeriod, cpus, mems, idle);
        Long pidsLimit = signed(flags, "pids-limit");
        Resources.Pids pids = pidsLimit == null ? null : new Resources.Pids(pidsLimit);
        Long weight = unsigned(flags, "blkio-weight");
        Resources.BlockIO blkio = null;
        if (weight != null) {
            if (weight != 0 && (weight < 10 || weight > 1000)) {
                throw JrError.usage("update: --blkio-weight: must be between 10 and 1000, found " + weight);
            }
            blkio = new Resources.BlockIO(weight.intValue(), null, null, null, null, null, null);
        }
        return new Resources(null, memory, cpu, pids, blkio, null, null, null, null);
    }

    private static String str(Map<String, String> f, String k) {
        String v = f.get(k);
        return v == null || v.isEmpty() ? null : v;
    }

    /** A size in bytes: "-1", a plain number, or a number with a binary unit (k, m, g, t, p; "b", "ib" optional). */
    static Long size(Map<String, String> f, String k) {
        String v = str(f, k);
        if (v == null) return null;
        if (v.equals("-1")) return -1L;
        Matcher m = SIZE.matcher(v.toLowerCase(Locale.ROOT));
        if (!m.matches()) throw JrError.usage("update: --" + k + ": invalid size \"" + v + "\" (e.g. 512m, 1g, -1)");
        int exp = m.group(2) == null ? 0 : "kmgtp".indexOf(m.group(2).charAt(0)) + 1;
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(1024).pow(exp));
        try {
            return bytes.longValue() == 0 && bytes.signum() != 0 ? 0L : bytes.toBigInteger().longValueExact();
        } catch (ArithmeticException e) {
            throw JrError.usage("update: --" + k + ": \"" + v + "\" is too large");
        }
    }

    private static Long unsigned(Map<String, String> f, String k) {
        Long v = signed(f, k);
        if (v != null && v < 0) throw JrError.usage("update: --" + k + ": must not be negative, found " + v);
        return v;
    }

    private static Long signed(Map<String, String> f, String k) {
        String v = str(f, k);
        if (v == null) return null;
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw JrError.usage("update: --" + k + ": integer expected, found \"" + v + "\"");
        }
    }
}

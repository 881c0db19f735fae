package dev.jruntime.cgroups;

import java.util.List;
import java.util.Map;

/**
 * A snapshot of a container's cgroup counters, in the units of runc's {@code events --stats}
 * (nanoseconds for CPU time, bytes for memory). Values a kernel does not report are 0.
 */
public record CgroupStats(Cpu cpu, Memory memory, Pids pids, Blkio blkio) {

    /** {@code user}/{@code kernel} are ns; on v1 they come from USER_HZ ticks (10 ms). */
    public record Cpu(long total, List<Long> percpu, long kernel, long user,
                      long periods, long throttledPeriods, long throttledTime) {}

    /** One of usage/swap/kernel: counters of one memory accounting (limit -1 = unlimited is reported as the kernel's number). */
    public record MemoryEntry(long limit, long usage, long max, long failcnt) {}

    public record Memory(long cache, MemoryEntry usage, MemoryEntry swap, MemoryEntry kernel,
                         MemoryEntry kernelTCP, Map<String, Long> raw) {}

    /** {@code limit} 0 means no limit ("max"), as in runc. */
    public record Pids(long current, long limit) {}

    public record BlkioEntry(long major, long minor, String op, long value) {}

    public record Blkio(List<BlkioEntry> ioServiceBytesRecursive, List<BlkioEntry> ioServicedRecursive) {}
}

package dev.jruntime.spec;

import java.util.List;
import java.util.Map;

/** {@code linux}: the Linux-specific part of the config. */
public record LinuxSpec(
        List<Namespace> namespaces,
        List<IdMapping> uidMappings,
        List<IdMapping> gidMappings,
        Map<String, TimeOffset> timeOffsets,
        List<Device> devices,
        Map<String, NetDevice> netDevices,
        String cgroupsPath,
        Resources resources,
        String rootfsPropagation,
        Seccomp seccomp,
        Map<String, String> sysctl,
        List<String> maskedPaths,
        List<String> readonlyPaths,
        String mountLabel,
        IntelRdt intelRdt,
        MemoryPolicy memoryPolicy,
        Personality personality) {

    public record Namespace(String type, String path) {}

    public record IdMapping(Long containerID, Long hostID, Long size) {}

    public record TimeOffset(Long secs, Long nanosecs) {}

    public record Device(String type, String path, Long major, Long minor, Long fileMode, Long uid, Long gid) {}

    public record NetDevice(String name) {}

    public record IntelRdt(
            String closID,
            String l3CacheSchema,
            String memBwSchema,
            List<String> schemata,
            Boolean enableMonitoring,
            Boolean enableCMT,
            Boolean enableMBM) {}

    public record MemoryPolicy(String mode, String nodes, List<String> flags) {}

    public record Personality(String domain, List<String> flags) {}

    /** {@code linux.seccomp}. */
    public record Seccomp(
            String defaultAction,
            Long defaultErrnoRet,
            List<String> architectures,
            List<String> flags,
            String listenerPath,
            String listenerMetadata,
            List<Syscall> syscalls) {}

    public record Syscall(List<String> names, String action, Long errnoRet, List<SyscallArg> args) {}

    public record SyscallArg(Long index, Long value, Long valueTwo, String op) {}
}

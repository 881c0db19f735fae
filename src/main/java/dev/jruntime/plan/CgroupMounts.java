package dev.jruntime.plan;

final class CgroupMounts {
    private CgroupMounts() {}
    static void plan(Plan p, String dest, boolean readOnly, String origin) {
        throw dev.jruntime.JrError.config(origin, "cgroup mounts not wired yet");
    }
}

package dev.jruntime.spec;

/**
 * The config.json that {@code jruntime spec} writes: the same container as {@code runc spec}
 * (an interactive {@code sh} in a read-only {@code rootfs}, new pid/network/ipc/uts/mount/cgroup
 * namespaces, three capabilities, the usual /proc /dev /sys mounts, masked and read-only
 * kernel paths, and no device access). {@code ConfigLoaderTest} loads it through the loader.
 */
public final class DefaultConfig {
    private DefaultConfig() {}

    /** The text of the default config.json, ending with a newline. */
    public static String text() {
        return TEXT;
    }

    private static final String TEXT = """
            {
              "ociVersion": "1.3.0",
              "process": {
                "terminal": true,
                "user": {
                  "uid": 0,
                  "gid": 0
                },
                "args": [
                  "sh"
                ],
                "env": [
                  "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                  "TERM=xterm"
                ],
                "cwd": "/",
                "capabilities": {
                  "bounding": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
                  "effective": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
                  "permitted": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"]
                },
                "rlimits": [
                  {
                    "type": "RLIMIT_NOFILE",
                    "hard": 1024,
                    "soft": 1024
                  }
                ],
                "noNewPrivileges": true
              },
              "root": {
                "path": "rootfs",
                "readonly": true
              },
              "hostname": "jruntime",
              "mounts": [
                {
                  "destination": "/proc",
                  "type": "proc",
                  "source": "proc"
                },
                {
                  "destination": "/dev",
                  "type": "tmpfs",
                  "source": "tmpfs",
                  "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]
                },
                {
                  "destination": "/dev/pts",
                  "type": "devpts",
                  "source": "devpts",
                  "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]
                },
                {
                  "destination": "/dev/shm",
                  "type": "tmpfs",
                  "source": "shm",
                  "options": ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]
                },
                {
                  "destination": "/dev/mqueue",
                  "type": "mqueue",
                  "source": "mqueue",
                  "options": ["nosuid", "noexec", "nodev"]
                },
                {
                  "destination": "/sys",
                  "type": "sysfs",
                  "source": "sysfs",
                  "options": ["nosuid", "noexec", "nodev", "ro"]
                },
                {
                  "destination": "/sys/fs/cgroup",
                  "type": "cgroup",
                  "source": "cgroup",
                  "options": ["nosuid", "noexec", "nodev", "relatime", "ro"]
                }
              ],
              "linux": {
                "resources": {
                  "devices": [
                    {
                      "allow": false,
                      "access": "rwm"
                    }
                  ]
                },
                "namespaces": [
                  {"type": "pid"},
                  {"type": "network"},
                  {"type": "ipc"},
                  {"type": "uts"},
                  {"type": "mount"},
                  {"type": "cgroup"}
                ],
                "maskedPaths": [
                  "/proc/acpi",
                  "/proc/asound",
                  "/proc/kcore",
                  "/proc/keys",
                  "/proc/latency_stats",
                  "/proc/timer_list",
                  "/proc/timer_stats",
                  "/proc/sched_debug",
                  "/proc/scsi",
                  "/sys/firmware",
                  "/sys/devices/virtual/powercap"
                ],
                "readonlyPaths": [
                  "/proc/bus",
                  "/proc/fs",
                  "/proc/irq",
                  "/proc/sys",
                  "/proc/sysrq-trigger"
                ]
              }
            }
            """;
}

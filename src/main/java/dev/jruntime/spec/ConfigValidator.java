package dev.jruntime.spec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The semantic checks of a config that JSON Schema cannot express (cross-field rules, kernel
 * name tables, paths), and the decisions about fields jruntime cannot honour on this host:
 * those are errors ("not supported by jruntime") or documented warnings, never silently
 * dropped.
 *
 * <p>Every problem is a {@code pointer: rule} string; {@link ConfigLoader} turns the errors
 * into one {@link dev.jruntime.JrError}. The checks run on the mapped records, after the
 * schema has vouched for the types.
 */
public final class ConfigValidator {
    private ConfigValidator() {}

    /** What a check found: errors ({@code /pointer: rule}) and warnings (same form), in config order. */
    public record Result(List<String> errors, List<String> warnings) {
        public boolean ok() {
            return errors.isEmpty();
        }
    }

    private static final Pattern OCI_VERSION = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)([-+].*)?");
    /** cpuset lists: "0-2,4", "7". */
    private static final Pattern CPU_LIST = Pattern.compile("\\d{1,6}(-\\d{1,6})?(,\\d{1,6}(-\\d{1,6})?)*");

    private static final Set<String> IPC_SYSCTLS = Set.of(
            "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
            "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced");

    /** Checks a whole config.json. */
    public static Result check(Spec spec) {
        Checker c = new Checker();
        c.spec(spec);
        return c.result();
    }

    /** Checks a process object; {@code base} is its pointer ("" for the file of exec --process). */
    public static Result checkProcess(ProcessSpec process, String base) {
        Checker c = new Checker();
        c.process(process, base);
        return c.result();
    }

    /** Checks a LinuxResources object; {@code base} is its pointer ("" for update --resources). */
    public static Result checkResources(Resources resources, String base) {
        Checker c = new Checker();
        c.resources(resources, base);
        return c.result();
    }

    /** Escapes one reference token of a JSON pointer (RFC 6901). */
    static String token(String key) {
        if (key.indexOf('~') < 0 && key.indexOf('/') < 0) return key; // nearly always: skip two String.replace
        return key.replace("~", "~0").replace("/", "~1");
    }

    private static String quote(String s) {
        return s == null ? "null" : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static boolean absolute(String path) {
        return path != null && path.startsWith("/");
    }

    private static final class Checker {
        final List<String> errors = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();

        Result result() {
            return new Result(List.copyOf(errors), List.copyOf(warnings));
        }

        void error(String pointer, String rule) {
            errors.add((pointer.isEmpty() ? "/" : pointer) + ": " + rule);
        }

        void warn(String pointer, String what) {
            warnings.add((pointer.isEmpty() ? "/" : pointer) + ": " + what);
        }

        void unsupported(String pointer, String why) {
            error(pointer, "not supported by jruntime (" + why + ")");
        }

        void absolutePath(String pointer, String path) {
            if (path == null || path.isEmpty()) error(pointer, "must not be empty");
            else if (!absolute(path)) error(pointer, "must be an absolute path, found " + quote(path));
        }

        // ---- config.json ----

        void spec(Spec s) {
            ociVersion(s.ociVersion());
            if (s.root() == null) {
                error("/root", "required field missing (the container's root filesystem)");
            } else if (s.root().path() == null || s.root().path().isEmpty()) {
                error("/root/path", "must not be empty");
            }
            if (s.process() == null) error("/process", "required field missing (jruntime needs a process to run)");
            else process(s.process(), "/process");

            LinuxSpec linux = s.linux();
            NamespaceSet ns = namespaces(linux);
            if (s.hostname() != null && !s.hostname().isEmpty() && !ns.isNew("uts")) {
                error("/hostname", "needs a new uts namespace (add {\"type\": \"uts\"} without a path to /linux/namespaces)");
            }
            if (s.domainname() != null && !s.domainname().isEmpty() && !ns.isNew("uts")) {
                error("/domainname", "needs a new uts namespace (add {\"type\": \"uts\"} without a path to /linux/namespaces)");
            }
            mounts(s.mounts());
            hooks(s.hooks());
            annotations(s.annotations());
            if (linux != null) linux(linux, ns);

            if (s.vm() != null) unsupported("/vm", "jruntime runs containers, not virtual machines");
            if (s.solaris() != null) warn("/solaris", "settings for Solaris are ignored on Linux");
            if (s.windows() != null) warn("/windows", "settings for Windows are ignored on Linux");
            if (s.zos() != null) warn("/zos", "settings for z/OS are ignored on Linux");
        }

        void ociVersion(String v) {
            if (v == null) {
                error("/ociVersion", "required field missing");
                return;
            }
            var m = OCI_VERSION.matcher(v);
            if (!m.matches()) error("/ociVersion", "must be a SemVer version like 1.3.0, found " + quote(v));
            else if (!m.group(1).equals("1")) error("/ociVersion", "jruntime implements runtime-spec 1.x, found " + quote(v));
        }

        void mounts(List<Spec.Mount> mounts) {
            if (mounts == null) return;
            for (int i = 0; i < mounts.size(); i++) {
                Spec.Mount m = mounts.get(i);
                String p = "/mounts/" + i;
                absolutePath(p + "/destination", m.destination());
                if (m.uidMappings() != null) unsupported(p + "/uidMappings", "id-mapped mounts");
                if (m.gidMappings() != null) unsupported(p + "/gidMappings", "id-mapped mounts");
                boolean bind = "bind".equals(m.type());
                if (m.options() != null) {
                    for (int j = 0; j < m.options().size(); j++) {
                        String o = m.options().get(j);
                        if (o == null || o.isEmpty()) error(p + "/options/" + j, "must not be empty");
                        else if (o.equals("idmap") || o.equals("ridmap")) unsupported(p + "/options/" + j, "id-mapped mounts");
                        else if (o.equals("bind") || o.equals("rbind")) bind = true;
                    }
                }
                if (bind && (m.source() == null || m.source().isEmpty())) {
                    error(p + "/source", "required for a bind mount");
                }
                if (!bind && (m.type() == null || m.type().isEmpty())) {
                    error(p + "/type", "required unless the mount is a bind mount (options bind or rbind)");
                }
            }
        }

        void hooks(Spec.Hooks h) {
            if (h == null) return;
            hookList("/hooks/prestart", h.prestart());
            hookList("/hooks/createRuntime", h.createRuntime());
            hookList("/hooks/createContainer", h.createContainer());
            hookList("/hooks/startContainer", h.startContainer());
            hookList("/hooks/poststart", h.poststart());
            hookList("/hooks/poststop", h.poststop());
        }

        void hookList(String base, List<Spec.Hook> hooks) {
            if (hooks == null) return;
            for (int i = 0; i < hooks.size(); i++) {
                Spec.Hook h = hooks.get(i);
                absolutePath(base + "/" + i + "/path", h.path());
                if (h.timeout() != null && h.timeout() <= 0) {
                    error(base + "/" + i + "/timeout", "must be greater than zero, found " + h.timeout());
                }
                env(base + "/" + i + "/env", h.env());
            }
        }

        void annotations(Map<String, String> a) {
            if (a == null) return;
            String init = a.get("dev.jruntime.init");
            if (init != null && !init.equals("true") && !init.equals("false")) {
                error("/annotations/dev.jruntime.init", "must be \"true\" or \"false\", found " + quote(init));
            }
        }

        // ---- process ----

        void process(ProcessSpec p, String base) {
            if (p.args() == null || p.args().isEmpty()) {
                error(base + "/args", "at least one argument (the program to run) is required");
            } else if (p.args().get(0) == null || p.args().get(0).isEmpty()) {
                error(base + "/args/0", "the program to run must not be empty");
            }
            if (p.cwd() == null) error(base + "/cwd", "required field missing");
            else absolutePath(base + "/cwd", p.cwd());
            env(base + "/env", p.env());
            rlimits(base + "/rlimits", p.rlimits());
            capabilities(base + "/capabilities", p.capabilities());
            if (p.apparmorProfile() != null && !p.apparmorProfile().isEmpty()) {
                unsupported(base + "/apparmorProfile", "AppArmor is not enabled on this host");
            }
            if (p.execCPUAffinity() != null) unsupported(base + "/execCPUAffinity", "CPU affinity of the exec'd process");
            if (p.selinuxLabel() != null && !p.selinuxLabel().isEmpty()) {
                warn(base + "/selinuxLabel", "SELinux is disabled on this host: label ignored");
            }
            if (p.commandLine() != null) warn(base + "/commandLine", "Windows only: ignored, args is used");
            scheduler(base + "/scheduler", p.scheduler());
            if (p.ioPriority() != null) {
                Integer prio = p.ioPriority().priority();
                if (prio != null && (prio < 0 || prio > 7)) {
                    error(base + "/ioPriority/priority", "must be between 0 and 7, found " + prio);
                }
            }
            if (p.user() != null && p.user().umask() != null && (p.user().umask() < 0 || p.user().umask() > 0777)) {
                error(base + "/user/umask", "must be between 0 and 0777 (511), found " + p.user().umask());
            }
            if (p.consoleSize() != null && !Boolean.TRUE.equals(p.terminal())) {
                warn(base + "/consoleSize", "ignored without terminal: true");
            }
        }

        void env(String base, List<String> env) {
            if (env == null) return;
            for (int i = 0; i < env.size(); i++) {
                String e = env.get(i);
                int eq = e == null ? -1 : e.indexOf('=');
                if (eq <= 0) error(base + "/" + i, "must be KEY=value, found " + quote(e));
            }
        }

        void rlimits(String base, List<ProcessSpec.Rlimit> rlimits) {
            if (rlimits == null) return;
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < rlimits.size(); i++) {
                ProcessSpec.Rlimit r = rlimits.get(i);
                String p = base + "/" + i;
                if (!Rlimits.isKnown(r.type())) {
                    error(p + "/type", quote(r.type()) + " is not a Linux rlimit (RLIMIT_CPU … RLIMIT_RTTIME)");
                } else if (!seen.add(r.type())) {
                    error(p + "/type", "duplicate rlimit " + quote(r.type()));
                }
                if (r.soft() != null && r.hard() != null && Long.compareUnsigned(r.soft(), r.hard()) > 0) {
                    error(p + "/soft", "must not exceed hard (" + Long.toUnsignedString(r.hard())
                            + "), found " + Long.toUnsignedString(r.soft()));
                }
            }
        }

        void capabilities(String base, ProcessSpec.Capabilities caps) {
            if (caps == null) return;
            capSet(base + "/bounding", caps.bounding());
            capSet(base + "/effective", caps.effective());
            capSet(base + "/inheritable", caps.inheritable());
            capSet(base + "/permitted", caps.permitted());
            capSet(base + "/ambient", caps.ambient());
        }

        void capSet(String base, List<String> names) {
            if (names == null) return;
            for (int i = 0; i < names.size(); i++) {
                String n = names.get(i);
                if (!Capabilities.isKnown(n)) {
                    error(base + "/" + i, quote(n) + " is not a known capability (CAP_CHOWN … CAP_CHECKPOINT_RESTORE)");
                }
            }
        }

        void scheduler(String base, ProcessSpec.Scheduler s) {
            if (s == null) return;
            String policy = s.policy();
            if ("SCHED_ISO".equals(policy)) {
                error(base + "/policy", "SCHED_ISO is not implemented by the Linux kernel");
            }
            if (s.nice() != null && (s.nice() < -20 || s.nice() > 19)) {
                error(base + "/nice", "must be between -20 and 19, found " + s.nice());
            }
            if (s.priority() != null) {
                boolean realtime = "SCHED_FIFO".equals(policy) || "SCHED_RR".equals(policy);
                if (realtime && (s.priority() < 1 || s.priority() > 99)) {
                    error(base + "/priority", "must be between 1 and 99 for " + policy + ", found " + s.priority());
                } else if (!realtime && s.priority() != 0) {
                    error(base + "/priority", "must be 0 for " + policy + " (only SCHED_FIFO and SCHED_RR have a priority)");
                }
            }
            if ("SCHED_DEADLINE".equals(policy) && (s.runtime() == null || s.deadline() == null || s.period() == null)) {
                error(base, "SCHED_DEADLINE needs runtime, deadline and period");
            }
        }

        // ---- linux ----

        /** The namespaces of the config: type → path ("" when a new one is created). */
        record NamespaceSet(Map<String, String> byType) {
            boolean has(String type) {
                return byType.containsKey(type);
            }

            boolean isNew(String type) {
                String path = byType.get(type);
                return path != null && path.isEmpty();
            }
        }

        NamespaceSet namespaces(LinuxSpec linux) {
            Map<String, String> byType = new java.util.LinkedHashMap<>();
            if (linux == null || linux.namespaces() == null) return new NamespaceSet(byType);
            List<LinuxSpec.Namespace> list = linux.namespaces();
            for (int i = 0; i < list.size(); i++) {
                LinuxSpec.Namespace n = list.get(i);
                String p = "/linux/namespaces/" + i;
                if (!Namespaces.isKnown(n.type())) {
                    error(p + "/type", quote(n.type()) + " is not a namespace type (" + String.join(" ", Namespaces.all()) + ")");
                    continue;
                }
                if (byType.containsKey(n.type())) {
                    error(p + "/type", "duplicate namespace " + quote(n.type()));
                    continue;
                }
                String path = n.path() == null ? "" : n.path();
                if (!path.isEmpty() && !absolute(path)) {
                    error(p + "/path", "must be an absolute path, found " + quote(path));
                }
                byType.put(n.type(), path);
            }
            return new NamespaceSet(byType);
        }

        void linux(LinuxSpec l, NamespaceSet ns) {
            boolean newUser = ns.isNew("user");
            idMappings("/linux/uidMappings", l.uidMappings(), newUser);
            idMappings("/linux/gidMappings", l.gidMappings(), newUser);
            if (l.timeOffsets() != null && !l.timeOffsets().isEmpty()) {
                if (!ns.isNew("time")) {
                    error("/linux/timeOffsets", "needs a new time namespace (add {\"type\": \"time\"} without a path to /linux/namespaces)");
                }
                for (String clock : l.timeOffsets().keySet()) {
                    if (!clock.equals("boottime") && !clock.equals("monotonic")) {
                        error("/linux/timeOffsets/" + token(clock), "only the clocks boottime and monotonic have offsets");
                    }
                }
            }
            devices(l.devices());
            sysctls(l.sysctl(), ns);
            pathList("/linux/maskedPaths", l.maskedPaths());
            pathList("/linux/readonlyPaths", l.readonlyPaths());
            if (l.rootfsPropagation() != null && MountOptions.propagationFlags(l.rootfsPropagation()) == 0) {
                error("/linux/rootfsPropagation", quote(l.rootfsPropagation())
                        + " is not one of private rprivate slave rslave shared rshared unbindable runbindable");
            }
            seccomp(l.seccomp());
            if (l.personality() != null && l.personality().flags() != null && !l.personality().flags().isEmpty()) {
                error("/linux/personality/flags", "no personality flags are defined by the runtime-spec");
            }
            if (l.resources() != null) resources(l.resources(), "/linux/resources");
            if (l.intelRdt() != null) unsupported("/linux/intelRdt", "no resctrl");
            if (l.netDevices() != null) unsupported("/linux/netDevices", "moving network devices into the container");
            if (l.memoryPolicy() != null) unsupported("/linux/memoryPolicy", "NUMA memory policy");
            if (l.mountLabel() != null && !l.mountLabel().isEmpty()) {
                warn("/linux/mountLabel", "SELinux is disabled on this host: label ignored");
            }
        }

        void idMappings(String base, List<LinuxSpec.IdMapping> maps, boolean newUser) {
            boolean present = maps != null && !maps.isEmpty();
            if (newUser && !present) {
                error(base, "required when a new user namespace is created");
            } else if (!newUser && present) {
                error(base, "only allowed with a new user namespace (a {\"type\": \"user\"} namespace without a path)");
            }
            if (!present) return;
            for (int i = 0; i < maps.size(); i++) {
                LinuxSpec.IdMapping m = maps.get(i);
                if (m.size() != null && m.size() == 0) error(base + "/" + i + "/size", "must be greater than zero");
            }
        }

        void devices(List<LinuxSpec.Device> devices) {
            if (devices == null) return;
            for (int i = 0; i < devices.size(); i++) {
                LinuxSpec.Device d = devices.get(i);
                String p = "/linux/devices/" + i;
                String t = d.type();
                if (!"c".equals(t) && !"b".equals(t) && !"u".equals(t) && !"p".equals(t)) {
                    error(p + "/type", quote(t) + " is not a device type (c, b, u or p)");
                }
                absolutePath(p + "/path", d.path());
                if (!"p".equals(t)) {
                    if (d.major() == null) error(p + "/major", "required for a " + t + " device");
                    if (d.minor() == null) error(p + "/minor", "required for a " + t + " device");
                }
                if (d.fileMode() != null && (d.fileMode() < 0 || d.fileMode() > 07777)) {
                    error(p + "/fileMode", "must be permission bits only (<= 07777), found 0" + Long.toOctalString(d.fileMode()));
                }
            }
        }

        void sysctls(Map<String, String> sysctl, NamespaceSet ns) {
            if (sysctl == null) return;
            for (String key : sysctl.keySet()) {
                String p = "/linux/sysctl/" + token(key);
                String k = key.replace('/', '.');
                String needs;
                if (k.startsWith("net.")) needs = "network";
                else if (IPC_SYSCTLS.contains(k) || k.startsWith("fs.mqueue.")) needs = "ipc";
                else if (k.equals("kernel.hostname") || k.equals("kernel.domainname")) needs = "uts";
                else {
                    error(p, "not a namespaced sysctl: setting it would change the host");
                    continue;
                }
                if (!ns.has(needs)) {
                    error(p, "needs a " + needs + " namespace: without one it would change the host");
                }
            }
        }

        void pathList(String base, List<String> paths) {
            if (paths == null) return;
            for (int i = 0; i < paths.size(); i++) absolutePath(base + "/" + i, paths.get(i));
        }

        void seccomp(LinuxSpec.Seccomp s) {
            if (s == null) return;
            String b = "/linux/seccomp";
            boolean notify = "SCMP_ACT_NOTIFY".equals(s.defaultAction());
            if (notify) error(b + "/defaultAction", "SCMP_ACT_NOTIFY cannot be the default action");
            if (s.defaultErrnoRet() != null && !errnoAction(s.defaultAction())) {
                error(b + "/defaultErrnoRet", "only allowed with SCMP_ACT_ERRNO or SCMP_ACT_TRACE");
            }
            if (s.syscalls() != null) {
                for (int i = 0; i < s.syscalls().size(); i++) {
                    LinuxSpec.Syscall sc = s.syscalls().get(i);
                    String p = b + "/syscalls/" + i;
                    if ("SCMP_ACT_NOTIFY".equals(sc.action())) notify = true;
                    if (sc.errnoRet() != null && !errnoAction(sc.action())) {
                        error(p + "/errnoRet", "only allowed with SCMP_ACT_ERRNO or SCMP_ACT_TRACE");
                    }
                    if (sc.names() != null) {
                        for (int j = 0; j < sc.names().size(); j++) {
                            String n = sc.names().get(j);
                            if (n == null || n.isEmpty()) error(p + "/names/" + j, "must not be empty");
                        }
                    }
                    if (sc.args() != null) {
                        for (int j = 0; j < sc.args().size(); j++) {
                            Long idx = sc.args().get(j).index();
                            if (idx != null && (idx < 0 || idx > 5)) {
                                error(p + "/args/" + j + "/index", "a system call has arguments 0 to 5, found " + idx);
                            }
                        }
                    }
                }
            }
            if (notify && (s.listenerPath() == null || s.listenerPath().isEmpty())) {
                error(b + "/listenerPath", "required when an action is SCMP_ACT_NOTIFY");
            }
            if (s.listenerPath() != null && !s.listenerPath().isEmpty() && !absolute(s.listenerPath())) {
                error(b + "/listenerPath", "must be an absolute path, found " + quote(s.listenerPath()));
            }
        }

        static boolean errnoAction(String action) {
            return "SCMP_ACT_ERRNO".equals(action) || "SCMP_ACT_TRACE".equals(action);
        }

        // ---- linux.resources ----

        void resources(Resources r, String base) {
            if (r.devices() != null) {
                for (int i = 0; i < r.devices().size(); i++) {
                    Resources.DeviceRule d = r.devices().get(i);
                    String p = base + "/devices/" + i;
                    if (d.type() != null && !d.type().equals("a") && !d.type().equals("c") && !d.type().equals("b")) {
                        error(p + "/type", quote(d.type()) + " is not a device rule type (a, c or b)");
                    }
                    if (d.access() != null && !d.access().matches("[rwm]*")) {
                        error(p + "/access", quote(d.access()) + " is not made of r, w and m");
                    }
                }
            }
            Resources.Memory m = r.memory();
            if (m != null) {
                String p = base + "/memory";
                limit(p + "/limit", m.limit());
                limit(p + "/reservation", m.reservation());
                limit(p + "/swap", m.swap());
                if (m.limit() != null && m.swap() != null && m.limit() > 0 && m.swap() > 0 && m.swap() < m.limit()) {
                    error(p + "/swap", "memory+swap (" + m.swap() + ") must be at least the memory limit (" + m.limit() + ")");
                }
                if (m.swappiness() != null && Long.compareUnsigned(m.swappiness(), 100) > 0) {
                    error(p + "/swappiness", "must be between 0 and 100, found " + Long.toUnsignedString(m.swappiness()));
                }
                if (m.kernel() != null) warn(p + "/kernel", "kernel memory limits are deprecated by the spec: ignored");
            }
            Resources.Cpu c = r.cpu();
            if (c != null) {
                String p = base + "/cpu";
                cpuList(p + "/cpus", c.cpus());
                cpuList(p + "/mems", c.mems());
                if (c.quota() != null && c.quota() != -1 && c.quota() < 1000 && c.quota() != 0) {
                    error(p + "/quota", "must be -1 (no limit) or at least 1000 microseconds, found " + c.quota());
                }
                if (c.period() != null && c.period() != 0 && (c.period() < 1000 || c.period() > 1_000_000)) {
                    error(p + "/period", "must be between 1000 and 1000000 microseconds, found " + Long.toUnsignedString(c.period()));
                }
                if (c.idle() != null && c.idle() != 0 && c.idle() != 1) {
                    error(p + "/idle", "must be 0 or 1, found " + c.idle());
                }
            }
            if (r.pids() != null && r.pids().limit() != null && r.pids().limit() < -1) {
                error(base + "/pids/limit", "must be -1 (no limit) or a number of tasks, found " + r.pids().limit());
            }
            if (r.unified() != null) {
                for (String key : r.unified().keySet()) {
                    if (key.isEmpty() || key.contains("/") || key.startsWith(".")) {
                        error(base + "/unified/" + token(key), "must be a cgroup file name (no / and not starting with .)");
                    }
                }
            }
        }

        void limit(String pointer, Long v) {
            if (v != null && v != -1 && v <= 0) {
                error(pointer, "must be a positive number of bytes or -1 (no limit), found " + v);
            }
        }

        void cpuList(String pointer, String list) {
            if (list == null || list.isEmpty()) return;
            if (!CPU_LIST.matcher(list).matches()) {
                error(pointer, "must be a list like 0-2,4, found " + quote(list));
                return;
            }
            for (String part : list.split(",")) {
                int dash = part.indexOf('-');
                if (dash > 0 && Long.parseLong(part.substring(0, dash)) > Long.parseLong(part.substring(dash + 1))) {
                    error(pointer, "range " + part + " is reversed");
                }
            }
        }
    }
}

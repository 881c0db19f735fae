package dev.jruntime.plan;

import static dev.jruntime.plan.Linux.*;

import dev.jruntime.JrError;
import dev.jruntime.spec.Capabilities;
import dev.jruntime.spec.LinuxSpec;
import dev.jruntime.spec.MountOptions;
import dev.jruntime.spec.Namespaces;
import dev.jruntime.spec.ProcessSpec;
import dev.jruntime.spec.Rlimits;
import dev.jruntime.spec.Spec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a validated config into the two plans jruntime-init runs for `create`: stage 1 (host
 * side, up to the clone) and the container init's plan (mounts, pivot_root, process setup,
 * wait for `start`, exec). Every default and every order decision of the runtime is here.
 *
 * <p>The order follows runc: propagation and rootfs bind, config mounts, devices, hooks,
 * pivot_root, sysctl, masked and read-only paths, read-only root, terminal, then the process
 * attributes, privileges last (seccomp before dropping capabilities unless
 * noNewPrivileges lets it come right before exec).
 */
public final class PlanBuilder {
    /** Fd numbers stage 1 places things at (the child inherits them, all close-on-exec). */
    public static final int FD_CONSOLE = 100, FD_STATE_DIR = 101, FD_SECCOMP_LISTENER = 102;

    /** Sync tags: the JVM runs prestart + createRuntime hooks when the init reaches this. */
    public static final int SYNC_CREATE_RUNTIME_HOOKS = 1;

    private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /** The default devices every container gets (runc's list). */
    private record DefaultDevice(String path, long major, long minor) {}

    private static final List<DefaultDevice> DEFAULT_DEVICES = List.of(
            new DefaultDevice("/dev/null", 1, 3), new DefaultDevice("/dev/zero", 1, 5),
            new DefaultDevice("/dev/full", 1, 7), new DefaultDevice("/dev/random", 1, 8),
            new DefaultDevice("/dev/urandom", 1, 9), new DefaultDevice("/dev/tty", 5, 0));

    private final Spec spec;
    private final Path rootfs;
    private final Path stateDir;
    private final CreateOptions opts;
    private final long jvmPid;
    private final CgroupMountPlanner cgroupMounts;

    /** Plans what a `cgroup` mount means for this container (its cgroup manager knows). */
    public interface CgroupMountPlanner {
        void plan(Plan p, String destination, boolean readOnly, boolean ownCgroupNamespace, String origin);
    }

    /**
     * @param rootfs   absolute path of the root filesystem
     * @param stateDir the container's state directory (holds exec.fifo)
     */
    public PlanBuilder(Spec spec, Path rootfs, Path stateDir, CreateOptions opts, long jvmPid,
                       CgroupMountPlanner cgroupMounts) {
        this.cgroupMounts = cgroupMounts;
        this.spec = spec;
        this.rootfs = rootfs;
        this.stateDir = stateDir;
        this.opts = opts;
        this.jvmPid = jvmPid;
    }

    private LinuxSpec linux() {
        return spec.linux() == null
                ? new LinuxSpec(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null)
                : spec.linux();
    }

    private List<LinuxSpec.Namespace> namespaces() {
        return linux().namespaces() == null ? List.of() : linux().namespaces();
    }

    /** CLONE_NEW* flags of the namespaces the container creates (not joined by path). */
    public long newNamespaceFlags() {
        long flags = 0;
        for (LinuxSpec.Namespace ns : namespaces()) {
            if (ns.path() == null || ns.path().isEmpty()) flags |= Namespaces.cloneFlag(ns.type());
        }
        return flags;
    }

    public boolean createsUserNamespace() {
        return (newNamespaceFlags() & CLONE_NEWUSER) != 0;
    }

    public boolean hasPidNamespace() {
        return namespaces().stream().anyMatch(ns -> "pid".equals(ns.type()));
    }

    // --- stage 1 -----------------------------------------------------------------------

    /**
     * The host-side plan: fds the container needs from the host, namespaces to join, the clone.
     *
     * @param seccomp the compiled filter (or null): with a listener fd, stage 1 connects to
     *                {@code listenerPath} for it (only then: without an SCMP_ACT_NOTIFY action
     *                the path is ignored, as the runtime-spec says)
     */
    public Plan stage1(SeccompProgram seccomp) {
        Plan p = new Plan();
        if (opts.consoleSocket() != null) {
            p.add(Opcode.CONNECT_UNIX, "--console-socket", opts.consoleSocket(), FD_CONSOLE);
        }
        if (opts.preserveFds() > 0) {
            p.add(Opcode.GRAB_FDS, "--preserve-fds", jvmPid, 3, opts.preserveFds());
        }
        LinuxSpec.Seccomp sc = linux().seccomp();
        if (seccomp != null && seccomp.listenerFd() >= 0) {
            p.add(Opcode.CONNECT_UNIX, "/linux/seccomp/listenerPath", sc.listenerPath(), FD_SECCOMP_LISTENER);
        }
        Path fifo = stateDir.resolve("exec.fifo");
        p.add(Opcode.MKFIFO, "", fifo.toString(), 0622);
        p.add(Opcode.OPEN_FD, "", stateDir.toString(), O_PATH | O_DIRECTORY | O_CLOEXEC, FD_STATE_DIR);
        // join namespaces given by path: the user namespace first (it owns the others)
        List<LinuxSpec.Namespace> joined = new ArrayList<>();
        for (LinuxSpec.Namespace ns : namespaces()) {
            if (ns.path() != null && !ns.path().isEmpty()) joined.add(ns);
        }
        joined.sort((a, b) -> Boolean.compare(!"user".equals(a.type()), !"user".equals(b.type())));
        for (LinuxSpec.Namespace ns : joined) {
            int i = namespaces().indexOf(ns);
            p.add(Opcode.SETNS, "/linux/namespaces/" + i + "/path", ns.path(), Namespaces.cloneFlag(ns.type()));
        }
        long flags = newNamespaceFlags();
        if ((flags & CLONE_NEWTIME) != 0) {
            // a time namespace cannot be created by clone(): unshare it so that the child is
            // its first member, and set its offsets before anything enters it
            p.add(Opcode.UNSHARE, "/linux/namespaces (time)", CLONE_NEWTIME);
            Map<String, LinuxSpec.TimeOffset> offs = linux().timeOffsets();
            if (offs != null && !offs.isEmpty()) {
                StringBuilder sb = new StringBuilder();
                for (var e : offs.entrySet()) {
                    long secs = e.getValue().secs() == null ? 0 : e.getValue().secs();
                    long nanos = e.getValue().nanosecs() == null ? 0 : e.getValue().nanosecs();
                    sb.append(e.getKey()).append(' ').append(secs).append(' ').append(nanos).append('\n');
                }
                p.add(Opcode.WRITE_FILE, "/linux/timeOffsets", "/proc/self/timens_offsets", sb.toString(), 0);
            }
        }
        p.add(Opcode.CLONE, "", flags & ~CLONE_NEWTIME, opts.foreground() ? 1 : 0);
        return p;
    }

    // --- the container init ----------------------------------------------------------------

    /**
     * The container init's plan.
     *
     * @param hookState the OCI state JSON given to createContainer/startContainer hooks
     * @param seccomp   the compiled seccomp filter, or null
     */
    public Plan container(String hookState, SeccompProgram seccomp) {
        Plan p = new Plan();
        ProcessSpec proc = spec.process();
        if (createsUserNamespace()) {
            // become root of the new user namespace (the maps are written by now)
            p.add(Opcode.SET_USER, "/linux/uidMappings", 0, 0, new long[0], 0);
        }
        p.add(Opcode.SETSID, "");
        planRootfs(p, hookState);
        planProcess(p, proc, hookState, seccomp);
        return p;
    }

    private void planRootfs(Plan p, String hookState) {
        String root = rootfs.toString();
        // our mounts must never propagate back to the host
        p.add(Opcode.MOUNT, "", "", "/", "", MS_SLAVE | MS_REC, "", 0);
        // pivot_root refuses a new root whose parent mount is shared
        p.add(Opcode.MOUNT, "", "", HostMounts.mountPointOf(rootfs), "", MS_PRIVATE, "", 0);
        p.add(Opcode.MOUNT, "/root/path", root, root, "", MS_BIND | MS_REC, "", 0);
        p.add(Opcode.SET_ROOT, "/root/path", root);

        boolean devIsHostBind = false;
        List<Spec.Mount> mounts = spec.mounts() == null ? List.of() : spec.mounts();
        for (int i = 0; i < mounts.size(); i++) {
            Spec.Mount m = mounts.get(i);
            planMount(p, m, "/mounts/" + i);
            if ("/dev".equals(clean(m.destination())) && isBind(m)) devIsHostBind = true;
        }
        if (!devIsHostBind) planDevices(p);
        if (spec.process() != null && spec.process().cwd() != null) {
            p.add(Opcode.MKDIR_IN_ROOT, "/process/cwd", spec.process().cwd(), 0755);
        }
        if (Boolean.TRUE.equals(spec.process() == null ? null : spec.process().terminal())) {
            p.add(Opcode.MKFILE_IN_ROOT, "/process/terminal", "/dev/console", 0666);
        }
        Spec.Hooks hooks = spec.hooks();
        if (hooks != null && (notEmpty(hooks.prestart()) || notEmpty(hooks.createRuntime()))) {
            p.add(Opcode.SYNC, "/hooks/createRuntime", SYNC_CREATE_RUNTIME_HOOKS);
        }
        if (hooks != null) addHooks(p, hooks.createContainer(), "/hooks/createContainer", hookState);

        if (opts.noPivot()) p.add(Opcode.MOVE_ROOT, "--no-pivot", root);
        else p.add(Opcode.PIVOT_ROOT, "/root/path", root);
        String propagation = linux().rootfsPropagation();
        if (propagation != null && !propagation.isEmpty()) {
            p.add(Opcode.MOUNT, "/linux/rootfsPropagation", "", "/", "", MountOptions.propagationFlags(propagation), "", 0);
        }
        if (spec.hostname() != null && !spec.hostname().isEmpty()) {
            p.add(Opcode.SETHOSTNAME, "/hostname", spec.hostname());
        }
        if (spec.domainname() != null && !spec.domainname().isEmpty()) {
            p.add(Opcode.SETDOMAINNAME, "/domainname", spec.domainname());
        }
        if (linux().sysctl() != null) {
            for (var e : linux().sysctl().entrySet()) {
                String file = "/proc/sys/" + e.getKey().replace('.', '/');
                p.add(Opcode.WRITE_FILE, "/linux/sysctl/" + e.getKey(), file, e.getValue(), 0);
            }
        }
        List<String> ro = linux().readonlyPaths();
        if (ro != null) for (int i = 0; i < ro.size(); i++) p.add(Opcode.READONLY_PATH, "/linux/readonlyPaths/" + i, ro.get(i));
        List<String> masked = linux().maskedPaths();
        if (masked != null) for (int i = 0; i < masked.size(); i++) p.add(Opcode.MASK_PATH, "/linux/maskedPaths/" + i, masked.get(i));
        if (spec.root() != null && Boolean.TRUE.equals(spec.root().readonly())) {
            p.add(Opcode.MOUNT, "/root/readonly", "", "/", "", MS_BIND | MS_REMOUNT | MS_RDONLY, "", 0);
        }
    }

    private static boolean isBind(Spec.Mount m) {
        return "bind".equals(m.type()) || (m.options() != null && (m.options().contains("bind") || m.options().contains("rbind")));
    }

    private void planMount(Plan p, Spec.Mount m, String origin) {
        String dest = clean(m.destination());
        String what = origin + " (" + (m.type() == null ? "bind" : m.type()) + " on " + dest + ")";
        MountOptions.Parsed o = MountOptions.parse(m.options() == null ? List.of() : m.options());
        if ("cgroup".equals(m.type()) || "cgroup2".equals(m.type())) {
            if (cgroupMounts == null) throw JrError.config(origin, "cgroup mounts need the container's cgroups");
            cgroupMounts.plan(p, dest, (o.flags() & MS_RDONLY) != 0, (newNamespaceFlags() & CLONE_NEWCGROUP) != 0, what);
            return;
        }
        if (o.bind() || "bind".equals(m.type())) {
            Path src = sourcePath(m, origin);
            if (Files.isDirectory(src)) p.add(Opcode.MKDIR_IN_ROOT, what, dest, 0755);
            else p.add(Opcode.MKFILE_IN_ROOT, what, dest, 0644);
            p.add(Opcode.MOUNT, what, src.toString(), dest, "", MS_BIND | (o.recursiveBind() ? MS_REC : 0), "", 1);
            long extra = o.flags() & ~(MS_BIND | MS_REC);
            if (extra != 0) {
                p.add(Opcode.MOUNT, what, "", dest, "", MS_BIND | MS_REMOUNT | extra, "", 1);
            }
        } else {
            p.add(Opcode.MKDIR_IN_ROOT, what, dest, 0755);
            String source = m.source() == null || m.source().isEmpty() ? m.type() : m.source();
            p.add(Opcode.MOUNT, what, source, dest, m.type() == null ? "" : m.type(), o.flags(), o.data(), 1);
        }
        for (long propagation : o.propagation()) {
            p.add(Opcode.MOUNT, what, "", dest, "", propagation, "", 1);
        }
        if (o.recAttrSet() != 0 || o.recAttrClr() != 0) {
            p.add(Opcode.MOUNT_SETATTR, what, dest, 1, o.recAttrSet(), o.recAttrClr(), 0, 1, "");
        }
    }

    private Path sourcePath(Spec.Mount m, String origin) {
        if (m.source() == null || m.source().isEmpty()) {
            throw JrError.config(origin + "/source", "a bind mount needs a source");
        }
        Path src = opts.bundle().resolve(m.source()).normalize();
        if (!Files.exists(src)) {
            throw JrError.config(origin + "/source", "mount source " + src + ": no such file or directory");
        }
        return src;
    }

    private void planDevices(Plan p) {
        boolean userns = createsUserNamespace();
        List<LinuxSpec.Device> devices = linux().devices() == null ? List.of() : linux().devices();
        for (DefaultDevice d : DEFAULT_DEVICES) {
            boolean overridden = devices.stream().anyMatch(x -> d.path().equals(x.path()));
            if (!overridden) addDevice(p, "default device " + d.path(), d.path(), S_IFCHR | 0666, d.major(), d.minor(), 0, 0, userns);
        }
        for (int i = 0; i < devices.size(); i++) {
            LinuxSpec.Device d = devices.get(i);
            long type = switch (d.type()) {
                case "b" -> S_IFBLK;
                case "p" -> S_IFIFO;
                default -> S_IFCHR;
            };
            long mode = d.fileMode() == null ? 0666 : d.fileMode();
            addDevice(p, "/linux/devices/" + i, d.path(), type | mode,
                    d.major() == null ? 0 : d.major(), d.minor() == null ? 0 : d.minor(),
                    d.uid() == null ? 0 : d.uid(), d.gid() == null ? 0 : d.gid(), userns);
        }
        p.add(Opcode.SYMLINK_IN_ROOT, "/dev links", "/proc/self/fd", "/dev/fd");
        p.add(Opcode.SYMLINK_IN_ROOT, "/dev links", "/proc/self/fd/0", "/dev/stdin");
        p.add(Opcode.SYMLINK_IN_ROOT, "/dev links", "/proc/self/fd/1", "/dev/stdout");
        p.add(Opcode.SYMLINK_IN_ROOT, "/dev links", "/proc/self/fd/2", "/dev/stderr");
        p.add(Opcode.SYMLINK_IN_ROOT, "/dev links", "pts/ptmx", "/dev/ptmx");
    }

    private static void addDevice(Plan p, String origin, String path, long mode, long major, long minor,
                                  long uid, long gid, boolean userns) {
        if (userns) {
            // mknod is not permitted in a user namespace: bind the host's node instead (as runc)
            p.add(Opcode.MKFILE_IN_ROOT, origin, path, 0644);
            p.add(Opcode.MOUNT, origin, path, path, "", MS_BIND, "", 1);
        } else {
            p.add(Opcode.MKNOD_IN_ROOT, origin, path, mode, makedev(major, minor), uid, gid);
        }
    }

    private void planProcess(Plan p, ProcessSpec proc, String hookState, SeccompProgram seccomp) {
        if (Boolean.TRUE.equals(proc.terminal())) {
            if (opts.consoleSocket() == null) {
                throw JrError.config("/process/terminal", "a terminal needs a console socket: --console-socket, or jruntime's own relay of a foreground run");
            }
            long rows = proc.consoleSize() == null || proc.consoleSize().height() == null ? 0 : proc.consoleSize().height();
            long cols = proc.consoleSize() == null || proc.consoleSize().width() == null ? 0 : proc.consoleSize().width();
            p.add(Opcode.OPEN_PTY, "/process/terminal", FD_CONSOLE, rows, cols);
        }
        if (proc.cwd() != null) p.add(Opcode.CHDIR, "/process/cwd", proc.cwd());
        if (proc.rlimits() != null) {
            for (int i = 0; i < proc.rlimits().size(); i++) {
                ProcessSpec.Rlimit r = proc.rlimits().get(i);
                p.add(Opcode.SETRLIMIT, "/process/rlimits/" + i, Rlimits.resource(r.type()), r.soft(), r.hard());
            }
        }
        ProcessAttributes.plan(p, proc, linux().personality());
        long umask = proc.user() != null && proc.user().umask() != null ? proc.user().umask() : 022;
        p.add(Opcode.UMASK, "/process/user/umask", umask);
        p.add(Opcode.CLOEXEC_FROM, "--preserve-fds", 3 + opts.preserveFds());

        boolean nnp = Boolean.TRUE.equals(proc.noNewPrivileges());
        if (seccomp != null && !nnp) seccomp.addTo(p);
        planPrivileges(p, proc);
        String path = pathOf(proc.env());
        p.add(Opcode.CHECK_EXEC, "/process/args/0", proc.args().get(0), path);
        if (nnp) p.add(Opcode.NO_NEW_PRIVS, "/process/noNewPrivileges");
        p.add(Opcode.READY, "");
        p.add(Opcode.WAIT_FIFO, "", FD_STATE_DIR, "exec.fifo");
        if (spec.hooks() != null) addHooks(p, spec.hooks().startContainer(), "/hooks/startContainer", hookState);
        if (seccomp != null && nnp) seccomp.addTo(p);
        if (opts.reapingInit()) p.add(Opcode.REAPER, "dev.jruntime.init");
        p.add(Opcode.EXEC, "/process/args", proc.args().get(0), proc.args(), envOf(proc), path);
    }

    /** Bounding set, then uid/gid/groups (keeping capabilities across setuid), then the sets. */
    static void planPrivileges(Plan p, ProcessSpec proc) {
        ProcessSpec.Capabilities caps = proc.capabilities();
        if (caps != null) {
            p.add(Opcode.CAP_BOUNDING, "/process/capabilities/bounding", Capabilities.mask(caps.bounding()));
        }
        ProcessSpec.User u = proc.user();
        long uid = u == null || u.uid() == null ? 0 : u.uid();
        long gid = u == null || u.gid() == null ? 0 : u.gid();
        List<Long> extra = u == null || u.additionalGids() == null ? List.of() : u.additionalGids();
        long[] groups = extra.stream().mapToLong(Long::longValue).toArray();
        p.add(Opcode.SET_USER, "/process/user", uid, gid, groups, 1);
        if (caps != null) {
            p.add(Opcode.CAPSET, "/process/capabilities",
                    Capabilities.mask(caps.effective()), Capabilities.mask(caps.permitted()),
                    Capabilities.mask(caps.inheritable()), Capabilities.mask(caps.ambient()));
        }
    }

    private static void addHooks(Plan p, List<Spec.Hook> hooks, String origin, String state) {
        if (hooks == null) return;
        for (int i = 0; i < hooks.size(); i++) {
            Spec.Hook h = hooks.get(i);
            p.add(hookOp(h, origin + "/" + i, state));
        }
    }

    /** A HOOK op: args default to [path], env to empty, no timeout. */
    public static Op hookOp(Spec.Hook h, String origin, String state) {
        List<String> args = h.args() == null || h.args().isEmpty() ? List.of(h.path()) : h.args();
        List<String> env = h.env() == null ? List.of() : h.env();
        long timeout = h.timeout() == null ? 0 : h.timeout();
        return Op.of(Opcode.HOOK, origin, h.path(), args, env, timeout, state);
    }

    static String pathOf(List<String> env) {
        if (env != null) {
            for (int i = env.size() - 1; i >= 0; i--) {
                if (env.get(i).startsWith("PATH=")) return env.get(i).substring(5);
            }
        }
        return DEFAULT_PATH;
    }

    private static List<String> envOf(ProcessSpec proc) {
        return proc.env() == null ? List.of() : proc.env();
    }

    private static boolean notEmpty(List<?> l) {
        return l != null && !l.isEmpty();
    }

    /** "/a//b/../c/" → "/a/c" (a destination is always taken inside the rootfs). */
    static String clean(String path) {
        String c = Path.of("/").resolve(path).normalize().toString();
        return c.isEmpty() ? "/" : c;
    }
}

package dev.jruntime.spec;

import static dev.jruntime.spec.MountOptions.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TablesTest {

    @Test
    void capabilities() {
        assertEquals(0, Capabilities.bit("CAP_CHOWN"));
        assertEquals(5, Capabilities.bit("CAP_KILL"));
        assertEquals(10, Capabilities.bit("CAP_NET_BIND_SERVICE"));
        assertEquals(21, Capabilities.bit("CAP_SYS_ADMIN"));
        assertEquals(29, Capabilities.bit("CAP_AUDIT_WRITE"));
        assertEquals(38, Capabilities.bit("CAP_PERFMON"));
        assertEquals(39, Capabilities.bit("CAP_BPF"));
        assertEquals(40, Capabilities.bit("CAP_CHECKPOINT_RESTORE"));
        assertEquals(40, Capabilities.LAST);
        assertEquals(41, Capabilities.all().size());
        assertEquals(-1, Capabilities.bit("CAP_FOO"));
        assertEquals(-1, Capabilities.bit("KILL"));
        assertEquals(-1, Capabilities.bit("cap_kill"));
        assertEquals("CAP_MKNOD", Capabilities.name(27));
        assertNull(Capabilities.name(41));
        assertEquals((1L << 29) | (1L << 5) | (1L << 10),
                Capabilities.mask(List.of("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE")));
        assertThrows(IllegalArgumentException.class, () -> Capabilities.mask(List.of("CAP_X")));
        for (int i = 0; i <= Capabilities.LAST; i++) assertEquals(i, Capabilities.bit(Capabilities.name(i)));
    }

    @Test
    void rlimits() {
        assertEquals(0, Rlimits.resource("RLIMIT_CPU"));
        assertEquals(4, Rlimits.resource("RLIMIT_CORE"));
        assertEquals(6, Rlimits.resource("RLIMIT_NPROC"));
        assertEquals(7, Rlimits.resource("RLIMIT_NOFILE"));
        assertEquals(8, Rlimits.resource("RLIMIT_MEMLOCK"));
        assertEquals(9, Rlimits.resource("RLIMIT_AS"));
        assertEquals(15, Rlimits.resource("RLIMIT_RTTIME"));
        assertEquals(16, Rlimits.all().size());
        assertEquals(-1, Rlimits.resource("RLIMIT_FOO"));
        assertFalse(Rlimits.isKnown("NOFILE"));
        assertEquals("RLIMIT_STACK", Rlimits.name(3));
    }

    @Test
    void namespaces() {
        assertEquals(0x20000000L, Namespaces.cloneFlag("pid"));
        assertEquals(0x40000000L, Namespaces.cloneFlag("network"));
        assertEquals(0x00020000L, Namespaces.cloneFlag("mount"));
        assertEquals(0x08000000L, Namespaces.cloneFlag("ipc"));
        assertEquals(0x04000000L, Namespaces.cloneFlag("uts"));
        assertEquals(0x10000000L, Namespaces.cloneFlag("user"));
        assertEquals(0x02000000L, Namespaces.cloneFlag("cgroup"));
        assertEquals(0x00000080L, Namespaces.cloneFlag("time"));
        assertEquals(0, Namespaces.cloneFlag("net"));
        assertEquals("net", Namespaces.procName("network"));
        assertEquals("mnt", Namespaces.procName("mount"));
        assertEquals("time", Namespaces.procName("time"));
        assertNull(Namespaces.procName("bogus"));
        assertEquals("user", Namespaces.JOIN_ORDER.get(0));
        assertEquals("mount", Namespaces.JOIN_ORDER.get(Namespaces.JOIN_ORDER.size() - 1));
        assertEquals(8, Namespaces.all().size());
        assertTrue(Namespaces.isKnown("cgroup"));
        assertFalse(Namespaces.isKnown("net"));
    }

    @Test
    void mountFlags() {
        Parsed p = MountOptions.parse(List.of("nosuid", "noexec", "nodev", "ro", "relatime"));
        assertEquals(MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RDONLY | MS_RELATIME, p.flags());
        assertEquals(0, p.clearFlags());
        assertEquals("", p.data());
        assertFalse(p.bind());
        assertEquals(List.of(), p.propagation());
    }

    @Test
    void mountDataKeepsUnknownWordsInOrder() {
        Parsed p = MountOptions.parse(List.of("nosuid", "strictatime", "mode=755", "size=65536k"));
        assertEquals(MS_NOSUID | MS_STRICTATIME, p.flags());
        assertEquals("mode=755,size=65536k", p.data());
        Parsed pts = MountOptions.parse(List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"));
        assertEquals("newinstance,ptmxmode=0666,mode=0620,gid=5", pts.data());
    }

    @Test
    void laterWordsWin() {
        Parsed p = MountOptions.parse(List.of("ro", "rw", "noexec", "exec", "nosuid"));
        assertEquals(MS_NOSUID, p.flags());
        assertEquals(MS_RDONLY | MS_NOEXEC, p.clearFlags());
        Parsed q = MountOptions.parse(List.of("rw", "ro"));
        assertEquals(MS_RDONLY, q.flags());
        assertEquals(0, q.clearFlags());
    }

    @Test
    void clearWords() {
        Parsed p = MountOptions.parse(List.of("rw", "suid", "dev", "exec", "async", "nomand", "atime", "diratime",
                "norelatime", "nostrictatime", "nolazytime", "symfollow"));
        assertEquals(0, p.flags());
        assertEquals(MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_SYNCHRONOUS | MS_MANDLOCK | MS_NOATIME
                | MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME | MS_LAZYTIME | MS_NOSYMFOLLOW, p.clearFlags());
        assertEquals("", p.data());
    }

    @Test
    void setWords() {
        Parsed p = MountOptions.parse(List.of("sync", "dirsync", "remount", "mand", "noatime", "nodiratime", "lazytime",
                "nosymfollow", "defaults"));
        assertEquals(MS_SYNCHRONOUS | MS_DIRSYNC | MS_REMOUNT | MS_MANDLOCK | MS_NOATIME | MS_NODIRATIME | MS_LAZYTIME
                | MS_NOSYMFOLLOW, p.flags());
    }

    @Test
    void bindAndPropagation() {
        Parsed b = MountOptions.parse(List.of("bind", "rprivate"));
        assertTrue(b.bind());
        assertFalse(b.recursiveBind());
        assertEquals(MS_BIND, b.flags());
        assertEquals(List.of(MS_PRIVATE | MS_REC), b.propagation());
        Parsed rb = MountOptions.parse(List.of("rbind", "ro", "slave", "rshared", "unbindable", "runbindable", "private", "shared", "rslave"));
        assertTrue(rb.recursiveBind());
        assertEquals(MS_BIND | MS_REC | MS_RDONLY, rb.flags());
        assertEquals(List.of(MS_SLAVE, MS_SHARED | MS_REC, MS_UNBINDABLE, MS_UNBINDABLE | MS_REC, MS_PRIVATE, MS_SHARED,
                MS_SLAVE | MS_REC), rb.propagation());
        assertEquals(MS_SLAVE | MS_REC, MountOptions.propagationFlags("rslave"));
        assertEquals(0, MountOptions.propagationFlags("rbind"));
    }

    @Test
    void recursiveAttributes() {
        Parsed p = MountOptions.parse(List.of("rbind", "rro", "rnosuid", "rnodev", "rnoexec", "rnodiratime", "rnosymfollow"));
        assertEquals(MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC | MOUNT_ATTR_NODIRATIME
                | MOUNT_ATTR_NOSYMFOLLOW, p.recAttrSet());
        assertEquals(0, p.recAttrClr());
        assertTrue(p.hasRecursiveAttrs());
        assertEquals(MS_BIND | MS_REC, p.flags());
        Parsed c = MountOptions.parse(List.of("rrw", "rsuid", "rdev", "rexec", "rdiratime", "rsymfollow"));
        assertEquals(0, c.recAttrSet());
        assertEquals(MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC | MOUNT_ATTR_NODIRATIME
                | MOUNT_ATTR_NOSYMFOLLOW, c.recAttrClr());
    }

    @Test
    void recursiveAtime() {
        Parsed p = MountOptions.parse(List.of("rnoatime"));
        assertEquals(MOUNT_ATTR_NOATIME, p.recAttrSet());
        assertEquals(MOUNT_ATTR__ATIME, p.recAttrClr());
        Parsed s = MountOptions.parse(List.of("rnoatime", "rstrictatime"));
        assertEquals(MOUNT_ATTR_STRICTATIME, s.recAttrSet());
        Parsed r = MountOptions.parse(List.of("rrelatime"));
        assertEquals(MOUNT_ATTR_RELATIME, r.recAttrSet());
        assertEquals(MOUNT_ATTR__ATIME, r.recAttrClr());
        assertTrue(r.hasRecursiveAttrs());
        assertEquals(MOUNT_ATTR_STRICTATIME, MountOptions.parse(List.of("rnorelatime")).recAttrSet());
        assertEquals(MOUNT_ATTR_RELATIME, MountOptions.parse(List.of("ratime")).recAttrSet());
        assertEquals(MOUNT_ATTR_RELATIME, MountOptions.parse(List.of("rnostrictatime")).recAttrSet());
    }

    @Test
    void extensions() {
        Parsed p = MountOptions.parse(List.of("ridmap", "tmpcopyup"));
        assertTrue(p.idmap());
        assertTrue(p.recursiveIdmap());
        assertTrue(p.tmpcopyup());
        assertEquals("", p.data());
        assertTrue(MountOptions.parse(List.of("idmap")).idmap());
        assertEquals(new Parsed(0, 0, List.of(), 0, 0, false, false, false, false, false, ""), MountOptions.parse(null));
    }

    @Test
    void everyWordTheTaskListsIsKnown() {
        String words = "ro rw suid nosuid dev nodev exec noexec sync async dirsync remount mand nomand atime noatime diratime "
                + "nodiratime relatime norelatime strictatime nostrictatime lazytime nolazytime bind rbind private rprivate "
                + "shared rshared slave rslave unbindable runbindable nosymfollow symfollow rro rrw rnosuid rsuid rnodev rdev "
                + "rnoexec rexec rnoatime ratime rnodiratime rdiratime rrelatime rnorelatime rstrictatime rnostrictatime "
                + "rnosymfollow rsymfollow";
        for (String w : words.split(" ")) {
            assertTrue(MountOptions.KNOWN_WORDS.contains(w), w);
            assertEquals("", MountOptions.parse(List.of(w)).data(), w);
        }
    }
}

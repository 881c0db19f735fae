package dev.jruntime.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The mount option words of {@code mounts[].options} turned into mount(2) and
 * mount_setattr(2) arguments, with runc's vocabulary. Words jruntime does not know are not an
 * error: they are joined with commas into the filesystem data string (e.g. {@code mode=755},
 * {@code size=65536k}), which the kernel checks. No dependencies.
 */
public final class MountOptions {
    private MountOptions() {}

    // mount(2) flags (include/uapi/linux/mount.h)
    public static final long MS_RDONLY = 1;
    public static final long MS_NOSUID = 2;
    public static final long MS_NODEV = 4;
    public static final long MS_NOEXEC = 8;
    public static final long MS_SYNCHRONOUS = 16;
    public static final long MS_REMOUNT = 32;
    public static final long MS_MANDLOCK = 64;
    public static final long MS_DIRSYNC = 128;
    public static final long MS_NOSYMFOLLOW = 256;
    public static final long MS_NOATIME = 1024;
    public static final long MS_NODIRATIME = 2048;
    public static final long MS_BIND = 4096;
    public static final long MS_MOVE = 8192;
    public static final long MS_REC = 16384;
    public static final long MS_SILENT = 32768;
    public static final long MS_UNBINDABLE = 1 << 17;
    public static final long MS_PRIVATE = 1 << 18;
    public static final long MS_SLAVE = 1 << 19;
    public static final long MS_SHARED = 1 << 20;
    public static final long MS_RELATIME = 1 << 21;
    public static final long MS_I_VERSION = 1 << 23;
    public static final long MS_STRICTATIME = 1 << 24;
    public static final long MS_LAZYTIME = 1 << 25;

    // mount_setattr(2) attributes
    public static final long MOUNT_ATTR_RDONLY = 0x1;
    public static final long MOUNT_ATTR_NOSUID = 0x2;
    public static final long MOUNT_ATTR_NODEV = 0x4;
    public static final long MOUNT_ATTR_NOEXEC = 0x8;
    public static final long MOUNT_ATTR__ATIME = 0x70;
    public static final long MOUNT_ATTR_RELATIME = 0x0;
    public static final long MOUNT_ATTR_NOATIME = 0x10;
    public static final long MOUNT_ATTR_STRICTATIME = 0x20;
    public static final long MOUNT_ATTR_NODIRATIME = 0x80;
    public static final long MOUNT_ATTR_IDMAP = 0x100000;
    public static final long MOUNT_ATTR_NOSYMFOLLOW = 0x200000;

    /**
     * The parsed options of one mount.
     *
     * @param flags       mount(2) flags to set
     * @param clearFlags  mount(2) flags the options explicitly clear (e.g. {@code rw} clears MS_RDONLY)
     * @param propagation propagation changes, in order, each one mount(2) call
     *                    (MS_PRIVATE, MS_SHARED|MS_REC, …)
     * @param recAttrSet  mount_setattr(AT_RECURSIVE) attributes to set (from rro, rnosuid, …)
     * @param recAttrClr  mount_setattr(AT_RECURSIVE) attributes to clear
     * @param bind        bind or rbind given
     * @param recursiveBind rbind given (MS_BIND|MS_REC is also in {@code flags})
     * @param idmap       idmap or ridmap given (an id-mapped mount)
     * @param recursiveIdmap ridmap given
     * @param tmpcopyup   runc's tmpcopyup extension (copy the directory's content onto a new tmpfs)
     * @param data        the remaining words, comma-joined (empty if none)
     */
    public record Parsed(
            long flags,
            long clearFlags,
            List<Long> propagation,
            long recAttrSet,
            long recAttrClr,
            boolean bind,
            boolean recursiveBind,
            boolean idmap,
            boolean recursiveIdmap,
            boolean tmpcopyup,
            String data) {

        /** Whether the options ask for any recursive mount_setattr change. */
        public boolean hasRecursiveAttrs() {
            return recAttrSet != 0 || recAttrClr != 0;
        }
    }

    /** A flag word: sets {@code flag}, or clears it when {@code clear}. */
    private record Word(String name, boolean clear, long flag) {}

    private static final List<Word> FLAG_WORDS = List.of(
            new Word("defaults", false, 0),
            new Word("ro", false, MS_RDONLY), new Word("rw", true, MS_RDONLY),
            new Word("nosuid", false, MS_NOSUID), new Word("suid", true, MS_NOSUID),
            new Word("nodev", false, MS_NODEV), new Word("dev", true, MS_NODEV),
            new Word("noexec", false, MS_NOEXEC), new Word("exec", true, MS_NOEXEC),
            new Word("sync", false, MS_SYNCHRONOUS), new Word("async", true, MS_SYNCHRONOUS),
            new Word("dirsync", false, MS_DIRSYNC),
            new Word("remount", false, MS_REMOUNT),
            new Word("mand", false, MS_MANDLOCK), new Word("nomand", true, MS_MANDLOCK),
            new Word("noatime", false, MS_NOATIME), new Word("atime", true, MS_NOATIME),
            new Word("nodiratime", false, MS_NODIRATIME), new Word("diratime", true, MS_NODIRATIME),
            new Word("relatime", false, MS_RELATIME), new Word("norelatime", true, MS_RELATIME),
            new Word("strictatime", false, MS_STRICTATIME), new Word("nostrictatime", true, MS_STRICTATIME),
            new Word("lazytime", false, MS_LAZYTIME), new Word("nolazytime", true, MS_LAZYTIME),
            new Word("nosymfollow", false, MS_NOSYMFOLLOW), new Word("symfollow", true, MS_NOSYMFOLLOW),
            new Word("iversion", false, MS_I_VERSION), new Word("noiversion", true, MS_I_VERSION),
            new Word("silent", false, MS_SILENT), new Word("loud", true, MS_SILENT));

    private static final List<Word> PROPAGATION_WORDS = List.of(
            new Word("private", false, MS_PRIVATE), new Word("rprivate", false, MS_PRIVATE | MS_REC),
            new Word("shared", false, MS_SHARED), new Word("rshared", false, MS_SHARED | MS_REC),
            new Word("slave", false, MS_SLAVE), new Word("rslave", false, MS_SLAVE | MS_REC),
            new Word("unbindable", false, MS_UNBINDABLE), new Word("runbindable", false, MS_UNBINDABLE | MS_REC));

    /** Recursive attributes: {@code clear} = clear the attribute, else set it. */
    private static final List<Word> RECURSIVE_WORDS = List.of(
            new Word("rro", false, MOUNT_ATTR_RDONLY), new Word("rrw", true, MOUNT_ATTR_RDONLY),
            new Word("rnosuid", false, MOUNT_ATTR_NOSUID), new Word("rsuid", true, MOUNT_ATTR_NOSUID),
            new Word("rnodev", false, MOUNT_ATTR_NODEV), new Word("rdev", true, MOUNT_ATTR_NODEV),
            new Word("rnoexec", false, MOUNT_ATTR_NOEXEC), new Word("rexec", true, MOUNT_ATTR_NOEXEC),
            new Word("rnodiratime", false, MOUNT_ATTR_NODIRATIME), new Word("rdiratime", true, MOUNT_ATTR_NODIRATIME),
            new Word("rnosymfollow", false, MOUNT_ATTR_NOSYMFOLLOW), new Word("rsymfollow", true, MOUNT_ATTR_NOSYMFOLLOW));

    /** Every word with a meaning for jruntime (the rest goes to the filesystem as data). */
    public static final Set<String> KNOWN_WORDS = knownWords();

    private static Set<String> knownWords() {
        List<String> all = new ArrayList<>();
        for (Word w : FLAG_WORDS) all.add(w.name());
        for (Word w : PROPAGATION_WORDS) all.add(w.name());
        for (Word w : RECURSIVE_WORDS) all.add(w.name());
        all.addAll(List.of("rnoatime", "ratime", "rrelatime", "rnorelatime", "rstrictatime", "rnostrictatime",
                "bind", "rbind", "idmap", "ridmap", "tmpcopyup"));
        return Set.copyOf(all);
    }

    private static Word find(List<Word> words, String name) {
        for (Word w : words) {
            if (w.name().equals(name)) return w;
        }
        return null;
    }

    /** Parses the option words of one mount; null means no options. */
    public static Parsed parse(List<String> options) {
        long flags = 0, clear = 0, attrSet = 0, attrClr = 0;
        boolean bind = false, rbind = false, idmap = false, ridmap = false, tmpcopyup = false;
        List<Long> propagation = new ArrayList<>();
        StringBuilder data = new StringBuilder();
        if (options != null) {
            for (String o : options) {
                Word w;
                if ((w = find(FLAG_WORDS, o)) != null) {
                    if (w.clear()) {
                        flags &= ~w.flag();
                        clear |= w.flag();
                    } else {
                        flags |= w.flag();
                        clear &= ~w.flag();
                    }
                } else if ((w = find(PROPAGATION_WORDS, o)) != null) {
                    propagation.add(w.flag());
                } else if ((w = find(RECURSIVE_WORDS, o)) != null) {
                    if (w.clear()) {
                        attrClr |= w.flag();
                        attrSet &= ~w.flag();
                    } else {
                        attrSet |= w.flag();
                        attrClr &= ~w.flag();
                    }
                } else if (atimeAttr(o) >= 0) {
                    // The atime mode is one field: the kernel wants the whole mask cleared and
                    // one mode set. "ratime"/"rnostrictatime" mean the kernel default (relatime),
                    // "rnorelatime" means strictatime.
                    attrClr |= MOUNT_ATTR__ATIME;
                    attrSet = (attrSet & ~MOUNT_ATTR__ATIME) | atimeAttr(o);
                } else {
                    switch (o) {
                        case "bind" -> bind = true;
                        case "rbind" -> { bind = true; rbind = true; }
                        case "idmap" -> idmap = true;
                        case "ridmap" -> { idmap = true; ridmap = true; }
                        case "tmpcopyup" -> tmpcopyup = true;
                        default -> {
                            if (!data.isEmpty()) data.append(',');
                            data.append(o);
                        }
                    }
                }
            }
        }
        if (bind) flags |= MS_BIND;
        if (rbind) flags |= MS_REC;
        return new Parsed(flags, clear, List.copyOf(propagation), attrSet, attrClr, bind, rbind, idmap, ridmap,
                tmpcopyup, data.toString());
    }

    private static long atimeAttr(String word) {
        return switch (word) {
            case "rnoatime" -> MOUNT_ATTR_NOATIME;
            case "rstrictatime", "rnorelatime" -> MOUNT_ATTR_STRICTATIME;
            case "rrelatime", "ratime", "rnostrictatime" -> MOUNT_ATTR_RELATIME;
            default -> -1;
        };
    }

    /** The propagation flags of a {@code linux.rootfsPropagation} value, or 0 if unknown. */
    public static long propagationFlags(String word) {
        Word w = find(PROPAGATION_WORDS, word);
        return w == null ? 0 : w.flag();
    }
}

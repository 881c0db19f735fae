package dev.jruntime.plan;

/**
 * A compiled seccomp filter ready for the SECCOMP op.
 *
 * @param program     struct sock_filter[] bytes
 * @param flags       SECCOMP_FILTER_FLAG_* bits
 * @param listenerFd  the fd of the connected listener socket, or -1
 * @param message     what is sent along with the notify fd (the container process state)
 */
public record SeccompProgram(byte[] program, long flags, long listenerFd, String message) {
    void addTo(Plan p) {
        p.add(Opcode.SECCOMP, "/linux/seccomp", program, flags, listenerFd, message);
    }
}

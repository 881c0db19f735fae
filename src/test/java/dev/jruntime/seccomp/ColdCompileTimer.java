package dev.jruntime.seccomp;

import dev.jruntime.spec.LinuxSpec;

/**
 * Run in a fresh JVM by {@link ProfileFixturesTest}: reads a fixture (not timed: parsing
 * config.json is the caller's cost), then times the first, cold {@code compile} call, then a
 * warm one. Prints {@code cold=<ns> warm=<ns> insns=<n>}.
 */
public final class ColdCompileTimer {
    public static void main(String[] args) {
        LinuxSpec.Seccomp s = Fixtures.load(args[0]);
        long t0 = System.nanoTime();
        CompiledFilter f = SeccompCompiler.compile(s, Arch.X86_64);
        long t1 = System.nanoTime();
        SeccompCompiler.compile(s, Arch.X86_64);
        long t2 = System.nanoTime();
        System.out.println("cold=" + (t1 - t0) + " warm=" + (t2 - t1) + " insns=" + f.instructionCount());
    }
}

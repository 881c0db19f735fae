package dev.jruntime.cli;
final class Features { static void write(java.io.PrintStream out) {} }

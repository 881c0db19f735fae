package dev.jruntime.cli;

/** Entry point of the jruntime CLI (verbs are added as they land). */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(0);
    }
}

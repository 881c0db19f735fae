package dev.jruntime.spec;

import java.util.List;

/**
 * A config.json that passed every check.
 *
 * @param spec     the mapped config
 * @param raw      the file's bytes as read (hooks get them unchanged; state keeps a copy)
 * @param warnings documented warnings ({@code /pointer: what}) for fields jruntime accepts but
 *                 does not apply on this host; the CLI prints them, never drops them
 */
public record LoadedConfig(Spec spec, byte[] raw, List<String> warnings) {}

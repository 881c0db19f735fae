package dev.jruntime.spec;

import java.util.List;

/** {@code process}: what runs in the container, and with which attributes. */
public record ProcessSpec(
        Boolean terminal,
        ConsoleSize consoleSize,
        String cwd,
        List<String> env,
        List<String> args,
        String commandLine,
        List<Rlimit> rlimits,
        String apparmorProfile,
        Capabilities capabilities,
        Boolean noNewPrivileges,
        Integer oomScoreAdj,
        Scheduler scheduler,
        String selinuxLabel,
        IoPriority ioPriority,
        CpuAffinity execCPUAffinity,
        User user) {

    public record ConsoleSize(Long height, Long width) {}

    /** This process with another console size. */
    public ProcessSpec withConsoleSize(ConsoleSize size) {
        return new ProcessSpec(terminal, size, cwd, env, args, commandLine, rlimits, apparmorProfile, capabilities,
                noNewPrivileges, oomScoreAdj, scheduler, selinuxLabel, ioPriority, execCPUAffinity, user);
    }

    public record Rlimit(String type, Long soft, Long hard) {}

    public record Capabilities(
            List<String> bounding,
            List<String> effective,
            List<String> inheritable,
            List<String> permitted,
            List<String> ambient) {}

    public record Scheduler(
            String policy,
            Integer nice,
            Integer priority,
            List<String> flags,
            Long runtime,
            Long deadline,
            Long period) {}

    public record IoPriority(@com.fasterxml.jackson.annotation.JsonProperty("class") String ioClass, Integer priority) {}

    public record CpuAffinity(String initial, @com.fasterxml.jackson.annotation.JsonProperty("final") String last) {}

    public record User(Long uid, Long gid, Long umask, List<Long> additionalGids, String username) {}
}

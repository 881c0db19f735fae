package dev.jruntime.cli;

/** The --help text. */
final class Usage {
    private Usage() {}

    static final String TEXT = """
            jruntime - an OCI container runtime (runtime-spec 1.3), a drop-in replacement for runc

            Usage: jruntime [global options] <command> [command options] [arguments]

            Global options (before the command):
              --root DIR             state directory (default /run/jruntime)
              --log FILE             also append messages to FILE
              --log-format text|json format of the --log lines (default text)
              --debug                debug messages
              --systemd-cgroup       use the systemd cgroup driver (not supported yet: error)
              --version, -v          print the version
              --help, -h             this text

            Commands:
              create [--bundle DIR] [--pid-file F] [--console-socket S] [--no-pivot]
                     [--no-new-keyring] [--preserve-fds N] [--init] <id>
                                     create a container, its process waiting to be started
              start <id>             run the created container's process
              run [--bundle DIR] [--detach] [--pid-file F] [--console-socket S] [--init] <id>
                                     create + start (and wait, unless --detach)
              state <id>             print the container's OCI state as JSON
              kill [--all] <id> [SIGNAL]
                                     send a signal (name or number, default TERM)
              delete [--force] <id>  remove a stopped container (--force: kill it first)
              exec [options] <id> [command args...]
                                     run a process in a running container
              pause <id> / resume <id>
                                     freeze / thaw every process of the container
              ps [--format table|json] <id>
                                     the container's processes (json: host pids)
              update [--resources FILE|-] [--memory N] [--cpu-quota N] [--cpuset-cpus L]
                     [--pids-limit N] ... <id>
                                     change a running container's resources
              events [--stats] [--interval 5s] <id>
                                     resource usage (and OOM) events as JSON
              list [--format table|json] [--quiet]
                                     list containers
              spec [--bundle DIR]    write a default config.json
              features               print the runtime's features as JSON
            """;
}

package io.tocsin.collector.process;

/**
 * One process of the process list: an entry of masakari's {@code process_list.yaml} (seed 003) plus Tocsin's
 * {@code shell}. A command that the file leaves empty is the empty string and is not run.
 *
 * @param processName        what the process's command line contains when it runs ("as it is in 'ps -ef'")
 * @param startCommand       starts the process at the monitor's start when it is not running
 * @param preStartCommand    run before {@code startCommand}; when it fails the start is skipped
 * @param postStartCommand   run after {@code startCommand}
 * @param restartCommand     restarts the process when a check finds it down
 * @param preRestartCommand  run before {@code restartCommand}; when it fails the attempt fails
 * @param postRestartCommand run after {@code restartCommand}; when it fails the attempt fails
 * @param runAsRoot          run the commands as root ({@code sudo -n} when the collector is not root)
 * @param shell              run the commands with {@code /bin/sh -c} instead of splitting them into arguments
 */
public record ProcessEntry(String processName, String startCommand, String preStartCommand, String postStartCommand,
                           String restartCommand, String preRestartCommand, String postRestartCommand,
                           boolean runAsRoot, boolean shell) {

    /** The YAML key of each field, as masakari names it; messages and logs use these names. */
    static final String PROCESS_NAME = "process_name";
    static final String START = "start_command";
    static final String PRE_START = "pre_start_command";
    static final String POST_START = "post_start_command";
    static final String RESTART = "restart_command";
    static final String PRE_RESTART = "pre_restart_command";
    static final String POST_RESTART = "post_restart_command";
    static final String RUN_AS_ROOT = "run_as_root";
    static final String SHELL = "shell";

    /** One command of the entry with the name of its key, for running and for messages. */
    record Step(String key, String command) {

        boolean present() {
            return !command.isEmpty();
        }
    }

    Step preStart() {
        return new Step(PRE_START, preStartCommand);
    }

    Step start() {
        return new Step(START, startCommand);
    }

    Step postStart() {
        return new Step(POST_START, postStartCommand);
    }

    Step preRestart() {
        return new Step(PRE_RESTART, preRestartCommand);
    }

    Step restart() {
        return new Step(RESTART, restartCommand);
    }

    Step postRestart() {
        return new Step(POST_RESTART, postRestartCommand);
    }
}

package io.github.flowupgrade.commands;

import java.time.Duration;
import java.util.List;

/**
 * Puts a time limit on a command with coreutils {@code timeout}. Closing an SSH channel does not stop the remote
 * process, so the limit is enforced on the host: {@code timeout} makes itself a process group leader and signals the
 * whole group, so children of the command stop too; whatever ignores TERM is killed {@value #KILL_AFTER_SECONDS}
 * seconds later. It exits 124 when the limit passed (137 when it had to kill).
 */
public final class TimeLimit {
    public static final int KILL_AFTER_SECONDS = 5;
    public static final int EXIT_TIMED_OUT = 124;
    public static final int EXIT_KILLED = 137;

    private TimeLimit() {}

    public static Command wrap(Command command, Duration limit) {
        long seconds = Math.max(1, (limit.toMillis() + 999) / 1000);
        String timeout = Shell.join(
                List.of("timeout", "-s", "TERM", "-k", Integer.toString(KILL_AFTER_SECONDS), Long.toString(seconds)));
        if (Shell.isArgv(command.line()) && Shell.isArgv(command.redacted())) {
            // A plain argv command is exec'd by timeout itself: one shell process less per command.
            return new Command(timeout + " " + command.line(), timeout + " " + command.redacted());
        }
        String prefix = timeout + " sh -c ";
        return new Command(prefix + Shell.quote(command.line()), prefix + Shell.quote(command.redacted()));
    }

    /** Whether an exit status after {@code elapsed} means the limit stopped the command. */
    public static boolean stopped(int exitCode, Duration elapsed, Duration limit) {
        return (exitCode == EXIT_TIMED_OUT || exitCode == EXIT_KILLED) && elapsed.compareTo(limit) >= 0;
    }
}

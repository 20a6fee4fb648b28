package io.github.flowupgrade.commands;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Puts a time limit on a command with coreutils {@code timeout}. Closing an SSH channel does not stop the remote
 * process, so the limit is enforced on the host: {@code timeout} makes itself a process group leader and signals the
 * whole group, so children of the command stop too; whatever ignores TERM is killed {@value #KILL_AFTER_SECONDS}
 * seconds later. It exits 124 when the limit passed (137 when it had to kill).
 *
 * <p>A limited command also carries a marker in its {@code timeout}'s arguments ({@code env FLOW_RUN=flow-...}), so a
 * run that is stopped before the limit (an aborted build, Ctrl-C) can find and stop it on the host ({@link #stop}).
 */
public final class TimeLimit {
    public static final int KILL_AFTER_SECONDS = 5;
    public static final int EXIT_TIMED_OUT = 124;
    public static final int EXIT_KILLED = 137;

    private static final SecureRandom RANDOM = new SecureRandom();

    private TimeLimit() {}

    /** A new marker: {@code flow-} and 16 hex digits. */
    public static String newMarker() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return "flow-" + HexFormat.of().formatHex(bytes);
    }

    /** {@code command} under {@code limit}, without a marker (a command nobody will need to stop early). */
    public static Command wrap(Command command, Duration limit) {
        return wrap(command, limit, null);
    }

    /**
     * {@code command} under {@code limit}, marked with {@code marker} (null for none). A plain argv command is exec'd
     * by {@code timeout} (through {@code env}) itself: no shell process.
     */
    public static Command wrap(Command command, Duration limit, String marker) {
        long seconds = Math.max(1, (limit.toMillis() + 999) / 1000);
        List<String> words = new ArrayList<>(
                List.of("timeout", "-s", "TERM", "-k", Integer.toString(KILL_AFTER_SECONDS), Long.toString(seconds)));
        String timeout = Shell.join(words);
        if (marker != null) {
            // A checked marker needs no quoting; as a quoted word it would clutter every message and record.
            timeout += " env FLOW_RUN=" + checkMarker(marker);
        }
        if (Shell.isArgv(command.line()) && Shell.isArgv(command.redacted())) {
            return new Command(timeout + " " + command.line(), timeout + " " + command.redacted());
        }
        String prefix = timeout + " sh -c ";
        return new Command(prefix + Shell.quote(command.line()), prefix + Shell.quote(command.redacted()));
    }

    /**
     * Stops every process on the host whose command line carries {@code marker}: the {@code timeout} signals its whole
     * group with TERM (and KILL after {@value #KILL_AFTER_SECONDS} s). Succeeds also when nothing was left to stop.
     * The pattern brackets one character so it never matches the shell that runs it.
     */
    public static Command stop(String marker) {
        String m = checkMarker(marker);
        String pattern = "FLOW_RUN=" + m.substring(0, 5) + "[" + m.charAt(5) + "]" + m.substring(6);
        // pkill exits 1 when no process matched: the command had finished already.
        String line = Shell.join(List.of("pkill", "-TERM", "-f", pattern)) + " || [ \"$?\" -eq 1 ]";
        return new Command(line, line);
    }

    /** Whether an exit status after {@code elapsed} means the limit stopped the command. */
    public static boolean stopped(int exitCode, Duration elapsed, Duration limit) {
        return (exitCode == EXIT_TIMED_OUT || exitCode == EXIT_KILLED) && elapsed.compareTo(limit) >= 0;
    }

    private static String checkMarker(String marker) {
        if (!marker.matches("flow-[0-9a-f]{16}")) {
            throw new IllegalArgumentException("not a marker: " + marker);
        }
        return marker;
    }
}

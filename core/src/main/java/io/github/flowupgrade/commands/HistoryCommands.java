package io.github.flowupgrade.commands;

/**
 * The history of completed checkouts on a host: one line per checkout appended to a file in the state directory, read
 * back for rollback.
 *
 * @param stateDir the tool's state directory on the host, such as {@code /home/mastodon/.flow-upgrade}
 */
public record HistoryCommands(String stateDir) {
    public HistoryCommands {
        Inputs.dir(stateDir);
    }

    public String historyFile() {
        return stateDir + "/history";
    }

    /** Appends one line (a newline inside it is refused: a line is one record). */
    public Command append(String line) {
        if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a history record is one line");
        }
        return Command.of("mkdir", "-p", "-m", "700", stateDir)
                .and(Command.of("printf", "%s\\n", line).appendTo(historyFile()));
    }

    /** Prints the last {@code count} records, nothing when there is no history yet. */
    public Command last(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be positive");
        }
        return Command.of("test", "!", "-f", historyFile())
                .or(Command.of("tail", "-n", Integer.toString(count), historyFile()));
    }
}

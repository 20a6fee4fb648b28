package io.github.flowupgrade;

/**
 * An error a user sees: it names what failed and where, says what to do next, and carries the exit code that {@code
 * flow --help} documents. The plugin turns the same errors into failed steps with the same messages.
 */
public class FlowException extends RuntimeException {
    private final ExitCode exitCode;

    public FlowException(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public FlowException(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public ExitCode exitCode() {
        return exitCode;
    }

    /** Bad usage or input, found before anything ran on a host. */
    public static FlowException badInput(String message) {
        return new FlowException(ExitCode.BAD_INPUT, message);
    }

    /** A safety check refused to go on (dirty tree, held lock, unknown host key, downgrade...). */
    public static FlowException refused(String message) {
        return new FlowException(ExitCode.REFUSED, message);
    }

    /** A command on a host exited non-zero or timed out. */
    public static FlowException remoteFailed(String message) {
        return new FlowException(ExitCode.REMOTE_COMMAND_FAILED, message);
    }

    /** The host or a network service could not be reached. */
    public static FlowException network(String message, Throwable cause) {
        return new FlowException(ExitCode.NETWORK, message, cause);
    }

    /** The first line of an error message (null stays null): what a one-line summary of a step shows. */
    public static String firstLine(String message) {
        int nl = message == null ? -1 : message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}

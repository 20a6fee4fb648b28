package io.github.flowupgrade.remote;

/**
 * How a remote command ended.
 *
 * @param exitCode the command's exit status; -1 when it was killed by the timeout or the connection dropped
 * @param stdout standard output, kept only up to a bounded size (enough for git and systemctl answers); the whole
 *     output went to the sink
 * @param stderrTail the last lines of standard error, bounded, for error messages
 * @param outputBytes bytes received on both streams
 * @param outputSha256 hex SHA-256 of all bytes received (stdout then stderr as they arrived), for the audit trail
 * @param durationMs wall time from sending the command to its exit status
 * @param timedOut whether the per-command timeout stopped it
 */
public record ExecResult(
        int exitCode,
        String stdout,
        String stderrTail,
        long outputBytes,
        String outputSha256,
        long durationMs,
        boolean timedOut) {

    public boolean succeeded() {
        return exitCode == 0 && !timedOut;
    }
}

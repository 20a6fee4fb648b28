package io.github.flowupgrade.remote;

import io.github.flowupgrade.commands.Command;
import java.time.Duration;

/**
 * Runs command values on one host. The SSH transport keeps one connection per host per run and opens one channel per
 * command; a dry-run transport prints the same values and runs nothing.
 */
public interface Transport extends AutoCloseable {
    /** The host as the user named it, for messages and the audit trail. */
    String host();

    /** Whether commands really run (false for a dry run, whose results are invented successes). */
    boolean executes();

    /**
     * Runs {@code command} with {@code /bin/sh -c} as the login user and streams its output to {@code sink}. The
     * command carries its own time limit on the host ({@code TimeLimit}); {@code timeout} is how long the transport
     * waits before it gives the command up locally.
     *
     * @throws io.github.flowupgrade.FlowException with {@code NETWORK} when the connection fails
     */
    ExecResult run(Command command, OutputSink sink, Duration timeout);

    @Override
    void close();
}

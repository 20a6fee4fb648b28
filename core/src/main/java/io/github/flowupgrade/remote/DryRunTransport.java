package io.github.flowupgrade.remote;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.commands.Command;
import java.time.Duration;

/**
 * Prints every command it is given (in its redacted form) and runs none: each "succeeds" at once with no output, so an
 * operation walks through all its steps and the user sees exactly what a real run would send to the host.
 */
public final class DryRunTransport implements Transport {
    /** SHA-256 of no bytes. */
    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private final String host;
    private final Console console;

    public DryRunTransport(String host, Console console) {
        this.host = host;
        this.console = console;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public boolean executes() {
        return false;
    }

    @Override
    public ExecResult run(Command command, OutputSink sink, Duration timeout) {
        console.info("[" + host + "] would run: " + command.redacted());
        return new ExecResult(0, "", "", 0, EMPTY_SHA256, 0, false);
    }

    @Override
    public void close() {}
}

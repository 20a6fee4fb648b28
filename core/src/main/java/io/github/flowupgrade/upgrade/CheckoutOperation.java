package io.github.flowupgrade.upgrade;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.audit.AuditLog;
import io.github.flowupgrade.commands.RunAs;
import io.github.flowupgrade.remote.HostShell;
import io.github.flowupgrade.remote.OutputSink;
import io.github.flowupgrade.remote.Transport;
import io.github.flowupgrade.remote.TransportFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code flow checkout} and the {@code flowCheckout} step: a {@link Checkout} on each host, a bounded number at a
 * time, every host's outcome reported.
 */
public final class CheckoutOperation {
    private static final Logger LOG = LoggerFactory.getLogger(CheckoutOperation.class);

    private final TransportFactory transports;
    private final String login;
    private final RunAs runAs;
    private final Duration commandTimeout;
    private final AuditLog audit;
    private final Console console;
    private final Clock clock;

    public CheckoutOperation(
            TransportFactory transports,
            String login,
            RunAs runAs,
            Duration commandTimeout,
            AuditLog audit,
            Console console,
            Clock clock) {
        this.transports = transports;
        this.login = login;
        this.runAs = runAs;
        this.commandTimeout = commandTimeout;
        this.audit = audit;
        this.console = console;
        this.clock = clock;
    }

    public List<CheckoutResult> run(List<String> hosts, CheckoutRequest request, int parallel) {
        return HostFanOut.run(hosts, parallel, host -> runOn(host, request));
    }

    private CheckoutResult runOn(String host, CheckoutRequest request) {
        long started = System.nanoTime();
        Transport transport;
        try {
            transport = transports.open(host);
        } catch (FlowException e) {
            console.warn("[" + host + "] " + e.getMessage());
            String status = e.exitCode() == io.github.flowupgrade.ExitCode.REFUSED ? "refused" : "unreachable";
            return new CheckoutResult(
                    host,
                    null,
                    null,
                    null,
                    (System.nanoTime() - started) / 1_000_000,
                    status,
                    e.getMessage(),
                    e.exitCode().code());
        }
        try (transport) {
            OutputSink sink = (stream, line) -> {
                if (stream == OutputSink.Stream.STDERR) {
                    LOG.debug("[{}] {}", host, line);
                }
            };
            HostShell shell = new HostShell(transport, login, runAs, commandTimeout, audit, sink);
            return new Checkout(shell, request, audit, console, clock).run();
        }
    }

    /** The exit code of a run: 0 when every host succeeded, else the code of the first host that did not. */
    public static int exitCode(List<CheckoutResult> results) {
        return results.stream()
                .filter(r -> !r.succeeded())
                .findFirst()
                .map(CheckoutResult::exitCode)
                .orElse(0);
    }
}

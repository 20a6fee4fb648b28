package io.github.flowupgrade.upgrade.checkout;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.ExitCode;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.audit.AuditLog;
import io.github.flowupgrade.commands.RunAs;
import io.github.flowupgrade.host.HostAccess;
import io.github.flowupgrade.host.HostFanOut;
import io.github.flowupgrade.host.HostShell;
import io.github.flowupgrade.remote.Transport;
import io.github.flowupgrade.remote.TransportFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * {@code flow checkout} and the {@code flowCheckout} step: a {@link Checkout} on each host, a bounded number at a
 * time, every host's outcome reported.
 */
public final class CheckoutOperation {
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
            String status = e.exitCode() == ExitCode.REFUSED ? "refused" : "unreachable";
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
            HostShell shell = new HostShell(
                    new HostAccess(transport, login, runAs, request.dir()), commandTimeout, audit, console);
            return new Checkout(shell, request, clock).run();
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

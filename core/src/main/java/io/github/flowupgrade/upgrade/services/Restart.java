package io.github.flowupgrade.upgrade.services;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.audit.AuditLog;
import io.github.flowupgrade.host.HostAccess;
import io.github.flowupgrade.host.HostShell;
import io.github.flowupgrade.upgrade.approval.ApprovalGate;
import java.util.ArrayList;
import java.util.List;

/** The restarts of one host: the requested services in order, then the gated streaming restart. */
public final class Restart {
    private Restart() {}

    public static RestartResult run(
            HostAccess access, RestartRequest request, ApprovalGate gate, AuditLog audit, Console console) {
        long started = System.nanoTime();
        HostShell shell = new HostShell(access, request.timeouts().command(), audit, console);
        ServiceRestarts restarts =
                new ServiceRestarts(shell, request.profile(), request.timeouts(), request.webAction());
        List<ServiceOutcome> services = new ArrayList<>();
        for (String role : request.roles()) {
            services.addAll(restarts.apply(role));
        }
        restarts.verifySettled();
        StreamingDecision decision = StreamingDecision.decide(
                request.streaming(),
                request.planSays(),
                request.planReleases(),
                request.checkoutSays(),
                request.checkoutPaths());
        StreamingOutcome streaming = restarts.streaming(decision, request.planReleases(), gate);
        services.addAll(streaming.services());
        String status = !shell.executes() ? "planned" : streaming.pending() ? StreamingOutcome.PENDING : "done";
        return new RestartResult(access.host(), services, streaming, (System.nanoTime() - started) / 1_000_000, status);
    }
}

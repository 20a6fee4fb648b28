package io.github.flowupgrade.upgrade.services;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.audit.AuditLog;
import io.github.flowupgrade.host.HostAccess;
import io.github.flowupgrade.host.HostLock;
import io.github.flowupgrade.host.HostShell;
import io.github.flowupgrade.upgrade.approval.ApprovalGate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The restarts of one host: the requested services in order, then the gated streaming restart. On its own ({@code flow
 * restart}, {@code flowRestartServices}) it holds the host's lock while it works, as checkout, upgrade and the tasks
 * do, so a restart started by hand cannot run in the middle of another run's upgrade.
 */
public final class Restart {
    private Restart() {}

    /** How a restart treats the host's lock ({@link HostLock#stateDir}: one per host). */
    public sealed interface Locking {
        /**
         * Takes the lock before the first restart and releases it after the last, on every path; a lock held by
         * another run is refused with its holder, unless {@code forceUnlock} removes one a dead run left.
         */
        record Own(String actor, String build, boolean forceUnlock, Clock clock) implements Locking {}

        /** Inside a run that holds the host's lock already (an upgrade): no lock commands of its own. */
        record Held() implements Locking {}
    }

    public static RestartResult run(
            HostAccess access,
            RestartRequest request,
            Locking locking,
            ApprovalGate gate,
            AuditLog audit,
            Console console) {
        long started = System.nanoTime();
        HostShell shell = new HostShell(access, request.timeouts().command(), audit, console);
        HostLock lock = null;
        if (locking instanceof Locking.Own own) {
            String holder = HostLock.holderLine(
                    own.actor(), own.build(), "restart", own.clock().instant());
            lock = HostLock.acquire(shell, HostLock.stateDir(access.appDir()), holder, own.forceUnlock());
        }
        RestartResult result;
        try {
            result = restart(shell, request, gate, started);
        } catch (FlowException e) {
            throw lock == null ? e : lock.releaseAfter(e);
        } catch (RuntimeException bug) {
            // Not an outcome the run knows how to report; still, never leave the host locked.
            if (lock != null) {
                try {
                    lock.close();
                } catch (FlowException e) {
                    bug.addSuppressed(e);
                }
            }
            throw bug;
        }
        if (lock != null) {
            lock.close();
        }
        return result;
    }

    private static RestartResult restart(HostShell shell, RestartRequest request, ApprovalGate gate, long started) {
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
        return new RestartResult(shell.host(), services, streaming, (System.nanoTime() - started) / 1_000_000, status);
    }
}

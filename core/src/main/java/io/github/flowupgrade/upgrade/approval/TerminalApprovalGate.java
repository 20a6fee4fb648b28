package io.github.flowupgrade.upgrade.approval;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks on a terminal. The approver types the host name back (as GitHub asks for a repository's name before deleting
 * it), so a reflexive "y" cannot restart the wrong host's streaming server. Anything else denies; no answer within
 * the timeout is a timeout.
 */
public final class TerminalApprovalGate implements ApprovalGate {
    private final BufferedReader in;
    private final PrintWriter out;
    private final String approver;
    private final Duration timeout;
    private final Clock clock;

    /** @param approver who sits at the terminal (recorded as the approver) */
    public TerminalApprovalGate(BufferedReader in, PrintWriter out, String approver, Duration timeout, Clock clock) {
        this.in = in;
        this.out = out;
        this.approver = approver;
        this.timeout = timeout;
        this.clock = clock;
    }

    @Override
    public Answer ask(ApprovalRequest request) {
        out.println();
        out.println("Approval needed on " + request.host() + ": " + request.action());
        out.println("  why: " + request.reason());
        if (!request.releases().isEmpty()) {
            out.println("  releases: " + String.join(", ", request.releases()));
        }
        if (request.action().contains("streaming")) {
            out.println("  This disconnects every streaming client of " + request.host() + ".");
        }
        out.print("  Type the host name (" + request.host() + ") to approve, anything else to deny: ");
        out.flush();
        ExecutorService reader = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "approval-prompt");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<String> line = reader.submit(in::readLine);
            String answer = line.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (answer == null) {
                out.println();
                return new Pending();
            }
            if (answer.strip().equals(request.host())) {
                return new Approved(approver, clock.instant());
            }
            return new Denied(approver, clock.instant());
        } catch (TimeoutException e) {
            out.println();
            out.println("  no answer within " + timeout.toSeconds() + " s");
            return new TimedOut(clock.instant());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new TimedOut(clock.instant());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException) {
                return new Pending();
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            reader.shutdownNow();
        }
    }
}

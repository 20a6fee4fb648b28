package io.github.flowupgrade.upgrade.services;

import io.github.flowupgrade.app.AppProfile;
import io.github.flowupgrade.audit.AuditEvents;
import io.github.flowupgrade.host.HostShell;
import io.github.flowupgrade.upgrade.approval.ApprovalGate;
import io.github.flowupgrade.upgrade.approval.ApprovalGate.Answer;
import io.github.flowupgrade.upgrade.approval.ApprovalGate.Approved;
import io.github.flowupgrade.upgrade.approval.ApprovalGate.Denied;
import io.github.flowupgrade.upgrade.approval.ApprovalGate.Pending;
import io.github.flowupgrade.upgrade.approval.ApprovalGate.TimedOut;
import io.github.flowupgrade.upgrade.approval.ApprovalRequest;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The admin guide's restarts for one host, from the application profile: {@code systemctl restart <app>-sidekiq},
 * {@code systemctl reload <app>-web} (zero-downtime), and, only when needed and approved, {@code systemctl restart
 * <app>-streaming}.
 */
public final class ServiceRestarts {
    public static final String SIDEKIQ = "sidekiq";
    public static final String WEB = "web";
    public static final String STREAMING = "streaming";

    private final HostShell shell;
    private final AppProfile profile;
    private final ServiceRestarter restarter;
    private final ServiceAction webAction;
    /** The first web unit's reload, sent along with sidekiq's restart and not judged yet; or null. */
    private ServiceRestarter.Along webAlong;

    public ServiceRestarts(HostShell shell, AppProfile profile, RestartTimeouts timeouts) {
        this(shell, profile, timeouts, ServiceAction.RELOAD);
    }

    /** @param webAction {@code RELOAD} (a phased restart, the default) or {@code RESTART} for a web without one */
    public ServiceRestarts(HostShell shell, AppProfile profile, RestartTimeouts timeouts, ServiceAction webAction) {
        this.shell = shell;
        this.profile = profile;
        this.restarter = new ServiceRestarter(shell, timeouts, profile.health().expectedBody());
        this.webAction = webAction;
    }

    /** Restarts every sidekiq unit; each must come back on a new PID and stay up. */
    public List<ServiceOutcome> restartSidekiq() {
        List<ServiceOutcome> outcomes = new ArrayList<>();
        for (String unit : profile.services().sidekiq()) {
            outcomes.add(restarter.apply(SIDEKIQ, unit, ServiceAction.RESTART, null));
        }
        return outcomes;
    }

    /**
     * {@link #restartSidekiq()}, with the first web unit's reload sent in the last sidekiq unit's round trip, behind
     * a check on the host that sidekiq is active again ({@link ServiceRestarter#applyWithNext}): the guide's two
     * restarts in one round trip. {@link #reloadWeb(ServiceRestarter.Trailing)}, called next with the same {@code
     * webTrailing}, then judges what came back, or sends the reload itself when the host did not get to it.
     *
     * @param webTrailing the commands for the last web unit's round trip (sent along only when there is one web unit)
     */
    public List<ServiceOutcome> restartSidekiqWithWeb(ServiceRestarter.Trailing webTrailing) {
        List<String> sidekiq = profile.services().sidekiq();
        List<String> web = profile.services().web();
        if (sidekiq.isEmpty() || web.isEmpty() || !shell.executes()) {
            return restartSidekiq();
        }
        List<ServiceOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < sidekiq.size() - 1; i++) {
            outcomes.add(restarter.apply(SIDEKIQ, sidekiq.get(i), ServiceAction.RESTART, null));
        }
        ServiceRestarter.Along along = new ServiceRestarter.Along(new ServiceRestarter.Unit(
                WEB,
                web.get(0),
                webAction,
                profile.health().web(),
                web.size() == 1 ? webTrailing : ServiceRestarter.Trailing.NONE));
        outcomes.add(restarter.applyWithNext(
                new ServiceRestarter.Unit(
                        SIDEKIQ,
                        sidekiq.get(sidekiq.size() - 1),
                        ServiceAction.RESTART,
                        null,
                        ServiceRestarter.Trailing.NONE),
                along));
        webAlong = along.ran() ? along : null;
        return outcomes;
    }

    /**
     * Reloads every web unit (a phased restart that drops no request), or restarts it when so configured; each must
     * answer its health endpoint.
     */
    public List<ServiceOutcome> reloadWeb() {
        return reloadWeb(ServiceRestarter.Trailing.NONE);
    }

    /** {@link #reloadWeb()}, with {@code trailing} commands sent in the last web unit's round trip. */
    public List<ServiceOutcome> reloadWeb(ServiceRestarter.Trailing trailing) {
        List<ServiceOutcome> outcomes = new ArrayList<>();
        List<String> units = profile.services().web();
        ServiceRestarter.Along along = webAlong;
        webAlong = null;
        for (int i = 0; i < units.size(); i++) {
            boolean last = i == units.size() - 1;
            if (i == 0 && along != null) {
                // Sent in sidekiq's round trip (restartSidekiqWithWeb): only judged here.
                outcomes.add(restarter.judge(along));
                continue;
            }
            outcomes.add(restarter.apply(
                    WEB,
                    units.get(i),
                    webAction,
                    profile.health().web(),
                    last ? trailing : ServiceRestarter.Trailing.NONE));
        }
        // Sidekiq, restarted just before, must still run the process it came back on.
        restarter.verifySettled();
        return outcomes;
    }

    /**
     * Checks that the units restarted without a health endpoint stayed up (see {@link
     * ServiceRestarter#verifySettled}).
     */
    public void verifySettled() {
        restarter.verifySettled();
    }

    public List<ServiceOutcome> apply(String role) {
        return switch (role) {
            case SIDEKIQ -> restartSidekiq();
            case WEB -> reloadWeb();
            default -> throw new IllegalArgumentException("not a service role: " + role);
        };
    }

    /**
     * Restarts streaming only when {@code decision} says it is needed and {@code gate} approves; records the
     * decision and the approval in the audit trail either way.
     */
    public StreamingOutcome streaming(StreamingDecision decision, List<String> releases, ApprovalGate gate) {
        Map<String, Object> decided = new LinkedHashMap<>();
        decided.put("host", shell.host());
        decided.put("needed", decision.needed());
        decided.put("reason", decision.reason());
        decided.put("units", profile.services().streaming());
        shell.audit().record(AuditEvents.STREAMING_DECISION, decided);
        String host = shell.host();
        if (!decision.needed()) {
            shell.console().info("[" + host + "] streaming restart not needed: " + decision.reason());
            return new StreamingOutcome(
                    false, decision.reason(), false, null, null, false, StreamingOutcome.NOT_NEEDED, List.of());
        }
        shell.console().info("[" + host + "] streaming restart needed: " + decision.reason());
        ApprovalRequest request = new ApprovalRequest(
                host, "restart " + String.join(", ", profile.services().streaming()), decision.reason(), releases);
        Map<String, Object> asked = new LinkedHashMap<>();
        asked.put("host", host);
        asked.put("action", request.action());
        asked.put("reason", request.reason());
        asked.put("releases", request.releases());
        shell.audit().record(AuditEvents.APPROVAL_REQUESTED, asked);
        Answer answer = gate.ask(request);
        Map<String, Object> answered = new LinkedHashMap<>();
        answered.put("host", host);
        answered.put("action", request.action());
        if (answer instanceof Approved approved) {
            answered.put("by", approved.by());
            answered.put("when", approved.when().toString());
            approved.proof().forEach(answered::putIfAbsent);
            shell.audit().record(AuditEvents.APPROVAL_GRANTED, answered);
            shell.console().info("[" + host + "] streaming restart approved by " + approved.by());
            List<ServiceOutcome> outcomes = new ArrayList<>();
            for (String unit : profile.services().streaming()) {
                URI health = profile.health().streaming();
                outcomes.add(restarter.apply(STREAMING, unit, ServiceAction.RESTART, health));
            }
            boolean planned = !shell.executes();
            return new StreamingOutcome(
                    true,
                    decision.reason(),
                    true,
                    approved.by(),
                    approved.when(),
                    !planned,
                    planned ? StreamingOutcome.PLANNED : StreamingOutcome.RESTARTED,
                    outcomes);
        }
        if (answer instanceof Denied denied) {
            answered.put("by", denied.by());
            answered.put("when", denied.when().toString());
            shell.audit().record(AuditEvents.APPROVAL_DENIED, answered);
            shell.console().warn("[" + host + "] streaming restart denied by " + denied.by() + "; not restarted");
            return notRestarted(decision, StreamingOutcome.DENIED);
        }
        if (answer instanceof TimedOut timedOut) {
            answered.put("when", timedOut.when().toString());
            shell.audit().record(AuditEvents.APPROVAL_TIMEDOUT, answered);
            shell.console().warn("[" + host + "] no approval for the streaming restart in time; not restarted");
            return notRestarted(decision, StreamingOutcome.TIMED_OUT);
        }
        if (!(answer instanceof Pending)) {
            throw new IllegalStateException("unknown answer " + answer);
        }
        answered.put("status", StreamingOutcome.PENDING);
        shell.audit().record(AuditEvents.STREAMING_DECISION, answered);
        shell.console().warn("[" + host + "] streaming restart pending approval: not restarted");
        return notRestarted(decision, StreamingOutcome.PENDING);
    }

    private static StreamingOutcome notRestarted(StreamingDecision decision, String status) {
        return new StreamingOutcome(true, decision.reason(), false, null, null, false, status, List.of());
    }
}

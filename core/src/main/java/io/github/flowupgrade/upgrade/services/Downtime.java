package io.github.flowupgrade.upgrade.services;

import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.Option;
import io.github.flowupgrade.app.AppProfile;
import io.github.flowupgrade.audit.AuditEvents;
import io.github.flowupgrade.commands.SystemctlCommands;
import io.github.flowupgrade.host.HostShell;
import io.github.flowupgrade.host.HostShell.As;
import io.github.flowupgrade.remote.ExecResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The site taken down on one host and brought back, for a release whose notes say a rolling update from the running
 * version is not supported ("either completely stop Mastodon before updating it"): every web, streaming and sidekiq
 * unit stopped in one round trip, then, once the caller migrated, started again (sidekiq, web, streaming), each
 * checked as a restart is (active, a new main PID, its health endpoint). How long the site was down is measured from
 * the stop to the last unit back, and recorded ({@code downtime.started}, {@code downtime.ended}). The pieces are
 * separate so that a run over several hosts of one instance can stop them all before the one migration.
 */
public final class Downtime {
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(15);

    private final HostShell shell;
    private final AppProfile profile;
    private final ServiceRestarter restarter;
    private final RestartTimeouts timeouts;
    private final Clock clock;
    private String hop;
    private String reason;
    private String allowedBy;
    private Instant stoppedAt;
    private long stoppedNanos;

    public Downtime(HostShell shell, AppProfile profile, RestartTimeouts timeouts, Clock clock) {
        this.shell = shell;
        this.profile = profile;
        this.timeouts = timeouts;
        this.clock = clock;
        this.restarter = new ServiceRestarter(shell, timeouts, profile.health().expectedBody());
    }

    /** Web first (no new requests), then streaming, then sidekiq (its jobs may still need the old schema). */
    public List<String> units() {
        List<String> units = new ArrayList<>(profile.services().web());
        units.addAll(profile.services().streaming());
        units.addAll(profile.services().sidekiq());
        return units;
    }

    /**
     * Stops every unit and checks each is down. On a failure the units are started again (the site comes back on the
     * code it ran) before the error is thrown.
     *
     * @param hop the release deployed with the site down
     * @param reason why a rolling update is not possible (the notes' cut-off)
     * @param allowedBy who allowed it
     */
    public List<ServiceOutcome> stop(String hop, String reason, String allowedBy) {
        this.hop = hop;
        this.reason = reason;
        this.allowedBy = allowedBy;
        List<String> units = units();
        Map<String, Object> fields = fields();
        fields.put("units", units);
        fields.put("reason", reason);
        fields.put("allowedBy", allowedBy);
        fields.put("how", Option.ALLOW_DOWNTIME.neutral());
        shell.audit().record(AuditEvents.DOWNTIME_STARTED, fields);
        shell.console()
                .warn("[" + shell.host() + "] stopping " + String.join(", ", units) + " for " + hop
                        + ": the site is down" + " until they are back (" + reason + ")");
        List<HostShell.Step> steps = new ArrayList<>();
        for (String unit : units) {
            steps.add(HostShell.Step.of(As.ROOT, SystemctlCommands.stop(unit), timeouts.command()));
        }
        for (String unit : units) {
            steps.add(HostShell.Step.of(As.LOGIN, SystemctlCommands.state(unit), QUERY_TIMEOUT));
        }
        stoppedAt = clock.instant();
        stoppedNanos = System.nanoTime();
        List<ExecResult> results = shell.batch(steps);
        List<ServiceOutcome> outcomes = new ArrayList<>();
        if (!shell.executes()) {
            units.forEach(u ->
                    outcomes.add(new ServiceOutcome(u, role(u), ServiceAction.STOP, "planned", null, null, false, 0)));
            return outcomes;
        }
        String problem = null;
        for (int i = 0; i < units.size(); i++) {
            String unit = units.get(i);
            ExecResult stopped = results.get(i);
            ExecResult state = results.get(units.size() + i);
            ServiceRestarter.UnitState now =
                    state != null && state.succeeded() ? ServiceRestarter.UnitState.parse(state.stdout()) : null;
            boolean down = stopped.succeeded() && now != null && !now.active();
            outcomes.add(new ServiceOutcome(
                    unit, role(unit), ServiceAction.STOP, down ? "stopped" : "failed", null, null, false, 0));
            if (!down && problem == null) {
                problem = stopped.succeeded()
                        ? unit + " is still " + (now == null ? "in an unknown state" : now.activeState())
                        : shell.failure(
                                        "systemctl stop " + unit,
                                        shell.wrapped(As.ROOT, SystemctlCommands.stop(unit)),
                                        stopped)
                                .getMessage();
            }
        }
        if (problem != null) {
            String back;
            try {
                start();
                back = "every unit was started again on the code it runs; nothing was migrated";
            } catch (FlowException e) {
                back = "starting them again failed too: " + e.getMessage();
            }
            throw FlowException.remoteFailed(
                    "stopping the site on " + shell.host() + " for " + hop + " failed: " + problem + "\n" + back);
        }
        return outcomes;
    }

    /** Starts every unit (sidekiq, web, streaming) and checks each came back; the site is up once this returns. */
    public List<ServiceOutcome> start() {
        List<ServiceOutcome> outcomes = new ArrayList<>();
        for (String unit : profile.services().sidekiq()) {
            outcomes.add(restarter.apply(ServiceRestarts.SIDEKIQ, unit, ServiceAction.RESTART, null));
        }
        for (String unit : profile.services().web()) {
            outcomes.add(restarter.apply(
                    ServiceRestarts.WEB,
                    unit,
                    ServiceAction.RESTART,
                    profile.health().web()));
        }
        for (String unit : profile.services().streaming()) {
            outcomes.add(restarter.apply(
                    ServiceRestarts.STREAMING,
                    unit,
                    ServiceAction.RESTART,
                    profile.health().streaming()));
        }
        restarter.verifySettled();
        return outcomes;
    }

    /** The downtime, once {@link #start()} brought the site back. */
    public DowntimeOutcome restored() {
        return ended(shell.executes() ? DowntimeOutcome.RESTORED : DowntimeOutcome.PLANNED, null);
    }

    /** The downtime of a run that failed while the site was down: the units stay stopped, and the record says so. */
    public DowntimeOutcome leftStopped(String why) {
        return ended(DowntimeOutcome.LEFT_STOPPED, why);
    }

    private DowntimeOutcome ended(String status, String why) {
        long ms = stoppedAt == null ? 0 : (System.nanoTime() - stoppedNanos) / 1_000_000;
        Instant end = shell.executes() ? clock.instant() : null;
        DowntimeOutcome outcome = new DowntimeOutcome(
                hop,
                reason,
                allowedBy,
                units(),
                status,
                shell.executes() ? stoppedAt : null,
                end,
                shell.executes() ? ms : 0);
        Map<String, Object> fields = fields();
        fields.putAll(outcome.toMap());
        fields.put("error", why);
        shell.audit().record(AuditEvents.DOWNTIME_ENDED, fields);
        if (DowntimeOutcome.LEFT_STOPPED.equals(status)) {
            shell.console().warn("[" + shell.host() + "] " + outcome.describe());
        } else if (shell.executes()) {
            shell.console().info("[" + shell.host() + "] " + outcome.describe());
        }
        return outcome;
    }

    private String role(String unit) {
        if (profile.services().web().contains(unit)) {
            return ServiceRestarts.WEB;
        }
        return profile.services().streaming().contains(unit) ? ServiceRestarts.STREAMING : ServiceRestarts.SIDEKIQ;
    }

    private Map<String, Object> fields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("host", shell.host());
        fields.put("hop", hop);
        return fields;
    }
}

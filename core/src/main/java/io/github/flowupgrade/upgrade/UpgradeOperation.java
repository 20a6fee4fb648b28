package io.github.flowupgrade.upgrade;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.Option;
import io.github.flowupgrade.audit.AuditLog;
import io.github.flowupgrade.commands.RunAs;
import io.github.flowupgrade.host.HostAccess;
import io.github.flowupgrade.host.HostShell;
import io.github.flowupgrade.host.ReconnectingTransport;
import io.github.flowupgrade.release.ReleaseLookup;
import io.github.flowupgrade.release.ReleaseLookupRequest;
import io.github.flowupgrade.release.ReleaseLookupResult;
import io.github.flowupgrade.release.ReleasePrefetch;
import io.github.flowupgrade.remote.Transport;
import io.github.flowupgrade.remote.TransportFactory;
import io.github.flowupgrade.upgrade.approval.ApprovalGate;
import io.github.flowupgrade.upgrade.checkout.RunningRelease;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code flow upgrade} and the {@code flowUpgrade} step: the whole upgrade of a set of hosts, one after the other, a
 * rolling upgrade that stops at the first host that does not make it. For each host it reads the release the host runs
 * (unless the request names it), looks that range up once per distinct starting version, prints its plan, and runs
 * {@link Upgrade} there (every hop: checkout, tasks, restarts; then streaming behind its gate). Every outcome, failures
 * included, comes back in the {@link UpgradeRun}; the front ends only word it.
 */
public final class UpgradeOperation {
    private final TransportFactory transports;
    private final String login;
    private final RunAs runAs;
    private final AuditLog audit;
    private final Console console;
    /** The release lookups' console: a warning two ranges share is said once per run. */
    private final Console lookupConsole;

    private final Clock clock;

    public UpgradeOperation(
            TransportFactory transports, String login, RunAs runAs, AuditLog audit, Console console, Clock clock) {
        this.transports = transports;
        this.login = login;
        this.runAs = runAs;
        this.audit = audit;
        this.console = console;
        this.lookupConsole = Console.warningsOnce(console);
        this.clock = clock;
    }

    /**
     * @param hosts the hosts, in the order they are upgraded
     * @param release the release lookup: its target, and its {@code from} when the caller knows what every host runs
     *     (null: read on each host)
     * @param streamingGate asked before streaming is restarted
     * @param manualGate asked to confirm the release notes' manual steps when the request does not confirm them
     */
    public UpgradeRun run(
            List<String> hosts,
            ReleaseLookupRequest release,
            UpgradeRequest request,
            ApprovalGate streamingGate,
            ApprovalGate manualGate) {
        String target = release.tag();
        // A hop the notes say cannot be rolling is kept (to run with the site stopped) only when the run allows it.
        ReleaseLookupRequest lookup = release.withDowntime(request.allowDowntime());
        Map<String, ReleaseLookupResult> lookups = new HashMap<>();
        List<UpgradeResult> results = new ArrayList<>();
        List<String> notRun = new ArrayList<>();
        for (String host : hosts) {
            // A plan changes nothing: every host is planned, whatever an earlier one's checks found.
            if (!request.planOnly()
                    && !results.isEmpty()
                    && !results.get(results.size() - 1).succeeded()) {
                notRun.add(host);
                continue;
            }
            results.add(upgradeHost(host, lookup, request, lookups, streamingGate, manualGate));
        }
        if (!notRun.isEmpty()) {
            console.warn("Not upgraded, because "
                    + results.get(results.size() - 1).host() + " did not make it: " + String.join(", ", notRun));
        }
        return new UpgradeRun(target, results, notRun);
    }

    private UpgradeResult upgradeHost(
            String host,
            ReleaseLookupRequest release,
            UpgradeRequest request,
            Map<String, ReleaseLookupResult> lookups,
            ApprovalGate streamingGate,
            ApprovalGate manualGate) {
        String from = release.from();
        Transport transport;
        try {
            // Reconnectable, so a detached task (a migration) can be followed again after a dropped connection.
            transport = ReconnectingTransport.open(host, transports);
        } catch (FlowException e) {
            console.warn("[" + host + "] " + e.getMessage());
            return UpgradeResult.notStarted(
                    host,
                    from,
                    release.tag(),
                    UpgradeResult.statusOf(e),
                    e.getMessage(),
                    e.exitCode().code());
        }
        try (transport) {
            HostShell shell = new HostShell(
                    new HostAccess(transport, login, runAs, request.profile().dir()),
                    request.commandTimeout(),
                    audit,
                    console);
            ReleaseLookupResult lookup;
            // The first host's release list is read from GitHub while the host says which release it runs.
            ReleasePrefetch prefetch = from == null && lookups.isEmpty() && shell.executes()
                    ? ReleasePrefetch.start(release, audit)
                    : null;
            try (prefetch) {
                if (from == null) {
                    from = RunningRelease.read(shell);
                    if (from == null && shell.executes()) {
                        throw FlowException.refused(
                                host + ": " + request.profile().dir() + " is not on a release"
                                        + " tag, so the releases in between cannot be known; give the version it runs with "
                                        + Option.FROM.withValue("vA.B.C"));
                    }
                }
                console.info("[" + host + "] runs "
                        + (from == null
                                ? "an unknown version (a dry run reads nothing: give " + Option.FROM.named() + ")"
                                : from)
                        + "; target " + release.tag());
                String key = String.valueOf(from);
                lookup = lookups.get(key);
                if (lookup == null) {
                    ReleaseLookup lookingUp = new ReleaseLookup(audit, lookupConsole);
                    lookup = prefetch == null
                            ? lookingUp.run(release.withFrom(from))
                            : lookingUp.run(release.withFrom(from), prefetch);
                    lookups.put(key, lookup);
                    PlanPrinter.print(console, "Plan", lookup, request, task -> "");
                } else {
                    console.info("[" + host + "] same range as before: " + String.join(" -> ", lookup.hops()));
                }
            } catch (FlowException e) {
                console.warn("[" + host + "] " + e.getMessage());
                return UpgradeResult.notStarted(
                        host,
                        from,
                        release.tag(),
                        UpgradeResult.statusOf(e),
                        e.getMessage(),
                        e.exitCode().code());
            }
            Upgrade upgrade = new Upgrade(shell, request, clock);
            return request.planOnly()
                    ? upgrade.plan(UpgradePath.of(lookup))
                    : upgrade.run(UpgradePath.of(lookup), streamingGate, manualGate);
        }
    }
}

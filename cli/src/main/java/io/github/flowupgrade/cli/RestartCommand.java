package io.github.flowupgrade.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.flowupgrade.Console;
import io.github.flowupgrade.ExitCode;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.app.AppProfile;
import io.github.flowupgrade.audit.AuditLog;
import io.github.flowupgrade.audit.JsonLinesAuditLog;
import io.github.flowupgrade.audit.Redactor;
import io.github.flowupgrade.host.HostAccess;
import io.github.flowupgrade.remote.Transport;
import io.github.flowupgrade.remote.TransportFactory;
import io.github.flowupgrade.upgrade.services.Restart;
import io.github.flowupgrade.upgrade.services.RestartRequest;
import io.github.flowupgrade.upgrade.services.RestartResult;
import io.github.flowupgrade.upgrade.services.RestartTimeouts;
import io.github.flowupgrade.upgrade.services.ServiceAction;
import io.github.flowupgrade.upgrade.services.ServiceOutcome;
import io.github.flowupgrade.upgrade.services.ServiceSelection;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code flow restart}: sidekiq, web, and streaming only when needed and approved. */
@Command(
        name = "restart",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Restarts sidekiq and reloads web (a zero-downtime phased restart) on each host, and checks that each"
                    + " came back: active, a new main PID after a restart, the health endpoint answering.",
            "Restarts streaming (which disconnects every client) only when --streaming says so and a human"
                    + " approved: --approved-by NAME, the host name typed back on a terminal, or on GitHub Actions"
                    + " --approval-environment NAME (the environment's approval read from the run). Without any the"
                    + " streaming restart stays pending and the exit code is 0.",
            "Holds the host lock while it works, as checkout and upgrade do: a host another run holds is refused"
                    + " (exit 3). See docs/upgrade.md."
        })
final class RestartCommand implements Callable<Integer> {
    @Option(
            names = "--services",
            paramLabel = "sidekiq,web",
            defaultValue = ServiceSelection.DEFAULT,
            description = "Services restarted unconditionally, in order, separated by commas (or none); naming"
                    + " streaming means --streaming always. Default: ${DEFAULT-VALUE}.")
    String services;

    @Option(
            names = "--plan",
            paramLabel = "FILE",
            description = "The output of fetch-release --json: its plan says whether streaming needs a restart.")
    Path planFile;

    @Option(
            names = "--checkout-result",
            paramLabel = "FILE",
            description = "The output of checkout --json: its changed.streaming says whether streaming changed.")
    Path checkoutFile;

    @Mixin
    ServiceRestartOptions restarts;

    @Option(
            names = "--force-unlock",
            description = "Remove a host lock left by a run that died (check no run is in progress first).")
    boolean forceUnlock;

    @Option(names = "--dry-run", description = "Print every command it would run, and run none.")
    boolean dryRun;

    @Option(
            names = "--json",
            description = "Print the result as one JSON object on standard output, also when the run fails:"
                    + " exitCode, error, hosts (each host's result), notRun.")
    boolean json;

    @Option(
            names = "--token-env",
            paramLabel = "NAME",
            description = "Environment variable holding a GitHub token, for --approval-environment (the job's"
                    + " token, with permissions: actions: read). The token is never printed or logged.")
    String tokenEnv;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    ApprovalOptions approval;

    @Mixin
    AuditOptions audit;

    @Spec
    CommandSpec spec;

    /** How far the run got, for the result a failed run prints. */
    private final List<RestartResult> results = new ArrayList<>();

    private final List<String> notRun = new ArrayList<>();
    private String current;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            return run(out, spec.commandLine().getErr());
        } catch (RuntimeException e) {
            if (json) {
                // A failed run prints its result too: what the hosts before did, which one failed, and why.
                out.println(Json.pretty(result(results, current, e, notRun)));
                out.flush();
            }
            throw e;
        }
    }

    private int run(PrintWriter out, PrintWriter err) {
        connection.validate();
        approval.validate();
        String token = ReleaseLookupOptions.token(tokenEnv, approval.env, spec);
        approval.checkToken(token);
        List<String> hosts = connection.hosts();
        notRun.addAll(hosts);
        AppProfile profile = connection.profile();
        ServiceSelection selection = ServiceSelection.parse(services, approval.streamingGiven());
        List<String> roles = selection.roles();
        Boolean planSays = null;
        List<String> planReleases = new ArrayList<>();
        if (planFile != null) {
            JsonNode plan = Json.read(planFile, "--plan");
            JsonNode flag = plan.path("plan").path("streamingRestart");
            if (!flag.isBoolean()) {
                throw FlowException.badInput("--plan " + planFile
                        + " has no plan.streamingRestart: give the output of fetch-release --json");
            }
            planSays = flag.asBoolean();
            planReleases.addAll(askedBy(plan));
        }
        JsonNode checkouts = checkoutFile == null ? null : Json.read(checkoutFile, "--checkout-result");
        RestartTimeouts timeouts = restarts.timeouts();
        // Validates --services before the trail starts or any host is reached.
        ServiceAction web = restarts.webAction();
        new RestartRequest(profile, roles, selection.streaming(), planSays, planReleases, null, timeouts, web);
        Redactor redactor = connection.redactor();
        Console console = redactor.console(new WriterConsole(json ? err : out, err));
        TransportFactory transports = connection.transports(dryRun, console);
        AuditLog log = dryRun ? AuditLog.none() : audit.start("restart", null, hosts, redactor);
        Throwable failure = null;
        try {
            approval.proveEnvironment(
                    token,
                    tokenEnv == null ? null : "$" + tokenEnv,
                    GitHubCacheDir.defaultDir(approval.env),
                    log,
                    console);
            for (String host : hosts) {
                current = host;
                notRun.remove(host);
                JsonNode changed = checkouts == null ? null : changed(checkouts, host);
                JsonNode flag = changed == null ? null : changed.path("streaming");
                Boolean checkoutSays = flag != null && flag.isBoolean() ? flag.asBoolean() : null;
                List<String> checkoutPaths = new ArrayList<>();
                if (changed != null) {
                    changed.path("streamingPaths").forEach(p -> checkoutPaths.add(p.asText()));
                }
                RestartRequest request = new RestartRequest(
                        profile,
                        roles,
                        selection.streaming(),
                        planSays,
                        planReleases,
                        checkoutSays,
                        timeouts,
                        web,
                        checkoutPaths);
                try (Transport transport = transports.open(host)) {
                    HostAccess access =
                            new HostAccess(transport, connection.login(), connection.runAs(), profile.dir());
                    RestartResult result = Restart.run(
                            access,
                            request,
                            new Restart.Locking.Own(audit.actor(), audit.buildUrl(), forceUnlock, Clock.systemUTC()),
                            approval.streamingGate(audit.actor(), err),
                            log,
                            console);
                    results.add(result);
                    current = null;
                    if (result.streaming().pending()) {
                        console.warn("[" + host + "] the streaming restart is "
                                + result.streaming().status()
                                + "; once approved run: " + CommandLines.approveStreaming(spec, host));
                    }
                }
            }
            print(results, out);
            return ExitCode.DONE.code();
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        } finally {
            if (log instanceof JsonLinesAuditLog trail) {
                AuditOptions.finish(trail, failure, err);
            }
        }
    }

    /**
     * The releases whose notes ask for the streaming restart: the plan's {@code streamingRestartBy}; in a plan written
     * before it existed, the range's release when there is only one (else none is named).
     */
    private static List<String> askedBy(JsonNode lookup) {
        List<String> releases = new ArrayList<>();
        JsonNode by = lookup.path("plan").path("streamingRestartBy");
        if (by.isArray()) {
            by.forEach(r -> releases.add(r.asText()));
        } else if (lookup.path("releases").size() == 1) {
            releases.add(lookup.path("releases").get(0).asText());
        }
        return releases;
    }

    /** The {@code changed} object of this host in a checkout result (an array of hosts, or one host's object). */
    private JsonNode changed(JsonNode checkouts, String host) {
        List<JsonNode> entries = new ArrayList<>();
        if (checkouts.isArray()) {
            checkouts.forEach(entries::add);
        } else {
            entries.add(checkouts);
        }
        for (JsonNode entry : entries) {
            if (host.equals(entry.path("host").asText())) {
                return entry.path("changed");
            }
        }
        throw FlowException.badInput("--checkout-result " + checkoutFile + " has no result for host " + host);
    }

    /**
     * The object {@code --json} prints: {@code exitCode}, {@code error} (null when done), {@code hosts} (the result of
     * each host that finished, then the one that failed: {@code host}, {@code status}, {@code error}, {@code
     * exitCode}), and {@code notRun}, the hosts never started.
     */
    private static Map<String, Object> result(
            List<RestartResult> results, String failedHost, Throwable error, List<String> notRun) {
        List<Object> hosts = new ArrayList<>();
        results.forEach(r -> hosts.add(r.toMap()));
        Map<String, Object> map = new LinkedHashMap<>();
        int code = error == null ? ExitCode.DONE.code() : FlowCommand.exitCodeOf(error);
        if (failedHost != null) {
            Map<String, Object> failed = new LinkedHashMap<>();
            failed.put("host", failedHost);
            failed.put("status", code == ExitCode.REFUSED.code() ? "refused" : "failed");
            failed.put("error", FlowCommand.messageOf(error));
            failed.put("exitCode", code);
            hosts.add(failed);
        }
        map.put("exitCode", code);
        map.put("error", error == null ? null : FlowCommand.messageOf(error));
        map.put("hosts", hosts);
        map.put("notRun", List.copyOf(notRun));
        return map;
    }

    private void print(List<RestartResult> results, PrintWriter out) {
        if (json) {
            out.println(Json.pretty(result(results, null, null, List.of())));
        } else {
            for (RestartResult r : results) {
                List<String> parts = new ArrayList<>();
                for (ServiceOutcome s : r.services()) {
                    parts.add(s.name() + " " + s.result());
                }
                out.println(r.host() + ": " + (parts.isEmpty() ? "no service restarted" : String.join(", ", parts))
                        + "; streaming " + r.streaming().status()
                        + (r.streaming().approvedBy() == null
                                ? ""
                                : " (approved by " + r.streaming().approvedBy() + ")"));
            }
        }
        out.flush();
    }
}

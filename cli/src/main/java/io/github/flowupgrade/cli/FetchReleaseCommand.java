package io.github.flowupgrade.cli;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.ExitCode;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.app.AppProfile;
import io.github.flowupgrade.app.AppProfiles;
import io.github.flowupgrade.audit.AuditLog;
import io.github.flowupgrade.audit.JsonLinesAuditLog;
import io.github.flowupgrade.audit.Redactor;
import io.github.flowupgrade.release.HopPlan;
import io.github.flowupgrade.release.ManualItem;
import io.github.flowupgrade.release.Phase;
import io.github.flowupgrade.release.PlanTask;
import io.github.flowupgrade.release.ReleaseLookup;
import io.github.flowupgrade.release.ReleaseLookupRequest;
import io.github.flowupgrade.release.ReleaseLookupResult;
import io.github.flowupgrade.release.Requirements;
import io.github.flowupgrade.release.UpgradePlan;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code flow fetch-release}: the release, the releases skipped on the way, and one upgrade plan. */
@Command(
        name = "fetch-release",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Looks up a release on GitHub and turns the notes of every release from the host's version (--from,"
                    + " exclusive) up to it into one upgrade plan: tasks by phase, flags, minimum versions, and the"
                    + " instructions left for a human.",
            "Responses are cached with their ETag, so asking again costs no rate limit."
        })
final class FetchReleaseCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--app",
            paramLabel = "mastodon|flow|FILE.json",
            defaultValue = "mastodon",
            description = "Application profile: mastodon, flow, or a JSON profile file; its repository and its hop"
                    + " rule (default: ${DEFAULT-VALUE}).")
    String app;

    @CommandLine.Mixin
    ReleaseLookupOptions lookup;

    @Option(names = "--tag", paramLabel = "vX.Y.Z", description = "The target release.")
    String tag;

    @Option(names = "--latest", description = "Target the newest release by version (not by date).")
    boolean latest;

    @Option(names = "--from", paramLabel = "vA.B.C", description = "The version the host runs now (exclusive).")
    String from;

    @Option(names = "--allow-downgrade", description = "Allow a target older than --from (refused by default).")
    boolean allowDowngrade;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            defaultValue = "20",
            description = "Per GitHub request; timeouts and server errors are tried 3 times. Default: ${DEFAULT-VALUE}")
    int timeoutSeconds;

    @Option(names = "--json", description = "Print one JSON object on stdout instead of a summary.")
    boolean json;

    /** A lookup changes nothing, so it writes an audit trail only when --audit-log names one. */
    @CommandLine.Mixin
    AuditOptions audit;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        AppProfile profile = AppProfiles.resolve(app);
        String token = lookup.token();
        if (timeoutSeconds < 1 || timeoutSeconds > 600) {
            throw FlowException.badInput("--timeout must be 1 to 600 seconds");
        }
        ReleaseLookupRequest request =
                lookup.request(profile, token, tag, latest, from, allowDowngrade, Duration.ofSeconds(timeoutSeconds));
        Console console = new Console() {
            @Override
            public void info(String message) {
                if (!json) {
                    err.println(message);
                }
            }

            @Override
            public void warn(String message) {
                err.println("warning: " + message);
            }
        };
        ReleaseLookupResult result;
        if (audit.requested()) {
            Redactor redactor = FlowCommand.redactorOf(spec);
            String target = latest ? "latest" : tag;
            JsonLinesAuditLog log = audit.start("fetch-release", target, List.of(), redactor);
            Throwable failure = null;
            try {
                result = new ReleaseLookup(log, redactor.console(console)).run(request);
            } catch (RuntimeException e) {
                failure = e;
                throw e;
            } finally {
                AuditOptions.finish(log, failure, err);
            }
        } else {
            result = new ReleaseLookup(AuditLog.none(), console).run(request);
        }
        if (json) {
            out.println(Json.pretty(result.toMap()));
        } else {
            summary(result, out);
        }
        out.flush();
        return ExitCode.DONE.code();
    }

    private static void summary(ReleaseLookupResult r, PrintWriter out) {
        UpgradePlan plan = r.plan();
        out.println("Release " + r.target().tagName()
                + (r.target().name().equals(r.target().tagName())
                        ? ""
                        : " \"" + r.target().name() + "\"") + ", published "
                + r.target().publishedAt());
        out.println("  " + r.target().htmlUrl());
        out.println("  commit: " + (r.commit() == null ? "not resolved (use --git-url)" : r.commit()));
        if (r.from() == null) {
            out.println("From: not given (--from); only this release's notes are read.");
        } else {
            out.println("From " + r.from() + ": " + r.releases().size() + " release(s) to apply"
                    + (r.releases().isEmpty() ? "" : ": " + abbreviated(r.releases()))
                    + (r.majorOrMinorJump() ? " (crosses a minor series)" : ""));
        }
        out.println("Hops: " + (r.hops().isEmpty() ? "none" : String.join(" -> ", r.hops())));
        out.println("Plan:");
        out.println("  streaming restart: " + yes(plan.streamingRestart())
                + ", pre-deployment migrations: " + yes(plan.preDeploymentMigrations())
                + ", post-deployment migrations: " + yes(plan.postDeploymentMigrations()));
        out.println("  bundle install: " + yes(plan.bundleInstall()) + ", yarn install: " + yes(plan.yarnInstall())
                + ", assets precompile: " + yes(plan.assetsPrecompile()));
        out.println("  requirements: " + requirements(plan.requirements()));
        if (!plan.backupAdvisedBy().isEmpty()) {
            out.println("  back up the database first (asked by " + abbreviated(plan.backupAdvisedBy())
                    + "; flow upgrade takes a checked one before the first migration)");
        }
        for (Phase phase : Phase.values()) {
            List<PlanTask> tasks =
                    plan.tasks().stream().filter(t -> t.phase() == phase).toList();
            if (!tasks.isEmpty()) {
                out.println("  " + phase.wireName() + ":");
                tasks.forEach(t -> out.println("    " + t.command() + "    [" + abbreviated(t.releases()) + "]"));
            }
        }
        if (r.hops().size() > 1) {
            out.println("Per hop:");
            for (HopPlan hop : r.hopPlans()) {
                out.println("  " + hop.tag() + ": " + hop.releases().size() + " release(s), "
                        + hop.plan().tasks().stream().map(PlanTask::command).toList()
                        + (hop.plan().streamingRestart() ? ", streaming restart" : ""));
            }
        }
        items(out, "For a human (" + plan.manual().size() + "), not run by flow:", plan.manual());
        items(
                out,
                "Docker installations only (" + plan.dockerOnly().size() + "), nothing to do here:",
                plan.dockerOnly());
        items(out, "For information (" + plan.information().size() + "):", plan.information());
        if (!plan.otherRequirements().isEmpty()) {
            out.println("Other dependencies to check:");
            plan.otherRequirements()
                    .forEach(item -> out.println("  [" + abbreviated(item.releases()) + "] " + item.text()));
        }
        out.println("GitHub: " + r.apiRequests() + " request(s), rate limit remaining "
                + (r.rateLimitRemaining() == null ? "unknown" : r.rateLimitRemaining()));
    }

    private static void items(PrintWriter out, String title, List<ManualItem> items) {
        if (!items.isEmpty()) {
            out.println(title);
            for (ManualItem item : items) {
                out.println("  [" + abbreviated(item.releases()) + "] "
                        + item.text().replace("\n", "\n      "));
            }
        }
    }

    private static String requirements(Requirements q) {
        List<String> parts = new ArrayList<>();
        add(parts, "Ruby", q.ruby());
        add(parts, "Node.js", q.nodejs());
        add(parts, "PostgreSQL", q.postgresql());
        add(parts, "Redis", q.redis());
        return parts.isEmpty() ? "none stated" : String.join(", ", parts);
    }

    private static void add(List<String> parts, String name, String version) {
        if (version != null) {
            parts.add(name + " >= " + version);
        }
    }

    private static String yes(boolean b) {
        return b ? "yes" : "no";
    }

    private static String abbreviated(List<String> tags) {
        if (tags.size() <= 6) {
            return String.join(", ", tags);
        }
        return String.join(", ", tags.subList(0, 3)) + ", ... (" + (tags.size() - 5) + " more), "
                + String.join(", ", tags.subList(tags.size() - 2, tags.size()));
    }
}

package io.github.flowupgrade.cli;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.ExitCode;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.app.AppProfile;
import io.github.flowupgrade.audit.AuditLog;
import io.github.flowupgrade.audit.JsonLinesAuditLog;
import io.github.flowupgrade.audit.Redactor;
import io.github.flowupgrade.commands.ReleaseTag;
import io.github.flowupgrade.remote.TransportFactory;
import io.github.flowupgrade.upgrade.checkout.ChangedAreas;
import io.github.flowupgrade.upgrade.checkout.CheckoutOperation;
import io.github.flowupgrade.upgrade.checkout.CheckoutRequest;
import io.github.flowupgrade.upgrade.checkout.CheckoutResult;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code flow checkout}: a verified, locked checkout of a release tag on each host, or a rollback. */
@Command(
        name = "checkout",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Checks out a release tag on hosts over SSH, as the application user: refuses local changes to tracked"
                    + " files, local files in the release's way, files marked skip-worktree or assume-unchanged and"
                    + " local commits (never discards, stashes, overwrites or strands them), takes the host lock, fetches tags"
                    + " without --force (a tag that moved upstream is refused), verifies the tag's commit"
                    + " (--expect-commit), checks it out detached and verifies HEAD.",
            "Host keys are verified (known_hosts or --host-key). See docs/checkout.md."
        })
final class CheckoutCommand implements Callable<Integer> {
    @Option(names = "--tag", paramLabel = "vX.Y.Z", description = "The release tag to check out.")
    String tag;

    @Option(
            names = "--expect-commit",
            paramLabel = "SHA",
            description =
                    "Refuse unless the tag points at this commit: its full id, 40 hex digits (an abbreviation could"
                            + " name another object).")
    String expectCommit;

    @Option(
            names = "--rollback",
            description = "Return each host to the commit it ran before its last successful checkout.")
    boolean rollback;

    @Option(
            names = "--force-unlock",
            description = "Remove a host lock left by a run that died (check no run is in progress first).")
    boolean forceUnlock;

    @Option(
            names = "--keep-local-commits",
            description = "Go on when a host has local commits no tag or branch reaches, keeping them under"
                    + " refs/flow-upgrade/kept/<time> (without it such a host is refused).")
    boolean keepLocalCommits;

    @Option(names = "--dry-run", description = "Print every command it would run, and run none.")
    boolean dryRun;

    @Option(names = "--json", description = "Print the result of every host as JSON on standard output.")
    boolean json;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    AuditOptions audit;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // Everything is validated before any connection: a bad value exits 2 with nothing sent anywhere.
        if (!rollback && tag == null) {
            throw FlowException.badInput("missing --tag vX.Y.Z (or --rollback)");
        }
        connection.validate();
        List<String> hosts = connection.hosts();
        AppProfile profile = connection.profile();
        CheckoutRequest request = new CheckoutRequest(
                profile.dir(),
                ReleaseTag.ofNullable(tag),
                expectCommit,
                rollback,
                forceUnlock,
                audit.actor(),
                audit.buildUrl(),
                keepLocalCommits);
        Redactor redactor = connection.redactor();
        Console console = redactor.console(new WriterConsole(json ? err : out, err));
        if (dryRun) {
            List<CheckoutResult> results = operation(connection.transports(true, console), AuditLog.none(), console)
                    .run(hosts, request, 1);
            print(results, out);
            return CheckoutOperation.exitCode(results);
        }
        var transports = connection.transports(false, console);
        JsonLinesAuditLog log = audit.start("checkout", tag, hosts, redactor);
        FlowException failure = null;
        try {
            List<CheckoutResult> results =
                    operation(transports, log, console).run(hosts, request, connection.parallel());
            print(results, out);
            int code = CheckoutOperation.exitCode(results);
            if (code != 0) {
                failure = new FlowException(ExitCode.of(code), summary(results));
            }
            return code;
        } catch (RuntimeException e) {
            failure = e instanceof FlowException f ? f : new FlowException(ExitCode.FAILED, e.toString(), e);
            throw e;
        } finally {
            AuditOptions.finish(log, failure, err);
        }
    }

    private CheckoutOperation operation(TransportFactory transports, AuditLog log, Console console) {
        return new CheckoutOperation(
                transports,
                connection.login(),
                connection.runAs(),
                connection.commandTimeout(),
                log,
                console,
                Clock.systemUTC());
    }

    private void print(List<CheckoutResult> results, PrintWriter out) {
        if (json) {
            out.println(Json.pretty(results.stream().map(CheckoutResult::toMap).toList()));
        } else {
            for (CheckoutResult result : results) {
                out.println(line(result));
            }
        }
        out.flush();
    }

    private static String line(CheckoutResult r) {
        return switch (r.status()) {
            case "checked-out" ->
                r.host() + ": checked out " + r.current().display() + " (was "
                        + r.previous().display() + "); changed: " + describe(r.changed())
                        + (r.kept() == null
                                ? ""
                                : "; kept " + r.kept().commits().size() + " local commit(s) under "
                                        + r.kept().ref());
            case "unchanged" -> r.host() + ": already on " + r.current().display();
            case "dry-run" -> r.host() + ": dry run, nothing was changed";
            default -> r.host() + ": " + r.status() + " (exit " + r.exitCode() + ")";
        };
    }

    private static String describe(ChangedAreas changed) {
        List<String> areas = new ArrayList<>();
        changed.toMap().forEach((area, value) -> {
            if (Boolean.TRUE.equals(value)) {
                areas.add(area);
            }
        });
        return areas.isEmpty() ? "nothing that needs a task or restart" : String.join(", ", areas);
    }

    private static String summary(List<CheckoutResult> results) {
        return results.stream()
                .filter(r -> !r.succeeded())
                .map(r -> r.host() + ": " + r.status())
                .reduce((a, b) -> a + "; " + b)
                .orElse("");
    }
}

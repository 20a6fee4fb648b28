package io.github.flowupgrade.cli;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.ExitCode;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.app.AppProfile;
import io.github.flowupgrade.audit.JsonLinesAuditLog;
import io.github.flowupgrade.audit.Redactor;
import io.github.flowupgrade.host.HostAccess;
import io.github.flowupgrade.host.HostShell;
import io.github.flowupgrade.remote.Transport;
import io.github.flowupgrade.remote.TransportFactory;
import io.github.flowupgrade.upgrade.approval.ApprovalGate;
import io.github.flowupgrade.upgrade.approval.NoApprovalGate;
import io.github.flowupgrade.upgrade.approval.PreApprovedGate;
import io.github.flowupgrade.upgrade.approval.TerminalApprovalGate;
import io.github.flowupgrade.upgrade.backup.DatabaseRestore;
import io.github.flowupgrade.upgrade.backup.RestoreRequest;
import io.github.flowupgrade.upgrade.backup.RestoreResult;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code flow restore}: the database back from a backup {@code flow upgrade} took, only when a human confirms it. */
@Command(
        name = "restore",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Restores the database of one host from a backup flow upgrade took before its migrations: checks the dump"
                    + " (pg_restore --list, its SHA-256), asks for a confirmation (the host name typed back, or"
                    + " --confirm-restore HOST), stops web, sidekiq and streaming, drops the database, creates it"
                    + " again and restores the dump, as the application user with the DB_* settings of"
                    + " .env.production. Everything written since the backup is lost.",
            "The services stay stopped: put the code back on the backup's release (flow checkout --rollback, allowed"
                    + " again after the restore), then start them. See docs/checkout.md, \"Restoring a backup\"."
        })
final class RestoreCommand implements Callable<Integer> {
    @Option(
            names = "--backup",
            required = true,
            paramLabel = "PATH",
            description = "The dump on the host, as the upgrade's summary, its audit trail or a refused rollback"
                    + " names it (…/v4.2.0-to-v4.3.1-20261207T021800Z.dump).")
    String backup;

    @Option(
            names = "--expect-sha256",
            paramLabel = "HEX",
            description = "Refuse unless the dump has this SHA-256 (the one the upgrade recorded).")
    String expectSha256;

    @Option(
            names = "--confirm-restore",
            paramLabel = "HOST",
            description = "Confirm the restore without a prompt: the host's name, exactly as given to --host.")
    String confirmRestore;

    @Option(
            names = "--no-prompt",
            description = "Never prompt, even on a terminal (refused without --confirm-restore).")
    boolean noPrompt;

    @Option(
            names = "--task-timeout",
            paramLabel = "SECONDS",
            defaultValue = "3600",
            description = "Limit of the restore itself. Default: ${DEFAULT-VALUE}.")
    int taskTimeout;

    @Option(names = "--json", description = "Print the result as JSON on standard output.")
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
        connection.validate();
        List<String> hosts = connection.hosts();
        if (hosts.size() != 1) {
            throw FlowException.badInput("flow restore restores one host at a time: give exactly one --host");
        }
        String host = hosts.get(0);
        if (confirmRestore != null && !confirmRestore.equals(host)) {
            throw FlowException.badInput("--confirm-restore must name the host being restored (" + host + "), not "
                    + io.github.flowupgrade.commands.Inputs.printable(confirmRestore));
        }
        if (taskTimeout < 1 || taskTimeout > 86_400) {
            throw FlowException.badInput("--task-timeout must be 1 to 86400 seconds, not " + taskTimeout);
        }
        AppProfile profile = connection.profile();
        RestoreRequest request = new RestoreRequest(
                profile,
                backup,
                expectSha256,
                audit.actor(),
                audit.buildUrl(),
                connection.commandTimeout(),
                Duration.ofSeconds(taskTimeout));
        Redactor redactor = connection.redactor();
        Console console = redactor.console(new WriterConsole(json ? err : out, err));
        TransportFactory transports = connection.transports(false, console);
        JsonLinesAuditLog log = audit.start("restore", null, hosts, redactor);
        FlowException failure = null;
        try (Transport transport = transports.open(host)) {
            HostShell shell = new HostShell(
                    new HostAccess(transport, connection.login(), connection.runAs(), profile.dir()),
                    connection.commandTimeout(),
                    log,
                    console);
            RestoreResult result = new DatabaseRestore(shell, request, Clock.systemUTC()).run(gate(err));
            if (json) {
                out.println(Json.pretty(result.toMap()));
            } else {
                out.println(result.host() + ": " + result.status()
                        + (result.succeeded() ? " from " + result.dump() + " (sha256 " + result.sha256() + ")" : ""));
            }
            out.flush();
            if (!result.succeeded()) {
                failure = new FlowException(ExitCode.of(result.exitCode()), result.error());
            }
            return result.exitCode();
        } catch (FlowException e) {
            failure = e;
            throw e;
        } finally {
            AuditOptions.finish(log, failure, err);
        }
    }

    private ApprovalGate gate(PrintWriter prompt) {
        if (confirmRestore != null) {
            return new PreApprovedGate(audit.actor(), Clock.systemUTC());
        }
        if (noPrompt || System.console() == null) {
            return new NoApprovalGate();
        }
        return new TerminalApprovalGate(
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                prompt,
                audit.actor(),
                Duration.ofMinutes(10),
                Clock.systemUTC());
    }
}

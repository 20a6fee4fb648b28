package io.github.flowupgrade.cli;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.ExitCode;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.app.AppProfile;
import io.github.flowupgrade.audit.AuditLog;
import io.github.flowupgrade.audit.JsonLinesAuditLog;
import io.github.flowupgrade.audit.Redactor;
import io.github.flowupgrade.release.ReleaseLookupRequest;
import io.github.flowupgrade.upgrade.UpgradeRequest;
import io.github.flowupgrade.upgrade.instance.InstanceConnections;
import io.github.flowupgrade.upgrade.instance.InstanceDescription;
import io.github.flowupgrade.upgrade.instance.InstanceDescriptions;
import io.github.flowupgrade.upgrade.instance.InstanceRun;
import io.github.flowupgrade.upgrade.instance.InstanceUpgrade;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;

/**
 * {@code flow upgrade --instance FILE}: the upgrade of one instance on several hosts, with the same options as an
 * upgrade of separate hosts. The description and every option are checked before any connection.
 */
final class InstanceUpgradeRun {
    private final UpgradeCommand command;

    InstanceUpgradeRun(UpgradeCommand command) {
        this.command = command;
    }

    int call(PrintWriter out, PrintWriter err) {
        ConnectionOptions connection = command.connection;
        if (!connection.hosts.isEmpty()) {
            throw FlowException.badInput("give --instance or --host, not both: the instance description names its"
                    + " hosts (--port, --login, --as and --host-key still hold for the hosts that set none)");
        }
        connection.validateConnection();
        command.approval.validate();
        Duration taskLimit = io.github.flowupgrade.Option.TASK_TIMEOUT.seconds(command.taskTimeout, 1, 86_400);
        InstanceDescription instance = InstanceDescriptions.fromFile(command.instance);
        AppProfile profile = connection.profile();
        InstanceConnections.Defaults defaults = new InstanceConnections.Defaults(
                connection.port, connection.login, connection.as, connection.hostKeyPolicy(), profile.user());
        String token = command.lookup.token();
        command.approval.checkToken(token);
        ReleaseLookupRequest release =
                command.lookup.request(profile, token, command.tag, false, command.from, false, Duration.ofSeconds(20));
        UpgradeRequest request = command.request(profile, connection.commandTimeout(), taskLimit);
        Redactor redactor = connection.redactor();
        if (token != null) {
            redactor.register(token);
        }
        Console console = redactor.console(new WriterConsole(command.json ? err : out, err));
        // Each host's login, run-as mode and address are checked here, before any connection.
        InstanceConnections connections = InstanceConnections.of(
                instance,
                defaults,
                command.dryRun
                        ? InstanceConnections.dryRun(console)
                        : InstanceConnections.ssh(connection.settings(), console));
        JsonLinesAuditLog trail =
                command.dryRun ? null : command.audit.start("upgrade", command.tag, instance.labels(), redactor);
        Throwable failure = null;
        try {
            command.approval.proveEnvironment(
                    token,
                    command.lookup.tokenSource(),
                    command.lookup.cacheDir(),
                    trail == null ? AuditLog.none() : trail,
                    console);
            InstanceRun run = new InstanceUpgrade(
                            instance, connections, trail == null ? AuditLog.none() : trail, console, Clock.systemUTC())
                    .run(
                            release,
                            request,
                            command.approval.streamingGate(command.audit.actor(), err),
                            command.approval.promptOrPending(command.audit.actor(), err));
            if (command.json) {
                out.println(Json.pretty(run.toMap()));
                out.flush();
            }
            CommandLines.nextSteps(command.spec, run).forEach(console::warn);
            if (!run.succeeded()) {
                failure = new FlowException(ExitCode.of(run.exitCode()), run.error());
                err.println("flow: " + run.error());
                err.flush();
            }
            return run.exitCode();
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        } finally {
            if (trail != null) {
                AuditOptions.finish(trail, failure, err);
            }
        }
    }
}

package io.github.flowupgrade.jenkins;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.ExitCode;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.host.HostAccess;
import io.github.flowupgrade.host.HostShell;
import io.github.flowupgrade.remote.Transport;
import io.github.flowupgrade.upgrade.approval.PreApprovedGate;
import io.github.flowupgrade.upgrade.backup.DatabaseRestore;
import io.github.flowupgrade.upgrade.backup.RestoreRequest;
import io.github.flowupgrade.upgrade.backup.RestoreResult;
import java.util.Map;

/**
 * {@code flowRestore} on the agent: the engine's {@link DatabaseRestore} on one host, as {@code flow restore} calls it.
 * The step checked on the controller that {@code confirmRestore} names this host; that confirmation, by the build's
 * user, is the gate.
 */
final class RestoreTask extends HostTask {
    private static final long serialVersionUID = 1L;

    private final String backup;
    private final String expectSha256;
    private final int taskTimeout;

    RestoreTask(HostTarget target, String backup, String expectSha256, int taskTimeout) {
        super(target);
        this.backup = backup;
        this.expectSha256 = expectSha256;
        this.taskTimeout = taskTimeout;
    }

    @Override
    protected Map<String, Object> perform(Console buildLog) {
        return inSession(buildLog, "restore", null);
    }

    @Override
    Map<String, Object> run(AgentSession session) {
        RestoreRequest request = new RestoreRequest(
                session.profile(),
                backup,
                expectSha256,
                build.actor(),
                build.buildUrl(),
                session.commandTimeout(),
                AgentSession.taskTimeout(taskTimeout));
        try (Transport transport = session.transports().open(host.host())) {
            HostShell shell = new HostShell(
                    new HostAccess(
                            transport,
                            login.username(),
                            session.runAs(),
                            session.profile().dir()),
                    session.commandTimeout(),
                    session.audit(),
                    session.console());
            RestoreResult result = new DatabaseRestore(shell, request, session.clock())
                    .run(new PreApprovedGate(build.actor(), session.clock()));
            if (!result.succeeded()) {
                throw new FlowException(ExitCode.of(result.exitCode()), result.error());
            }
            return result.toMap();
        }
    }
}

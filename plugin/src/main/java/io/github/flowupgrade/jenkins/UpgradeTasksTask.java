package io.github.flowupgrade.jenkins;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.upgrade.approval.NoApprovalGate;
import io.github.flowupgrade.upgrade.tasks.RunUpgradeTasks;
import io.github.flowupgrade.upgrade.tasks.RunUpgradeTasksRequest;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code flowRunUpgradeTasks} on the agent: the engine's {@link RunUpgradeTasks} on one host, which looks up the
 * release range's plan and runs the tasks of one phase ({@code after-checkout}, or {@code after-restart} for
 * post-deployment migrations) under the host's upgrade lock. Manual items must be confirmed by the step's
 * {@code confirmManual}: nobody can be asked on the agent.
 */
final class UpgradeTasksTask extends HostTask {
    private static final long serialVersionUID = 1L;

    private final ReleaseRequest release;
    private final String token;
    private final String phase;
    private final boolean confirmManual;
    private final int taskTimeout;
    private final boolean forceUnlock;
    private final BackupSettings backup;

    UpgradeTasksTask(
            HostTarget target,
            ReleaseRequest release,
            String token,
            String phase,
            boolean confirmManual,
            int taskTimeout,
            boolean forceUnlock,
            BackupSettings backup) {
        super(target);
        this.release = release;
        this.token = token;
        this.phase = phase;
        this.confirmManual = confirmManual;
        this.taskTimeout = taskTimeout;
        this.forceUnlock = forceUnlock;
        this.backup = backup;
    }

    @Override
    protected Map<String, Object> perform(Console buildLog) {
        RunUpgradeTasksRequest.phase(phase); // refused before the audit trail opens
        return inSession(buildLog, "upgrade-tasks", release.tag(), token);
    }

    @Override
    Map<String, Object> run(AgentSession session) {
        RunUpgradeTasksRequest request = new RunUpgradeTasksRequest(
                FetchReleaseTask.lookupRequest(release, token, Path.of(flowDir)),
                RunUpgradeTasksRequest.phase(phase),
                confirmManual,
                host.host(),
                login.username(),
                session.runAs(),
                session.profile().dir(),
                build.actor(),
                build.buildUrl(),
                session.commandTimeout(),
                AgentSession.taskTimeout(taskTimeout),
                forceUnlock,
                backup.policy());
        return RunUpgradeTasks.run(
                        session.transports(),
                        request,
                        new NoApprovalGate(),
                        session.audit(),
                        session.console(),
                        session.clock())
                .toMap();
    }
}

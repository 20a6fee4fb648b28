package io.github.flowupgrade.jenkins;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.ExitCode;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.release.ReleaseLookupRequest;
import io.github.flowupgrade.upgrade.UpgradeOperation;
import io.github.flowupgrade.upgrade.UpgradeRequest;
import io.github.flowupgrade.upgrade.UpgradeResult;
import io.github.flowupgrade.upgrade.UpgradeRun;
import io.github.flowupgrade.upgrade.approval.NoApprovalGate;
import io.github.flowupgrade.upgrade.instance.InstanceDescription;
import io.github.flowupgrade.upgrade.instance.InstanceDescriptions;
import io.github.flowupgrade.upgrade.instance.InstanceRun;
import io.github.flowupgrade.upgrade.instance.InstanceUpgrade;
import io.github.flowupgrade.upgrade.services.StreamingPolicy;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code flowUpgrade} on the agent: the engine's {@link UpgradeOperation} on the step's hosts (or its
 * {@link InstanceUpgrade} on the hosts of an instance description), called as
 * {@code flow upgrade} calls it, with the controller's verdict on the streaming restart as its gate. Nobody can be
 * asked on the agent: the release notes' manual steps must be confirmed by the step's {@code confirmManual}.
 */
final class UpgradeTask extends HostTask {
    private static final long serialVersionUID = 1L;

    /**
     * How the upgrade runs, as the step's parameters give it.
     *
     * @param streaming {@code never}, {@code if-needed} or {@code always}; null for {@code if-needed}
     * @param taskTimeout seconds per upgrade task; 0 for the default
     * @param keepLocalCommits check out even over local commits, keeping them under a ref flow creates
     * @param planOnly read each host's release and report the plan of its range, changing nothing
     * @param backup the database backup before the first migration
     * @param preflight the pre-flight checks, toolchain installs and downtime
     */
    record Settings(
            String streaming,
            boolean confirmManual,
            boolean forceUnlock,
            int taskTimeout,
            ServiceStep.Restarts restarts,
            boolean keepLocalCommits,
            boolean planOnly,
            BackupSettings backup,
            PreflightSettings preflight)
            implements Serializable {}

    private final ReleaseRequest release;
    private final String token;
    private final ApprovalVerdict streamingApproval;
    private final Settings settings;
    /** The instance description (JSON, checked on the controller), or null for the hosts of the step's host. */
    private final String instance;

    UpgradeTask(
            HostTarget target,
            ReleaseRequest release,
            String token,
            ApprovalVerdict streamingApproval,
            Settings settings) {
        this(target, release, token, streamingApproval, settings, null);
    }

    /** @param instance an instance description (JSON): its hosts are upgraded as one instance */
    UpgradeTask(
            HostTarget target,
            ReleaseRequest release,
            String token,
            ApprovalVerdict streamingApproval,
            Settings settings,
            String instance) {
        super(target);
        this.release = release;
        this.token = token;
        this.streamingApproval = streamingApproval;
        this.settings = settings;
        this.instance = instance;
    }

    @Override
    protected Map<String, Object> perform(Console buildLog) {
        return inSession(buildLog, settings.planOnly() ? "upgrade-plan" : "upgrade", release.tag(), token);
    }

    @Override
    Map<String, Object> run(AgentSession session) {
        UpgradeRequest request = new UpgradeRequest(
                session.profile(),
                StreamingPolicy.parse(settings.streaming()),
                settings.confirmManual(),
                build.actor(),
                build.buildUrl(),
                settings.forceUnlock(),
                settings.restarts().timeouts(),
                session.commandTimeout(),
                AgentSession.taskTimeout(settings.taskTimeout()),
                settings.restarts().webActionValue(),
                settings.keepLocalCommits(),
                settings.planOnly(),
                settings.backup().policy(),
                settings.preflight().policy(),
                settings.preflight().allowDowntime());
        ReleaseLookupRequest lookup = FetchReleaseTask.lookupRequest(release, token, Path.of(flowDir));
        if (instance != null) {
            InstanceDescription description = InstanceDescriptions.fromJson(instance);
            InstanceRun run = new InstanceUpgrade(
                            description,
                            session.instance(description),
                            session.audit(),
                            session.console(),
                            session.clock())
                    .run(
                            lookup,
                            request,
                            new InputApprovalGate(streamingApproval, session.console(), session.clock()),
                            new NoApprovalGate());
            session.finishAs(run.succeeded() ? null : new FlowException(ExitCode.of(run.exitCode()), run.error()));
            return run.toMap();
        }
        UpgradeRun run = new UpgradeOperation(
                        session.transports(),
                        login.username(),
                        session.runAs(),
                        session.audit(),
                        session.console(),
                        session.clock())
                .run(
                        host.hosts(),
                        lookup,
                        request,
                        new InputApprovalGate(streamingApproval, session.console(), session.clock()),
                        new NoApprovalGate());
        UpgradeResult failed = run.failed();
        session.finishAs(failed == null ? null : new FlowException(ExitCode.of(failed.exitCode()), failed.error()));
        return run.toMap();
    }
}

package io.github.flowupgrade.jenkins;

import hudson.model.TaskListener;
import io.github.flowupgrade.Console;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.release.Phase;
import io.github.flowupgrade.release.ReleaseLookup;
import io.github.flowupgrade.release.ReleaseLookupResult;
import io.github.flowupgrade.release.UpgradePlan;
import io.github.flowupgrade.remote.Transport;
import io.github.flowupgrade.upgrade.HostAccess;
import io.github.flowupgrade.upgrade.HostLock;
import io.github.flowupgrade.upgrade.NoApprovalGate;
import io.github.flowupgrade.upgrade.RemoteRunner;
import io.github.flowupgrade.upgrade.RequirementCheck;
import io.github.flowupgrade.upgrade.TaskOutcome;
import io.github.flowupgrade.upgrade.UpgradeTasks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code flowRunUpgradeTasks} on the agent: looks up the release range's plan, then on the host checks the minimum
 * versions, requires the manual items to be confirmed, and runs the tasks of one phase ({@code after-checkout}, or
 * {@code after-restart} for post-deployment migrations) with the engine's task runner.
 */
final class UpgradeTasksTask extends AgentTask {
    private static final long serialVersionUID = 1L;

    private final HostRequest host;
    private final SshLogin login;
    private final BuildInfo build;
    private final String flowDir;
    private final ReleaseRequest release;
    private final String token;
    private final String phase;
    private final boolean confirmManual;

    UpgradeTasksTask(
            TaskListener listener,
            HostRequest host,
            SshLogin login,
            BuildInfo build,
            String flowDir,
            ReleaseRequest release,
            String token,
            String phase,
            boolean confirmManual) {
        super(listener);
        this.host = host;
        this.login = login;
        this.build = build;
        this.flowDir = flowDir;
        this.release = release;
        this.token = token;
        this.phase = phase;
        this.confirmManual = confirmManual;
    }

    static Phase phase(String wireName) {
        for (Phase p : Phase.values()) {
            if (p != Phase.BEFORE_CHECKOUT && p.wireName().equals(wireName)) {
                return p;
            }
        }
        throw FlowException.badInput("phase must be after-checkout or after-restart, not " + wireName);
    }

    @Override
    protected Map<String, Object> perform(Console buildLog) {
        Phase taskPhase = phase(phase);
        try (AgentSession session = AgentSession.open(
                host.app(), host, login, build, flowDir, "upgrade-tasks", release.tag(), buildLog, token)) {
            try {
                ReleaseLookupResult lookup = new ReleaseLookup(session.audit(), session.console())
                        .run(FetchReleaseTask.lookupRequest(release, token, Path.of(flowDir)));
                UpgradePlan plan = lookup.plan();
                Map<String, Object> result;
                try (Transport transport = session.transports().open(host.host());
                        HostLock lock = session.lock(transport, "upgrade tasks " + release.tag(), build)) {
                    HostAccess access = new HostAccess(
                            transport,
                            login.username(),
                            session.runAs(),
                            session.profile().dir());
                    RemoteRunner runner = new RemoteRunner(access, session.audit(), session.console());
                    UpgradeTasks tasks = new UpgradeTasks(runner, session.taskTimeout());
                    List<RequirementCheck> requirements = List.of();
                    if (taskPhase == Phase.AFTER_CHECKOUT) {
                        requirements = tasks.checkRequirements(plan.requirements());
                        tasks.confirmManual(plan.manual(), confirmManual, build.actor(), new NoApprovalGate());
                    }
                    List<TaskOutcome> done = new ArrayList<>();
                    tasks.run(release.tag(), taskPhase, plan.tasks(), done);
                    result = resultMap(lookup, requirements, done, transport.executes());
                }
                session.finish(null);
                return result;
            } catch (FlowException e) {
                session.finish(e);
                throw e;
            }
        }
    }

    private Map<String, Object> resultMap(
            ReleaseLookupResult lookup, List<RequirementCheck> requirements, List<TaskOutcome> done, boolean executes) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("host", host.host());
        map.put("tag", release.tag());
        map.put("from", release.from());
        map.put("phase", phase);
        map.put("releases", lookup.releases());
        map.put(
                "requirements",
                requirements.stream()
                        .map(c -> {
                            Map<String, Object> m = new LinkedHashMap<>();
                            m.put("dependency", c.dependency());
                            m.put("required", c.required());
                            m.put("found", c.found());
                            m.put("met", c.met());
                            return (Object) m;
                        })
                        .toList());
        map.put("tasks", done.stream().map(t -> (Object) t.toMap()).toList());
        map.put(
                "manual",
                lookup.plan().manual().stream().map(m -> (Object) m.toMap()).toList());
        map.put("streamingRestart", lookup.plan().streamingRestart());
        map.put("status", executes ? "done" : "planned");
        return map;
    }
}

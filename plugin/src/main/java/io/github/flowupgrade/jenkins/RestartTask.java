package io.github.flowupgrade.jenkins;

import hudson.model.TaskListener;
import io.github.flowupgrade.Console;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.remote.Transport;
import io.github.flowupgrade.upgrade.HostAccess;
import io.github.flowupgrade.upgrade.Restart;
import io.github.flowupgrade.upgrade.RestartResult;
import io.github.flowupgrade.upgrade.RestartTimeouts;
import io.github.flowupgrade.upgrade.StreamingPolicy;
import java.util.List;
import java.util.Map;

/**
 * {@code flowRestartServices} on the agent: the engine's {@link Restart} on one host, called as {@code flow restart}
 * calls it, with the build's recorded {@code input} approvals as the streaming gate ({@link InputApprovalGate}).
 */
final class RestartTask extends AgentTask {
    private static final long serialVersionUID = 1L;

    private final HostRequest host;
    private final SshLogin login;
    private final BuildInfo build;
    private final String flowDir;
    private final RestartRequest request;

    RestartTask(
            TaskListener listener,
            HostRequest host,
            SshLogin login,
            BuildInfo build,
            String flowDir,
            RestartRequest request) {
        super(listener);
        this.host = host;
        this.login = login;
        this.build = build;
        this.flowDir = flowDir;
        this.request = request;
    }

    @Override
    protected Map<String, Object> perform(Console buildLog) {
        try (AgentSession session =
                AgentSession.open(host.app(), host, login, build, flowDir, "restart", null, buildLog)) {
            try {
                io.github.flowupgrade.upgrade.RestartRequest engineRequest = engineRequest(session);
                RestartResult result;
                try (Transport transport = session.transports().open(host.host())) {
                    HostAccess access = new HostAccess(
                            transport,
                            login.username(),
                            session.runAs(),
                            session.profile().dir());
                    result = Restart.run(
                            access,
                            engineRequest,
                            request.gate().on(session.console(), session.clock()),
                            session.audit(),
                            session.console());
                }
                session.finish(null);
                return result.toMap();
            } catch (FlowException e) {
                session.finish(e);
                throw e;
            }
        }
    }

    /** No plan or checkout result reaches this step: {@code if-needed} then restarts nothing of streaming, and says so. */
    io.github.flowupgrade.upgrade.RestartRequest engineRequest(AgentSession session) {
        return new io.github.flowupgrade.upgrade.RestartRequest(
                session.profile(),
                request.roles(),
                StreamingPolicy.parse(request.streaming()),
                null,
                List.of(),
                null,
                RestartTimeouts.defaults());
    }
}

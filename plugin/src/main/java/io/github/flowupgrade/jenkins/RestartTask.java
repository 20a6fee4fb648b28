package io.github.flowupgrade.jenkins;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.host.HostAccess;
import io.github.flowupgrade.remote.Transport;
import io.github.flowupgrade.upgrade.services.Restart;
import io.github.flowupgrade.upgrade.services.StreamingPolicy;
import java.util.List;
import java.util.Map;

/**
 * {@code flowRestartServices} on the agent: the engine's {@link Restart} on one host, called as {@code flow restart}
 * calls it (under the host's lock, taken for the build's user and URL), with the controller's verdict on the streaming
 * restart as its gate ({@link InputApprovalGate}).
 */
final class RestartTask extends HostTask {
    private static final long serialVersionUID = 1L;

    private final RestartRequest request;

    RestartTask(HostTarget target, RestartRequest request) {
        super(target);
        this.request = request;
    }

    @Override
    protected Map<String, Object> perform(Console buildLog) {
        return inSession(buildLog, "restart", null);
    }

    @Override
    Map<String, Object> run(AgentSession session) {
        io.github.flowupgrade.upgrade.services.RestartRequest engineRequest = engineRequest(session);
        try (Transport transport = session.transports().open(host.host())) {
            HostAccess access = new HostAccess(
                    transport,
                    login.username(),
                    session.runAs(),
                    session.profile().dir());
            return Restart.run(
                            access,
                            engineRequest,
                            new Restart.Locking.Own(
                                    build.actor(), build.buildUrl(), request.forceUnlock(), session.clock()),
                            new InputApprovalGate(request.approval(), session.console(), session.clock()),
                            session.audit(),
                            session.console())
                    .toMap();
        }
    }

    /** No plan or checkout result reaches this step: {@code if-needed} then restarts nothing of streaming, and says so. */
    io.github.flowupgrade.upgrade.services.RestartRequest engineRequest(AgentSession session) {
        return new io.github.flowupgrade.upgrade.services.RestartRequest(
                session.profile(),
                request.roles(),
                StreamingPolicy.parse(request.streaming()),
                null,
                List.of(),
                null,
                request.restarts().timeouts(),
                request.restarts().webActionValue());
    }
}

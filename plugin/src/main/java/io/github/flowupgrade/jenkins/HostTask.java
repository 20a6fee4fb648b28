package io.github.flowupgrade.jenkins;

import io.github.flowupgrade.Console;
import java.util.Map;

/**
 * The agent part of a step that works on one host ({@link HostTarget}), run in an {@link AgentSession} whose audit
 * trail records how the run ended.
 */
abstract class HostTask extends AgentTask {
    private static final long serialVersionUID = 1L;

    final HostRequest host;
    final SshLogin login;
    final BuildInfo build;
    final String flowDir;

    HostTask(HostTarget target) {
        super(target.listener());
        this.host = target.host();
        this.login = target.login();
        this.build = target.build();
        this.flowDir = target.flowDir();
    }

    /**
     * Opens the session and runs {@link #run(AgentSession)} in it.
     *
     * @param operation what the audit trail's {@code run.started} names ({@code checkout}, {@code restart}...)
     * @param target the release the run goes to, or null
     * @param secrets further secrets (a GitHub token) to mask
     */
    final Map<String, Object> inSession(Console buildLog, String operation, String target, String... secrets) {
        try (AgentSession session = AgentSession.open(
                host.app(), host, login, build, flowDir, operation, target, buildLog, abortSignal(), secrets)) {
            return session.finishing(() -> run(session));
        }
    }

    /** The engine work on the host, in its session. */
    abstract Map<String, Object> run(AgentSession session);
}

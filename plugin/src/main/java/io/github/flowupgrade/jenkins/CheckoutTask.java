package io.github.flowupgrade.jenkins;

import hudson.model.TaskListener;
import io.github.flowupgrade.Console;
import io.github.flowupgrade.ExitCode;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.upgrade.CheckoutOperation;
import io.github.flowupgrade.upgrade.CheckoutRequest;
import io.github.flowupgrade.upgrade.CheckoutResult;
import java.util.List;
import java.util.Map;

/** {@code flowCheckout} on the agent: the engine's checkout operation on one host, as {@code flow checkout}. */
final class CheckoutTask extends AgentTask {
    private static final long serialVersionUID = 1L;

    private final HostRequest host;
    private final SshLogin login;
    private final BuildInfo build;
    private final String flowDir;
    private final String tag;
    private final String expectCommit;

    CheckoutTask(
            TaskListener listener,
            HostRequest host,
            SshLogin login,
            BuildInfo build,
            String flowDir,
            String tag,
            String expectCommit) {
        super(listener);
        this.host = host;
        this.login = login;
        this.build = build;
        this.flowDir = flowDir;
        this.tag = tag;
        this.expectCommit = expectCommit;
    }

    @Override
    protected Map<String, Object> perform(Console buildLog) {
        try (AgentSession session =
                AgentSession.open(host.app(), host, login, build, flowDir, "checkout", tag, buildLog)) {
            try {
                return checkout(session);
            } catch (FlowException e) {
                session.finish(e);
                throw e;
            }
        }
    }

    private Map<String, Object> checkout(AgentSession session) {
        CheckoutRequest request = checkoutRequest(session);
        CheckoutOperation operation = new CheckoutOperation(
                session.transports(),
                login.username(),
                session.runAs(),
                session.commandTimeout(),
                session.audit(),
                session.console(),
                session.clock());
        CheckoutResult result = operation.run(List.of(host.host()), request, 1).get(0);
        if (!result.succeeded()) {
            throw new FlowException(exitCode(result.exitCode()), result.error());
        }
        session.finish(null);
        return result.toMap();
    }

    CheckoutRequest checkoutRequest(AgentSession session) {
        return new CheckoutRequest(
                session.profile().dir(), tag, expectCommit, false, false, build.actor(), build.buildUrl());
    }

    static ExitCode exitCode(int code) {
        for (ExitCode exitCode : ExitCode.values()) {
            if (exitCode.code() == code) {
                return exitCode;
            }
        }
        return ExitCode.FAILED;
    }
}

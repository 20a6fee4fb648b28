package io.github.flowupgrade.jenkins;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.ExitCode;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.commands.ReleaseTag;
import io.github.flowupgrade.upgrade.checkout.CheckoutOperation;
import io.github.flowupgrade.upgrade.checkout.CheckoutRequest;
import io.github.flowupgrade.upgrade.checkout.CheckoutResult;
import java.util.List;
import java.util.Map;

/** {@code flowCheckout} on the agent: the engine's checkout operation on one host, as {@code flow checkout}. */
final class CheckoutTask extends HostTask {
    private static final long serialVersionUID = 1L;

    private final String tag;
    private final String expectCommit;
    private final boolean rollback;
    private final boolean forceUnlock;
    private final boolean keepLocalCommits;

    CheckoutTask(
            HostTarget target,
            String tag,
            String expectCommit,
            boolean rollback,
            boolean forceUnlock,
            boolean keepLocalCommits) {
        super(target);
        this.tag = tag;
        this.expectCommit = expectCommit;
        this.rollback = rollback;
        this.forceUnlock = forceUnlock;
        this.keepLocalCommits = keepLocalCommits;
    }

    @Override
    protected Map<String, Object> perform(Console buildLog) {
        return inSession(buildLog, rollback ? "rollback" : "checkout", tag);
    }

    @Override
    Map<String, Object> run(AgentSession session) {
        CheckoutOperation operation = new CheckoutOperation(
                session.transports(),
                login.username(),
                session.runAs(),
                session.commandTimeout(),
                session.audit(),
                session.console(),
                session.clock());
        CheckoutResult result =
                operation.run(List.of(host.host()), checkoutRequest(session), 1).get(0);
        if (!result.succeeded()) {
            throw new FlowException(ExitCode.of(result.exitCode()), result.error());
        }
        return result.toMap();
    }

    CheckoutRequest checkoutRequest(AgentSession session) {
        return new CheckoutRequest(
                session.profile().dir(),
                ReleaseTag.ofNullable(tag),
                expectCommit,
                rollback,
                forceUnlock,
                build.actor(),
                build.buildUrl(),
                keepLocalCommits);
    }
}

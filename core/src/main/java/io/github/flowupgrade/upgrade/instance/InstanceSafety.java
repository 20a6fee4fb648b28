package io.github.flowupgrade.upgrade.instance;

import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.Option;
import io.github.flowupgrade.commands.ReleaseTag;
import io.github.flowupgrade.upgrade.UpgradePath;
import io.github.flowupgrade.upgrade.UpgradeRequest;
import io.github.flowupgrade.upgrade.preflight.Preflight;
import io.github.flowupgrade.upgrade.preflight.PreflightReport;
import io.github.flowupgrade.upgrade.preflight.RubyInstall;
import java.time.Clock;

/**
 * What an instance's upgrade checks before it changes a host, as a single host's upgrade does: the hops the notes allow
 * no rolling update for, each host's pre-flight checks (memory, disk, Ruby, Node.js, settings) read with its lock, the
 * Ruby they planned to install, and the migrations each hop will run, read on the migration host.
 */
final class InstanceSafety {
    static final String ROLLING_STEP = "check rolling updates";

    private final UpgradeRequest request;
    private final Clock clock;

    InstanceSafety(UpgradeRequest request, Clock clock) {
        this.request = request;
        this.clock = clock;
    }

    /**
     * Why the instance cannot go along {@code path}, or null: a hop whose notes allow no rolling update, with no release
     * in the range to go through first. flow stops the site for the migrations on a single host only; on an instance
     * it would have to stop and start every host's units around one host's migrations, which it does not do.
     */
    static FlowException rollingRefusal(String instance, UpgradePath path) {
        StringBuilder crossings = new StringBuilder();
        for (UpgradePath.Hop hop : path.hops()) {
            if (hop.downtime() != null) {
                crossings
                        .append("\n  ")
                        .append(hop.tag().name())
                        .append(": ")
                        .append(hop.downtime().describe());
            }
        }
        if (crossings.isEmpty()) {
            return null;
        }
        return FlowException.refused("a rolling upgrade of instance " + instance + " is not supported by the release"
                + " notes, and no release in the range can be the hop they recommend first:" + crossings
                + "\nNothing was changed. " + Option.ALLOW_DOWNTIME.set() + " stops the site of a single host only:"
                + " for an instance, upgrade to the release the notes recommend first (give it as the target), or stop"
                + " web, sidekiq and streaming on every host and upgrade as the notes say.");
    }

    /**
     * The lock and the pre-flight checks of one host, in one round trip: the lock stays with {@code member} (also when
     * a check fails, for the caller to release).
     *
     * @return the checks' failure, or null when every check passed or only warned
     * @throws FlowException when the lock could not be taken (another run holds it)
     */
    FlowException lockAndCheck(InstanceMember member, UpgradePath path, String holder) {
        Preflight.Outcome outcome = new Preflight(member.shell, request.preflight())
                .run(path.preflightRequest(holder, request.forceUnlock(), Preflight.LockUse.TAKE, null));
        member.lock = outcome.lock();
        member.preflight = outcome.report();
        return outcome.failure();
    }

    /**
     * The checks of one host for a plan: the lock is taken and given back in the same round trip, and the target's
     * pending migrations are read there when {@code previewHere}.
     *
     * @return why the upgrade would be refused on that host, or null
     */
    FlowException planChecks(InstanceMember member, UpgradePath path, String holder, boolean previewHere) {
        ReleaseTag preview = previewHere && path.migrates()
                ? path.hops().get(path.hops().size() - 1).tag()
                : null;
        try {
            Preflight.Outcome outcome = new Preflight(member.shell, request.preflight())
                    .run(path.preflightRequest(holder, false, Preflight.LockUse.BRIEF, preview));
            member.preflight = outcome.report();
            if (outcome.preview() != null) {
                member.previews.add(outcome.preview());
            }
            return outcome.failure();
        } catch (FlowException e) {
            return e;
        }
    }

    /** The Rubies the pre-flight planned to install on {@code member}; returns the one-line detail of the step. */
    String installRuby(InstanceMember member, PreflightReport.RubyNeed need) {
        return new RubyInstall(member.shell, request.taskTimeout(), clock).install(need, member.taskOutcomes);
    }
}

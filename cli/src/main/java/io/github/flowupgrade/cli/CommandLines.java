package io.github.flowupgrade.cli;

import io.github.flowupgrade.commands.Shell;
import io.github.flowupgrade.upgrade.UpgradeResult;
import io.github.flowupgrade.upgrade.UpgradeRun;
import io.github.flowupgrade.upgrade.instance.InstanceRun;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Command lines shown to the user to resume, roll back or approve later. They repeat the options this run was given,
 * as typed, so the next run looks the release up on the same server, reaches the host the same way and decides the
 * same way; they carry no secret, since keys, passphrases and tokens are only ever named by file or variable.
 */
final class CommandLines {
    /** Options that name the hosts or a one-off of this run; each line sets its own. */
    private static final Set<String> PER_RUN = Set.of("--host", "--from", "--force-unlock", "--dry-run");

    private CommandLines() {}

    /**
     * What the user can do after an upgrade, as sentences with command lines: approve the streaming restarts left
     * pending, and after a failure resume, upgrade the hosts not reached, or roll the code back.
     */
    static List<String> nextSteps(CommandSpec upgrade, UpgradeRun run) {
        List<String> lines = new ArrayList<>();
        run.hosts().stream()
                .filter(host -> host.streaming() != null && host.streaming().pending())
                .forEach(host -> lines.add("Once the streaming restart on " + host.host() + " is approved, run: "
                        + approveStreaming(upgrade, host.host())));
        UpgradeResult failed = run.failed();
        if (failed == null) {
            return lines;
        }
        lines.add("To resume (completed steps are safe to repeat): " + resume(upgrade, failed.resume(), failed.host()));
        if (!run.notRun().isEmpty()) {
            lines.add("Then the hosts not reached: " + remaining(upgrade, run.notRun()));
        }
        if (failed.rollbackTo() != null) {
            lines.add("To roll the code back to " + failed.rollbackTo() + " instead: "
                    + checkout(upgrade, failed.host(), failed.rollbackTo())
                    + ", then restart the services (database migrations that ran are not undone)");
        }
        return lines;
    }

    /**
     * What the user can do after the upgrade of an instance: approve its streaming restart, and after a failure resume
     * the whole instance (the same description, from the release it ran before) or roll the code back.
     */
    static List<String> nextSteps(CommandSpec upgrade, InstanceRun run) {
        List<String> lines = new ArrayList<>();
        String name = run.instance().name();
        if (run.streaming() != null && run.streaming().pending()) {
            // Already on the target: no hop, so the run only takes the locks, restarts streaming and unlocks.
            List<String> words = given(upgrade, null, STREAMING_CHOICE);
            words.addAll(List.of("--from", run.target(), "--streaming", "always", "--approved-by", "NAME"));
            lines.add(
                    "Once the streaming restart of instance " + name + " is approved, run: " + line("upgrade", words));
        }
        if (run.succeeded() || run.resume() == null) {
            // A plan that would be refused has nothing to resume: its message says what to fix.
            return lines;
        }
        List<String> words = given(upgrade, null);
        if (run.resume().from() != null) {
            words.addAll(List.of("--from", run.resume().from()));
        }
        if (run.resume().forceUnlock()) {
            words.add("--force-unlock");
        }
        lines.add("To resume instance " + name + " (completed steps are safe to repeat): " + line("upgrade", words));
        if (run.rollbackTo() != null) {
            lines.add("To roll the code back to " + run.rollbackTo() + " instead: check " + run.rollbackTo()
                    + " out on each host of the instance ("
                    + String.join(", ", run.instance().labels())
                    + ") with flow checkout, then restart their services (no migration had started)");
        }
        return lines;
    }

    /** Options a line that restarts streaming sets itself. */
    private static final Set<String> STREAMING_CHOICE = Set.of("--streaming", "--approved-by", "--no-prompt");

    /** Runs {@code flow upgrade} again on the host that stopped, from where it stopped. */
    private static String resume(CommandSpec upgrade, UpgradeResult.Resume resume, String host) {
        List<String> words = given(upgrade, null);
        words.addAll(List.of("--host", host));
        if (resume.from() != null) {
            words.addAll(List.of("--from", resume.from()));
        }
        if (resume.forceUnlock()) {
            words.add("--force-unlock");
        }
        return line("upgrade", words);
    }

    /** Upgrades the hosts a stopped run never reached; each reads the release it runs. */
    private static String remaining(CommandSpec upgrade, List<String> hosts) {
        List<String> words = given(upgrade, null);
        for (String host : hosts) {
            words.addAll(List.of("--host", host));
        }
        return line("upgrade", words);
    }

    /** Checks {@code tag} out again on the host: the code goes back, nothing else does. */
    private static String checkout(CommandSpec run, String host, String tag) {
        List<String> words = given(run, connectionOptions(run));
        words.addAll(List.of("--host", host, "--tag", tag));
        return line("checkout", words);
    }

    /** Restarts streaming alone on the host once a human approved. */
    static String approveStreaming(CommandSpec run, String host) {
        List<String> words = given(run, connectionOptions(run));
        words.addAll(List.of("--host", host, "--services", "none", "--streaming", "always", "--approved-by", "NAME"));
        return line("restart", words);
    }

    /**
     * The options the user gave {@code run}, as typed, without the per-run ones; only those in {@code kept} when it is
     * not null.
     */
    private static List<String> given(CommandSpec run, Set<String> kept) {
        return given(run, kept, Set.of());
    }

    /** {@link #given(CommandSpec, Set)}, leaving out the options in {@code dropped} as well. */
    private static List<String> given(CommandSpec run, Set<String> kept, Set<String> dropped) {
        List<String> words = new ArrayList<>();
        Set<OptionSpec> seen =
                new LinkedHashSet<>(run.commandLine().getParseResult().matchedOptions());
        for (OptionSpec option : seen) {
            String name = option.longestName();
            if (PER_RUN.contains(name) || dropped.contains(name) || (kept != null && !kept.contains(name))) {
                continue;
            }
            if (option.arity().max() == 0) {
                words.add(name);
                continue;
            }
            for (String value : option.originalStringValues()) {
                words.add(name);
                words.add(value);
            }
        }
        return words;
    }

    /** How a run reaches its hosts and records itself: what a follow-up on another subcommand must repeat. */
    private static Set<String> connectionOptions(CommandSpec run) {
        Set<String> names = new LinkedHashSet<>();
        for (String mixin : List.of("connection", "audit")) {
            CommandSpec spec = run.mixins().get(mixin);
            if (spec != null) {
                spec.options().forEach(o -> names.add(o.longestName()));
            }
        }
        names.remove("--parallel");
        return names;
    }

    private static String line(String subcommand, List<String> words) {
        return "flow " + subcommand + " " + Shell.join(words);
    }
}

package io.github.flowupgrade.upgrade.preflight;

import io.github.flowupgrade.Option;
import io.github.flowupgrade.audit.AuditEvents;
import io.github.flowupgrade.commands.AppToolchain;
import io.github.flowupgrade.commands.Command;
import io.github.flowupgrade.host.HostShell;
import io.github.flowupgrade.remote.ExecResult;
import io.github.flowupgrade.remote.OutputSink;
import io.github.flowupgrade.upgrade.tasks.DetachedTask;
import io.github.flowupgrade.upgrade.tasks.TaskOutcome;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Installs a Ruby a release's {@code .ruby-version} names for the application user, as the release notes say to:
 * update ruby-build (a git checkout in rbenv's plugins, as Mastodon's guide installs it), so that it knows the new
 * version, then {@code RUBY_CONFIGURE_OPTS=--with-jemalloc rbenv install}. It runs only when the pre-flight found the
 * version missing and the policy allows tasks that install toolchains; before the backup and the checkout, so a
 * failure leaves the host's release as it was. Compiling Ruby takes minutes: the task runs detached, under the task
 * time limit.
 */
public final class RubyInstall {
    /** The phase a toolchain task shows in the result and the audit trail. */
    public static final String PHASE = "toolchain";

    private final HostShell shell;
    private final Duration timeout;
    private final Clock clock;

    public RubyInstall(HostShell shell, Duration timeout, Clock clock) {
        this.shell = shell;
        this.timeout = timeout;
        this.clock = clock;
    }

    public static String step(String version) {
        return "install Ruby " + version;
    }

    /**
     * The command, before it is wrapped for the application user: ruby-build updated, then the install, in the
     * application directory like every task.
     */
    public static Command command(String version, String appDir) {
        if (!RubyCheck.INSTALLABLE.matcher(version).matches()) {
            throw new IllegalArgumentException("not a Ruby version: " + version);
        }
        Command update = AppToolchain.onPath(Command.of(
                "sh",
                "-c",
                "d=\"$(rbenv root)/plugins/ruby-build\"; if [ -d \"$d/.git\" ]; then git -C \"$d\" pull --ff-only;"
                        + " else echo \"ruby-build is not a git checkout in $d: not updated\"; fi"));
        Command install = AppToolchain.onPath(Command.of("rbenv", "install", "--skip-existing", version)
                .withEnv(Map.of("RUBY_CONFIGURE_OPTS", "--with-jemalloc")));
        return update.and(install).in(appDir);
    }

    /**
     * Runs it; a failure stops the run (exit 4) before anything else changed.
     *
     * @param hop the first hop whose release names this version
     */
    public TaskOutcome run(String version, String hop) {
        Command command = command(version, shell.access().appDir());
        String shown = "rbenv install " + version;
        Map<String, Object> started = new LinkedHashMap<>();
        started.put("host", shell.host());
        started.put("hop", hop);
        started.put("phase", PHASE);
        started.put("command", shown);
        started.put("releases", List.of(hop));
        started.put("allowedBy", Option.ALLOW_TOOLCHAIN_INSTALL.neutral());
        shell.audit().record(AuditEvents.TASK_STARTED, started);
        shell.console()
                .info("[" + shell.host() + "] " + PHASE + ": update ruby-build, then " + shown + " (.ruby-version of "
                        + hop + ")");
        DetachedTask task = new DetachedTask(shell, clock);
        ExecResult result = task.run(task.newId("rbenv-install"), command, null, timeout, OutputSink.discard());
        String status = !shell.executes() ? "planned" : result.succeeded() ? "done" : "failed";
        Map<String, Object> completed = new LinkedHashMap<>(started);
        completed.put("status", status);
        completed.put("exitCode", result.exitCode());
        completed.put("durationMs", result.durationMs());
        shell.audit().record(AuditEvents.TASK_COMPLETED, completed);
        TaskOutcome outcome =
                new TaskOutcome(hop, PHASE, shown, List.of(hop), status, result.exitCode(), result.durationMs());
        if ("failed".equals(status)) {
            throw new Failed(
                    shell.failure(
                            "installing Ruby " + version + " (" + PHASE + ", " + hop + ")",
                            command,
                            result,
                            Option.TASK_TIMEOUT,
                            timeout),
                    outcome);
        }
        return outcome;
    }

    /**
     * Runs the install {@code need} names, its outcome added to {@code outcomes} whether it succeeds or fails.
     *
     * @return the step's one-line detail
     */
    public String install(PreflightReport.RubyNeed need, List<TaskOutcome> outcomes) {
        try {
            outcomes.add(run(need.version(), need.hop()));
        } catch (Failed e) {
            outcomes.add(e.outcome());
            throw e;
        }
        return "rbenv install " + need.version() + " (ruby-build updated first)";
    }

    /** A failed install, with its outcome for the run's report. */
    public static final class Failed extends io.github.flowupgrade.FlowException {
        private final transient TaskOutcome outcome;

        Failed(io.github.flowupgrade.FlowException cause, TaskOutcome outcome) {
            super(
                    cause.exitCode(),
                    cause.getMessage() + "\nNothing else was changed: the host still runs its release.",
                    cause);
            this.outcome = outcome;
        }

        public TaskOutcome outcome() {
            return outcome;
        }
    }
}

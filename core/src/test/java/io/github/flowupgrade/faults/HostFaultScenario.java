package io.github.flowupgrade.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.flowupgrade.Console;
import io.github.flowupgrade.ExitCode;
import io.github.flowupgrade.app.AppProfile;
import io.github.flowupgrade.audit.AuditEvents;
import io.github.flowupgrade.commands.Command;
import io.github.flowupgrade.commands.ReleaseTag;
import io.github.flowupgrade.commands.RunAs;
import io.github.flowupgrade.host.HostAccess;
import io.github.flowupgrade.host.HostShell;
import io.github.flowupgrade.release.PlanTask;
import io.github.flowupgrade.release.Requirements;
import io.github.flowupgrade.release.TaskKind;
import io.github.flowupgrade.release.UpgradePlan;
import io.github.flowupgrade.remote.ConnectionSettings;
import io.github.flowupgrade.remote.ExecResult;
import io.github.flowupgrade.remote.HostKeyPolicy;
import io.github.flowupgrade.remote.OutputSink;
import io.github.flowupgrade.remote.SshIdentity;
import io.github.flowupgrade.remote.SshTarget;
import io.github.flowupgrade.remote.SshTransport;
import io.github.flowupgrade.remote.Transport;
import io.github.flowupgrade.testing.RecordingAuditLog;
import io.github.flowupgrade.testing.TestHostInfo;
import io.github.flowupgrade.upgrade.Upgrade;
import io.github.flowupgrade.upgrade.UpgradePath;
import io.github.flowupgrade.upgrade.UpgradeRequest;
import io.github.flowupgrade.upgrade.UpgradeResult;
import io.github.flowupgrade.upgrade.approval.NoApprovalGate;
import io.github.flowupgrade.upgrade.services.RestartTimeouts;
import io.github.flowupgrade.upgrade.services.StreamingPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Fault scenarios against the test host, run as a child JVM inside the host's network namespace by
 * {@link HostFaultsTest} (a socket into the namespace can only come from a process inside it). Each scenario runs the
 * engine's upgrade v4.2.0 to v4.2.1 (sidekiq restart, web reload) with a fault injected at a named command, asserts the
 * fault row's outcome and exits 0, or exits 1 with the failed assertion.
 *
 * <p>Usage: {@code HostFaultScenario drop-during-restart|drop-during-task|sshd-restart-between-steps TESTHOST_JSON
 * TESTHOST_SCRIPT}
 */
public final class HostFaultScenario {
    private HostFaultScenario() {}

    public static void main(String[] args) throws Exception {
        TestHostInfo info = new ObjectMapper()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .readValue(Path.of(args[1]).toFile(), TestHostInfo.class);
        String script = args[2];
        try {
            switch (args[0]) {
                case "drop-during-restart" -> dropDuringRestart(info, script);
                case "sshd-restart-between-steps" -> sshdRestartBetweenSteps(info, script);
                case "drop-during-task" -> dropDuringTask(info, script);
                case "web-fails-with-the-unlock-sent-along" -> webFailsWithTheUnlockSentAlong(info, script);
                default -> throw new IllegalArgumentException(args[0]);
            }
            System.out.println("scenario " + args[0] + ": ok");
            System.exit(0);
        } catch (AssertionError | RuntimeException e) {
            e.printStackTrace(System.out);
            System.exit(1);
        }
    }

    /** The SSH connection dies while {@code systemctl restart mastodon-sidekiq} runs; then a resumed run finishes. */
    static void dropDuringRestart(TestHostInfo info, String script) throws Exception {
        RecordingAuditLog audit = new RecordingAuditLog();
        // As the restart is sent, this run's sshd session dies inside the container (as when the link drops).
        UpgradeResult failed = upgrade(info, audit, false, "systemctl restart mastodon-sidekiq", () -> {
            enter(script, info, "pkill -KILL -f '^sshd: root@notty'");
            sleep(300);
        });

        assertThat(failed.exitCode()).as(failed.error()).isEqualTo(ExitCode.NETWORK.code());
        assertThat(failed.error())
                .contains("was lost while running")
                .contains("systemctl restart mastodon-sidekiq")
                .contains("force-unlock");
        assertThat(failed.steps())
                .anySatisfy(s -> assertThat(s.name() + " " + s.status()).startsWith("checkout v4.2.1 done"));
        assertThat(failed.rollbackTo())
                .as("no migration ran: the code may go back")
                .isEqualTo("v4.2.0");
        String head = enter(script, info, "runuser -u mastodon -- git -C " + info.appDir() + " rev-parse HEAD")
                .strip();
        assertThat(head).as("the host is on the release commit").isEqualTo(commit(info, "v4.2.1"));
        assertThat(enter(script, info, "cat /home/mastodon/.flow-upgrade/lock/holder"))
                .as("the lock stays, explained")
                .contains("scenario@faults");
        assertThat(audit.ofType(AuditEvents.COMMAND))
                .anySatisfy(e -> assertThat(String.valueOf(e.fields()))
                        .contains("systemctl restart mastodon-sidekiq")
                        .contains("error="));

        RecordingAuditLog resumedAudit = new RecordingAuditLog();
        UpgradeResult resumed = upgrade(info, resumedAudit, true, null, null);
        assertThat(resumed.status()).as(resumed.error()).isEqualTo(UpgradeResult.UPGRADED);
        assertThat(resumedAudit.types()).contains(AuditEvents.LOCK_FORCED);
        assertThat(enter(script, info, "systemctl is-active mastodon-sidekiq mastodon-web"))
                .isEqualTo("active\nactive\n");
    }

    /** The SSH connection dies as the after-checkout task {@code bundle install} is sent; a resumed run finishes. */
    static void dropDuringTask(TestHostInfo info, String script) throws Exception {
        UpgradePlan withTask = new UpgradePlan(
                false,
                Requirements.none(),
                List.of(new PlanTask(TaskKind.BUNDLE_INSTALL, "bundle install", List.of("v4.2.1"))),
                List.of(),
                List.of(),
                List.of(),
                List.of());
        // A stand-in for bundle on the host, for the resumed run; removed at the end.
        enter(
                script,
                info,
                "printf '#!/bin/sh\\necho \"bundle $*: ok\"\\n' > /usr/local/bin/bundle && chmod 755"
                        + " /usr/local/bin/bundle");
        try {
            RecordingAuditLog audit = new RecordingAuditLog();
            UpgradeResult failed = upgrade(info, audit, false, withTask, "bundle install", () -> {
                enter(script, info, "pkill -KILL -f '^sshd: root@notty'");
                sleep(300);
            });

            assertThat(failed.exitCode()).as(failed.error()).isEqualTo(ExitCode.NETWORK.code());
            assertThat(failed.error())
                    .contains("was lost while running")
                    .contains("bundle install")
                    .contains("force-unlock");
            assertThat(failed.steps())
                    .anySatisfy(s -> assertThat(s.name() + " " + s.status()).startsWith("checkout v4.2.1 done"))
                    .anySatisfy(s -> assertThat(s.name() + " " + s.status())
                            .startsWith("after-checkout tasks for v4.2.1 failed"));
            assertThat(enter(script, info, "runuser -u mastodon -- git -C " + info.appDir() + " rev-parse HEAD")
                            .strip())
                    .isEqualTo(commit(info, "v4.2.1"));
            assertThat(enter(script, info, "cat /home/mastodon/.flow-upgrade/lock/holder"))
                    .contains("scenario@faults");
            assertThat(audit.types()).contains(AuditEvents.TASK_STARTED);

            RecordingAuditLog resumedAudit = new RecordingAuditLog();
            UpgradeResult resumed = upgrade(info, resumedAudit, true, withTask, null, null);
            assertThat(resumed.status()).as(resumed.error()).isEqualTo(UpgradeResult.UPGRADED);
            assertThat(resumedAudit.types()).contains(AuditEvents.LOCK_FORCED, AuditEvents.TASK_COMPLETED);
        } finally {
            enter(script, info, "rm -f /usr/local/bin/bundle");
        }
    }

    /** sshd is restarted between two steps: the run's connection survives and the upgrade completes. */
    static void sshdRestartBetweenSteps(TestHostInfo info, String script) throws Exception {
        RecordingAuditLog audit = new RecordingAuditLog();
        String sshdBefore =
                enter(script, info, "systemctl show -p MainPID --value ssh").strip();
        UpgradeResult result = upgrade(
                info,
                audit,
                false,
                "systemctl restart mastodon-sidekiq",
                () -> enter(script, info, "systemctl restart ssh"));
        String sshdAfter =
                enter(script, info, "systemctl show -p MainPID --value ssh").strip();

        assertThat(sshdAfter).as("sshd really restarted").isNotEqualTo(sshdBefore);
        assertThat(result.status()).as(result.error()).isEqualTo(UpgradeResult.UPGRADED);
        assertThat(enter(script, info, "runuser -u mastodon -- git -C " + info.appDir() + " rev-parse HEAD")
                        .strip())
                .isEqualTo(commit(info, "v4.2.1"));
        assertThat(enter(script, info, "test -e /home/mastodon/.flow-upgrade/lock && echo held || echo free"))
                .isEqualTo("free\n");
        assertThat(audit.types()).contains(AuditEvents.LOCK_RELEASED).doesNotContain(AuditEvents.CHECKOUT_FAILED);
        // Nothing followed web's reload (streaming never, no tasks): the unlock went with web's commands.
        assertThat(result.steps())
                .anySatisfy(s ->
                        assertThat(s.name() + ": " + s.detail()).isEqualTo("unlock: released with web's commands"));
        assertThat(audit.ofType(AuditEvents.COMMAND)
                        .get(audit.ofType(AuditEvents.COMMAND).size() - 1)
                        .fields())
                .hasEntrySatisfying(
                        "command", c -> assertThat((String) c).contains("rmdir /home/mastodon/.flow-upgrade/lock"))
                .containsKey("batch");
    }

    /**
     * Web does not come back from its reload, and nothing was to follow it (streaming never, no tasks), so the unlock
     * travelled with web's commands: the run fails (exit 4) and says the lock was released, and it is.
     */
    static void webFailsWithTheUnlockSentAlong(TestHostInfo info, String script) throws Exception {
        String dropIn = "/run/systemd/system/mastodon-web.service.d/zz-flow-test-break.conf";
        enter(
                script,
                info,
                "mkdir -p /run/systemd/system/mastodon-web.service.d && printf '%s\\n' '[Service]' 'ExecReload='"
                        + " 'ExecReload=/bin/kill -TERM $MAINPID' 'Restart=no' > " + dropIn
                        + " && systemctl daemon-reload");
        try {
            RecordingAuditLog audit = new RecordingAuditLog();
            UpgradeResult result = upgrade(info, audit, false, UpgradePlan.empty(), null, null, Duration.ofSeconds(3));
            assertThat(result.status()).isEqualTo(UpgradeResult.FAILED);
            assertThat(result.exitCode()).isEqualTo(4);
            assertThat(result.error()).contains("mastodon-web did not come back after systemctl reload");
            assertThat(result.steps())
                    .anySatisfy(s -> assertThat(s.name() + " " + s.status()).isEqualTo("reload web for v4.2.1 failed"))
                    .anySatisfy(s -> assertThat(s.name() + " " + s.status() + ": " + s.detail())
                            .isEqualTo("unlock done: released with web's commands"));
            assertThat(enter(script, info, "test -e /home/mastodon/.flow-upgrade/lock && echo held || echo free"))
                    .isEqualTo("free\n");
            assertThat(audit.types()).contains(AuditEvents.LOCK_RELEASED);
        } finally {
            enter(
                    script,
                    info,
                    "rm -f " + dropIn + "; systemctl daemon-reload; systemctl reset-failed mastodon-web;"
                            + " systemctl start mastodon-web");
        }
    }

    private static UpgradeResult upgrade(
            TestHostInfo info, RecordingAuditLog audit, boolean forceUnlock, String trigger, Runnable fault) {
        return upgrade(info, audit, forceUnlock, UpgradePlan.empty(), trigger, fault);
    }

    private static UpgradeResult upgrade(
            TestHostInfo info,
            RecordingAuditLog audit,
            boolean forceUnlock,
            UpgradePlan plan,
            String trigger,
            Runnable fault) {
        return upgrade(info, audit, forceUnlock, plan, trigger, fault, Duration.ofSeconds(30));
    }

    private static UpgradeResult upgrade(
            TestHostInfo info,
            RecordingAuditLog audit,
            boolean forceUnlock,
            UpgradePlan plan,
            String trigger,
            Runnable fault,
            Duration comeBack) {
        ConnectionSettings settings = new ConnectionSettings(
                SshIdentity.fromFile(info.clientKey(), null), new HostKeyPolicy.KnownHosts(info.knownHosts()));
        try (Transport ssh = SshTransport.connect(
                new SshTarget(info.sshHost(), info.sshPort(), "root"), settings, Console.silent())) {
            Transport transport = trigger == null ? ssh : new FaultAt(ssh, trigger, fault);
            HostAccess access = new HostAccess(transport, "root", RunAs.of("su", info.appUser()), info.appDir());
            UpgradeRequest request = new UpgradeRequest(
                    AppProfile.mastodon(),
                    StreamingPolicy.NEVER,
                    true,
                    "scenario@faults",
                    null,
                    forceUnlock,
                    RestartTimeouts.defaults().withComeBack(comeBack),
                    Duration.ofSeconds(60),
                    Duration.ofSeconds(60));
            UpgradePath path = new UpgradePath(
                    "v4.2.0",
                    "v4.2.1",
                    null,
                    List.of("v4.2.1"),
                    plan,
                    List.of(new UpgradePath.Hop(
                            ReleaseTag.of("v4.2.1"), commit(info, "v4.2.1"), List.of("v4.2.1"), plan)));
            HostShell shell = new HostShell(access, request.commandTimeout(), audit, Console.silent());
            return new Upgrade(shell, request, Clock.systemUTC()).run(path, new NoApprovalGate(), new NoApprovalGate());
        }
    }

    private static String commit(TestHostInfo info, String tag) {
        return info.tags().stream()
                .filter(t -> t.name().equals(tag))
                .findFirst()
                .orElseThrow()
                .commit();
    }

    /** Runs a shell line as root inside the container (no SSH) and returns its output. */
    static String enter(String script, TestHostInfo info, String line) {
        try {
            Process process = new ProcessBuilder(script, "enter", "--name", info.name(), "--", "sh", "-c", line)
                    .redirectErrorStream(true)
                    .start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(60, TimeUnit.SECONDS);
            return out;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs {@code fault} once, just before the first command containing {@code trigger} is sent. */
    private static final class FaultAt implements Transport {
        private final Transport delegate;
        private final String trigger;
        private final Runnable fault;
        private final AtomicBoolean fired = new AtomicBoolean();

        FaultAt(Transport delegate, String trigger, Runnable fault) {
            this.delegate = delegate;
            this.trigger = trigger;
            this.fault = fault;
        }

        @Override
        public String host() {
            return delegate.host();
        }

        @Override
        public boolean executes() {
            return delegate.executes();
        }

        @Override
        public ExecResult run(Command command, OutputSink sink, Duration timeout) {
            if (command.line().contains(trigger) && fired.compareAndSet(false, true)) {
                fault.run();
            }
            return delegate.run(command, sink, timeout);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}

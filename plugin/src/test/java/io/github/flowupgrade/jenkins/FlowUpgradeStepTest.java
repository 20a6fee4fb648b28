package io.github.flowupgrade.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.AbortException;
import io.github.flowupgrade.Option;
import io.github.flowupgrade.upgrade.UpgradeResult;
import io.github.flowupgrade.upgrade.UpgradeRun;
import io.github.flowupgrade.upgrade.backup.BackupPolicy;
import io.github.flowupgrade.upgrade.preflight.PreflightPolicy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code flowUpgrade}'s parameters as the agent receives them, and what the step tells the Pipeline author, in step
 * parameters, when a host is left pending or stops.
 */
class FlowUpgradeStepTest {
    @BeforeAll
    static void stepSpelling() {
        StepParameterNames.install();
    }

    @Test
    void carriesTheCliOptionsOfFlowUpgrade() throws Exception {
        FlowUpgradeStep step = new FlowUpgradeStep(" web1.example, web2.example ", "mastodon-ssh", " v4.5.2 ");
        step.setFrom("v4.3.1");
        step.setRepo("mastodon/mastodon");
        step.setIncludePrereleases(true);
        step.setSingleHop(true);
        step.setGitUrl("https://github.com/mastodon/mastodon.git");
        step.setConfirmManual(true);
        step.setForceUnlock(true);
        step.setTaskTimeout(7200);
        step.setStreaming("always");
        step.setWebAction("restart");
        step.setHealthTimeout(90);
        step.setSettle(20);
        step.setBackupDir("/var/backups/mastodon/");
        step.setBackupShip("rsync \"$FLOW_BACKUP\" vault:/srv/dumps/");
        step.setPreflightWarn(" memory, config ");
        step.setAssetsMemory(4096);
        step.setMinFreeDisk(1024);
        step.setAllowToolchainInstall(true);
        step.setAllowDowntime(true);

        assertThat(step.hostRequest().hosts()).containsExactly("web1.example", "web2.example");
        assertThat(step.takesSeveralHosts()).isTrue();
        assertThat(step.releaseRequest())
                .isEqualTo(new ReleaseRequest(
                        "mastodon",
                        "mastodon/mastodon",
                        "v4.5.2",
                        "v4.3.1",
                        null,
                        true,
                        true,
                        "https://github.com/mastodon/mastodon.git"));
        assertThat(step.settings())
                .isEqualTo(new UpgradeTask.Settings(
                        "always",
                        true,
                        true,
                        7200,
                        new ServiceStep.Restarts("restart", 90, 20),
                        false,
                        false,
                        new BackupSettings(true, "/var/backups/mastodon/", "rsync \"$FLOW_BACKUP\" vault:/srv/dumps/"),
                        new PreflightSettings("memory, config", 4096, 1024, true, true)));
        assertThat(step.settings().backup().policy().dirFor("/home/mastodon/live"))
                .isEqualTo("/var/backups/mastodon");
        // As flow upgrade --preflight-warn memory,config --assets-memory 4096 --min-free-disk 1024
        // --allow-toolchain-install --allow-downtime gives them to the engine.
        assertThat(step.settings().preflight().policy())
                .isEqualTo(new PreflightPolicy(4096, 1024, Set.of("memory", "config"), true));
        assertThat(step.settings().preflight().allowDowntime()).isTrue();
    }

    @Test
    void defaultsAreFlowUpgradesDefaults() throws Exception {
        FlowUpgradeStep step = new FlowUpgradeStep("social.example", "mastodon-ssh", "v4.5.2");

        UpgradeTask.Settings settings = step.settings();
        assertThat(settings.streaming()).isNull();
        assertThat(settings.confirmManual()).isFalse();
        assertThat(settings.taskTimeout()).isZero();
        assertThat(AgentSession.taskTimeout(settings.taskTimeout())).hasSeconds(3600);
        assertThat(settings.restarts()).isEqualTo(new ServiceStep.Restarts(null, 60, 0));
        assertThat(settings.restarts().webActionValue().verb()).isEqualTo("reload");
        assertThat(step.getStreamingApprovalInput()).isEqualTo("RestartStreaming");
        assertThat(settings.planOnly()).isFalse();
        assertThat(settings.backup().policy()).isEqualTo(BackupPolicy.defaults());
        assertThat(settings.preflight().policy()).isEqualTo(PreflightPolicy.defaults());
        assertThat(settings.preflight().allowDowntime()).isFalse();
        step.setPlanOnly(true);
        assertThat(step.settings().planOnly()).isTrue();
    }

    @Test
    void badValuesFailTheStepBeforeAnythingIsSent() {
        FlowUpgradeStep noTag = new FlowUpgradeStep("social.example", "mastodon-ssh", " ");
        assertThatThrownBy(noTag::settings).isInstanceOf(AbortException.class).hasMessage("tag is required.");

        FlowUpgradeStep step = new FlowUpgradeStep("social.example", "mastodon-ssh", "v4.5.2");
        step.setWebAction("bounce");
        assertThatThrownBy(step::settings)
                .isInstanceOf(AbortException.class)
                .hasMessageContaining("webAction must be reload or restart");
        step.setWebAction(null);
        step.setHealthTimeout(4000);
        assertThatThrownBy(step::settings)
                .isInstanceOf(AbortException.class)
                .hasMessage("healthTimeout must be 1 to 3600 seconds, not 4000");

        // The engine's refusals, worded as the step's parameters (backup: false is flow's --no-backup).
        step.setHealthTimeout(0);
        step.setBackup(false);
        step.setBackupDir("/var/backups/mastodon");
        assertThatThrownBy(step::settings)
                .isInstanceOf(AbortException.class)
                .hasMessage("backup: false takes no backup: give no backupDir or backupShip with it");
        step.setBackup(true);
        step.setBackupDir("backups/relative");
        assertThatThrownBy(step::settings)
                .isInstanceOf(AbortException.class)
                .hasMessageStartingWith("not a valid backup directory for backupDir: \"backups/relative\"");
        step.setBackupDir(null);
        step.setBackupShip("rsync x y\nrm -rf /");
        assertThatThrownBy(step::settings)
                .isInstanceOf(AbortException.class)
                .hasMessageStartingWith("backupShip must be one line");
        step.setBackupShip(null);
        step.setPreflightWarn("memory,ram");
        assertThatThrownBy(step::settings)
                .isInstanceOf(AbortException.class)
                .hasMessage("preflightWarn names checks among memory, disk, ruby, node, config; not \"ram\"");
        step.setPreflightWarn(null);
        step.setAssetsMemory(-1);
        assertThatThrownBy(step::settings)
                .isInstanceOf(AbortException.class)
                .hasMessageStartingWith("assetsMemory must be 1 to ");
    }

    @Test
    void aStoppedHostSaysHowToResumeAndRollBackInStepParameters() {
        UpgradeResult failed = UpgradeResult.notStarted(
                "web2.example", "v4.3.1", "v4.5.2", UpgradeResult.FAILED, "mastodon-web did not come back", 4);
        UpgradeResult withRollback = new UpgradeResult(
                failed.host(),
                failed.from(),
                failed.target(),
                List.of("v4.4.3", "v4.5.2"),
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                null,
                10,
                UpgradeResult.FAILED,
                failed.error(),
                4,
                new UpgradeResult.Resume("v4.5.2", "v4.3.1", true),
                "v4.3.1",
                List.of(),
                null,
                null,
                null,
                false);
        Map<String, Object> result = PlainValues.map(
                new UpgradeRun("v4.5.2", List.of(withRollback), List.of("web3.example", "web4.example")).toMap());

        UpgradeOutcome outcome = new UpgradeOutcome(result);

        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.failureMessage())
                .isEqualTo("mastodon-web did not come back [exit code 4]\n"
                        + "To resume (completed steps are safe to repeat): run flowUpgrade again with"
                        + " host: 'web2.example', from: 'v4.3.1', forceUnlock: true and the other parameters as"
                        + " before.\n"
                        + "Then the hosts not reached, each from the release it runs: host: 'web3.example,"
                        + " web4.example'.\n"
                        + "To roll the code back to v4.3.1 instead: flowCheckout(host: 'web2.example', tag: 'v4.3.1',"
                        + " ...) with the same connection parameters, then flowRestartServices (database migrations"
                        + " that ran are not undone).");
    }

    @Test
    void aPendingStreamingRestartSaysHowThePipelineFinishesIt() {
        Map<String, Object> host = new java.util.LinkedHashMap<>();
        host.put("host", "social.example");
        host.put("exitCode", 0);
        host.put("streaming", Map.of("status", "pending approval", "reason", "the release notes of v4.5.0 require it"));
        UpgradeOutcome outcome = new UpgradeOutcome(Map.of("hosts", List.of(host)));
        ByteArrayOutputStream log = new ByteArrayOutputStream();

        outcome.warnPending(new PrintStream(log, true, StandardCharsets.UTF_8));

        assertThat(outcome.succeeded()).isTrue();
        assertThat(log.toString(StandardCharsets.UTF_8))
                .isEqualTo("Streaming on social.example waits for an approval (the release notes of v4.5.0 require"
                        + " it). Ask with input(id: 'RestartStreaming', submitterParameter: 'approver', ...), then run"
                        + " flowRestartServices(host: 'social.example', services: 'none', streaming: 'always',"
                        + " streamingApprovedBy: approver) with the same connection parameters.\n");
    }

    private static final String INSTANCE = """
            {"name": "social.example", "migrationHost": "web1.example",
             "hosts": [{"host": "web1.example", "roles": ["web", "sidekiq"]},
                       {"host": "stream.example", "port": 2222, "roles": ["streaming"]}]}""";

    @Test
    void takesAnInstanceInlineOrAsAWorkspaceFileAndRefusesAWrongOneBeforeAnythingIsSent() throws Exception {
        FlowUpgradeStep inline = new FlowUpgradeStep(null, "mastodon-ssh", "v4.5.2");
        inline.setInstance("  " + INSTANCE + "\n");
        assertThat(inline.getInstance()).isEqualTo(INSTANCE);
        assertThat(inline.settings().confirmManual()).isFalse();
        assertThat(InstanceFile.parse(INSTANCE).labels()).containsExactly("web1.example", "stream.example:2222");

        FlowUpgradeStep file = new FlowUpgradeStep("", "mastodon-ssh", "v4.5.2");
        file.setInstance("deploy/instance.json");
        assertThat(file.settings()).isNotNull();

        FlowUpgradeStep both = new FlowUpgradeStep("web1.example", "mastodon-ssh", "v4.5.2");
        both.setInstance(INSTANCE);
        assertThatThrownBy(both::settings)
                .isInstanceOf(AbortException.class)
                .hasMessageStartingWith("give instance or host, not both");
        FlowUpgradeStep noStreaming = new FlowUpgradeStep(null, "mastodon-ssh", "v4.5.2");
        noStreaming.setInstance(INSTANCE.replace("\"streaming\"", "\"web\""));
        assertThatThrownBy(noStreaming::settings)
                .isInstanceOf(AbortException.class)
                .hasMessageStartingWith("no host of the instance has the role streaming");
        FlowUpgradeStep outside = new FlowUpgradeStep(null, "mastodon-ssh", "v4.5.2");
        outside.setInstance("../other-job/instance.json");
        assertThatThrownBy(outside::settings)
                .isInstanceOf(AbortException.class)
                .hasMessageContaining("the path of one inside the workspace");
    }

    @Test
    void aWorkspaceFileIsReadOnTheAgentFromTheWorkspaceOnly(@org.junit.jupiter.api.io.TempDir java.nio.file.Path ws)
            throws Exception {
        java.nio.file.Path flowDir = java.nio.file.Files.createDirectories(ws.resolve(Workspaces.FLOW_DIR));
        java.nio.file.Files.createDirectories(ws.resolve("deploy"));
        java.nio.file.Files.writeString(ws.resolve("deploy/instance.json"), INSTANCE);
        TestListener log = new TestListener();

        Map<String, Object> read = InProcessAgent.callOnce(
                new InstanceFile.Read(log.listener(), flowDir.toString(), "deploy/instance.json"));

        assertThat(read).containsEntry("json", INSTANCE);
        assertThatThrownBy(() -> InProcessAgent.callOnce(
                        new InstanceFile.Read(log.listener(), flowDir.toString(), "deploy/missing.json")))
                .isInstanceOf(AbortException.class)
                .hasMessageContaining("instance deploy/missing.json is not a file in the workspace")
                .hasMessageEndingWith("[exit code 2]");
    }

    @Test
    void aStoppedInstanceResumesAsOneInStepParameters() {
        Map<String, Object> result = new java.util.LinkedHashMap<>();
        result.put("tag", "v4.5.2");
        result.put("exitCode", 4);
        result.put("instance", Map.of("name", "social.example"));
        result.put("error", "mastodon-web did not come back after systemctl reload on web2.example");
        result.put("resume", new UpgradeResult.Resume("v4.5.2", "v4.3.1", true).toMap());
        result.put("hosts", List.of(Map.of("host", "web1.example", "exitCode", 0)));

        UpgradeOutcome outcome = new UpgradeOutcome(result);

        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.failureMessage())
                .isEqualTo("mastodon-web did not come back after systemctl reload on web2.example [exit code 4]\n"
                        + "To resume (completed steps are safe to repeat): run flowUpgrade again with the same"
                        + " instance, from: 'v4.3.1', forceUnlock: true and the other parameters as before.");

        result.put("exitCode", 0);
        result.put("streaming", Map.of("status", "pending approval", "reason", "the notes of v4.5.0 require it"));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        UpgradeOutcome pending = new UpgradeOutcome(result);
        pending.warnPending(new PrintStream(log, true, StandardCharsets.UTF_8));
        assertThat(pending.succeeded()).isTrue();
        assertThat(log.toString(StandardCharsets.UTF_8))
                .isEqualTo("Streaming of the instance waits for an approval (the notes of v4.5.0 require it). Ask with"
                        + " input(id: 'RestartStreaming', submitterParameter: 'approver', ...), then run flowUpgrade"
                        + " again with the same instance, from: 'v4.5.2', streaming: 'always', streamingApprovedBy:"
                        + " approver (already on v4.5.2: only streaming is restarted, on the streaming hosts).\n");
    }

    @Test
    void theEngineNamesEverySettingAsAStepParameterOrSaysTheStepsHaveNone() throws Exception {
        List<? extends Class<?>> steps = PluginClasses.concrete(FlowStep.class);
        for (Option option : Option.values()) {
            String name = option.named();
            if (name.startsWith("(")) {
                continue; // a setting the steps deliberately do not offer, said as such
            }
            String parameter = name.startsWith("the user name of ") ? "credentialsId" : name;
            boolean offered = false;
            for (Class<?> step : steps) {
                offered |= hasSetter(step, parameter);
            }
            assertThat(offered)
                    .as(option + " is spelled " + name + ", a parameter some step has")
                    .isTrue();
        }
        // GitHub Actions' gate has no step parameter: a Jenkins build has no workflow run to read approvals from.
        assertThat(Option.APPROVAL_ENVIRONMENT.named())
                .startsWith("(nothing: ")
                .contains("GitHub Actions only")
                .contains("input step");
    }

    /** A bound parameter: a setter, or the getter of a constructor parameter (required parameters have no setter). */
    private static boolean hasSetter(Class<?> type, String parameter) {
        String suffix = Character.toUpperCase(parameter.charAt(0)) + parameter.substring(1);
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (java.lang.reflect.Method m : c.getDeclaredMethods()) {
                String name = m.getName();
                if (name.equals("set" + suffix) || name.equals("get" + suffix) || name.equals("is" + suffix)) {
                    return true;
                }
            }
        }
        return false;
    }
}

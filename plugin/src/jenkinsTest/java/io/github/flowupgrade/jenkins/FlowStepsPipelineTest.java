package io.github.flowupgrade.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.CredentialsStore;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.domains.Domain;
import com.cloudbees.plugins.credentials.domains.HostnameSpecification;
import hudson.model.Result;
import hudson.model.User;
import hudson.security.ACL;
import hudson.security.ACLContext;
import io.github.flowupgrade.testing.EmbeddedSshServer;
import io.github.flowupgrade.testing.FakeGitHub;
import io.github.flowupgrade.testing.GitRepos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.jenkinsci.plugins.workflow.support.steps.input.InputAction;
import org.jenkinsci.plugins.workflow.support.steps.input.InputStepExecution;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The steps in real sandboxed Pipelines on a real Jenkins (-Pjenkins only): credentials by id, the work on an agent,
 * results as maps, the build page action, and the streaming gate fed by a real {@code input} approval. The hosts are
 * the embedded SSH server of the engine's test fixtures, on loopback, running commands as the JVM's user.
 */
@WithJenkins
class FlowStepsPipelineTest {
    @RegisterExtension
    private static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    @TempDir
    Path dir;

    private EmbeddedSshServer server;
    private GitRepos repos;
    private Path live;
    private String user;

    @BeforeEach
    void setUp() throws Exception {
        server = EmbeddedSshServer.start(dir.resolve("server"));
        live = dir.resolve("home/live");
        repos = GitRepos.create(dir.resolve("git"), live);
        user = System.getProperty("user.name");
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private void addSshCredentials() throws Exception {
        String key = Files.readString(server.clientKey().privateKey());
        SystemCredentialsProvider.getInstance()
                .getCredentials()
                .add(new BasicSSHUserPrivateKey(
                        CredentialsScope.GLOBAL,
                        "mastodon-ssh",
                        user,
                        new BasicSSHUserPrivateKey.DirectEntryPrivateKeySource(key),
                        null,
                        "test key"));
        SystemCredentialsProvider.getInstance().save();
    }

    private String hostArgs() {
        return "host: '127.0.0.1', port: " + server.port() + ", credentialsId: 'mastodon-ssh', knownHostsFile: '"
                + server.knownHosts() + "', appUser: '" + user + "', dir: '" + live + "'";
    }

    private WorkflowJob job(JenkinsRule j, String script) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, "upgrade");
        p.setDefinition(new CpsFlowDefinition(script, true));
        return p;
    }

    @Test
    void stepsRoundTripThroughTheirForms(JenkinsRule j) throws Exception {
        FlowCheckoutStep checkout = new FlowCheckoutStep("social.example", "mastodon-ssh", "v4.3.1");
        checkout.setHostKey("SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8");
        checkout.setAs("sudo");
        FlowCheckoutStep checkoutBack = new StepConfigTester(j).configRoundTrip(checkout);
        assertThat(checkoutBack.hostRequest()).isEqualTo(checkout.hostRequest());
        assertThat(checkoutBack.getTag()).isEqualTo("v4.3.1");

        FlowRestartServicesStep restart = new FlowRestartServicesStep("social.example", "mastodon-ssh");
        restart.setStreaming("always");
        restart.setStreamingApprovedBy("alice");
        restart.setStreamingApprovalInput("Streaming");
        FlowRestartServicesStep restartBack = new StepConfigTester(j).configRoundTrip(restart);
        assertThat(restartBack.getStreaming()).isEqualTo("always");
        assertThat(restartBack.getStreamingApprovedBy()).isEqualTo("alice");
        assertThat(restartBack.getStreamingApprovalInput()).isEqualTo("Streaming");

        FlowRunUpgradeTasksStep tasks = new FlowRunUpgradeTasksStep("social.example", "mastodon-ssh", "v4.3.1");
        tasks.setPhase("after-restart");
        assertThat(new StepConfigTester(j).configRoundTrip(tasks).getPhase()).isEqualTo("after-restart");

        FlowUpgradeStep upgrade = new FlowUpgradeStep("web1.example, web2.example", "mastodon-ssh", "v4.5.2");
        upgrade.setConfirmManual(true);
        upgrade.setWebAction("restart");
        upgrade.setHealthTimeout(90);
        upgrade.setTaskTimeout(7200);
        upgrade.setSingleHop(true);
        FlowUpgradeStep upgradeBack = new StepConfigTester(j).configRoundTrip(upgrade);
        assertThat(upgradeBack.hostRequest()).isEqualTo(upgrade.hostRequest());
        assertThat(upgradeBack.releaseRequest()).isEqualTo(upgrade.releaseRequest());
        assertThat(upgradeBack.settings()).isEqualTo(upgrade.settings());
        assertThat(upgradeBack.isBackup())
                .as("the checkbox defaults to checked")
                .isTrue();

        // An unchecked backup box must come back unchecked, not as the checkbox's default.
        upgrade.setBackup(false);
        FlowUpgradeStep noBackup = new StepConfigTester(j).configRoundTrip(upgrade);
        assertThat(noBackup.isBackup()).isFalse();
        upgrade.setBackup(true);
        upgrade.setBackupDir("/var/backups/mastodon");
        assertThat(new StepConfigTester(j).configRoundTrip(upgrade).getBackupDir())
                .isEqualTo("/var/backups/mastodon");

        FlowRestoreStep restore = new FlowRestoreStep(
                "social.example", "mastodon-ssh", "/home/mastodon/.flow-upgrade/backups/v4.2.0-to-v4.3.1-x.dump");
        restore.setConfirmRestore("social.example");
        FlowRestoreStep restoreBack = new StepConfigTester(j).configRoundTrip(restore);
        assertThat(restoreBack.getBackup()).isEqualTo(restore.getBackup());
        assertThat(restoreBack.getConfirmRestore()).isEqualTo("social.example");
    }

    @Test
    void aRestoreWithoutTheHostsConfirmationFailsBeforeAnyConnection(JenkinsRule j) throws Exception {
        addSshCredentials();
        WorkflowJob p = job(
                j,
                "node { flowRestore(" + hostArgs()
                        + ", backup: '/home/mastodon/.flow-upgrade/backups/v4.2.0-to-v4.3.1-x.dump') }");

        WorkflowRun b = j.buildAndAssertStatus(Result.FAILURE, p);

        j.assertLogContains("confirmRestore must name the host whose database is replaced", b);
        assertThat(FlowUpgradeAction.of(b).getAuditTrails()).isEmpty();
    }

    @Test
    void upgradePlanReadsTheHostsReleaseAndChangesNothing(JenkinsRule j) throws Exception {
        addSshCredentials();
        try (FakeGitHub github = FakeGitHub.mastodon()) {
            WorkflowJob p = job(
                    j,
                    "node {\n"
                            + "  def r = flowUpgrade(" + hostArgs() + ", tag: 'v4.3.1', planOnly: true, apiUrl: '"
                            + github.apiUrl() + "')\n"
                            + "  def h = r.hosts[0]\n"
                            + "  echo \"from=${h.from} hops=${h.hops} status=${h.status} exit=${r.exitCode}\"\n"
                            + "}\n");

            WorkflowRun b = j.buildAndAssertSuccess(p);

            j.assertLogContains("from=v4.2.0 hops=[v4.3.1] status=planned exit=0", b);
            assertThat(repos.head()).isEqualTo(repos.commitOf("v4.2.0"));
            assertThat(live.resolveSibling(".flow-upgrade").resolve("lock")).doesNotExist();
        }
    }

    @Test
    void checkoutOnAnAgentReturnsTheCliFieldsAndFillsTheBuildPage(JenkinsRule j) throws Exception {
        addSshCredentials();
        j.createOnlineSlave(hudson.model.Label.get("deploy"));
        WorkflowJob p = job(
                j,
                "node('deploy') {\n"
                        + "  def r = flowCheckout(" + hostArgs() + ", tag: 'v4.2.1')\n"
                        + "  echo \"status=${r.status} from=${r.previous.tag} to=${r.current.tag}\"\n"
                        + "}\n");

        WorkflowRun b = j.buildAndAssertSuccess(p);

        j.assertLogContains("status=checked-out from=v4.2.0 to=v4.2.1", b);
        assertThat(repos.head()).isEqualTo(repos.commitOf("v4.2.1"));
        FlowUpgradeAction action = b.getAction(FlowUpgradeAction.class);
        assertThat(action.getHosts()).singleElement().satisfies(h -> {
            assertThat(h.getPreviousCommit()).isEqualTo(repos.commitOf("v4.2.0"));
            assertThat(h.getNewCommit()).isEqualTo(repos.commitOf("v4.2.1"));
        });
        assertThat(action.getAuditTrails()).containsExactly("flow-upgrade/audit-127.0.0.1.jsonl");
        j.assertLogNotContains("BEGIN OPENSSH PRIVATE KEY", b);
    }

    @Test
    void aMissingCredentialFailsTheStepWithItsId(JenkinsRule j) throws Exception {
        WorkflowJob p = job(j, "node { flowCheckout(" + hostArgs() + ", tag: 'v4.2.1') }");

        WorkflowRun b = j.buildAndAssertStatus(Result.FAILURE, p);

        j.assertLogContains("No credentials with id 'mastodon-ssh'", b);
        assertThat(repos.head()).isEqualTo(repos.commitOf("v4.2.0"));
    }

    @Test
    void fetchReleaseReturnsThePlanAsPlainMaps(JenkinsRule j) throws Exception {
        try (FakeGitHub github = FakeGitHub.mastodon()) {
            WorkflowJob p = job(
                    j,
                    "node {\n"
                            + "  def r = flowFetchRelease(tag: 'v4.6.1', from: 'v4.5.10', apiUrl: '" + github.apiUrl()
                            + "')\n"
                            + "  echo \"tag=${r.tag} last=${r.releases[-1]} streaming=${r.plan.streamingRestart}\"\n"
                            + "}\n");

            WorkflowRun b = j.buildAndAssertSuccess(p);

            j.assertLogContains("tag=v4.6.1 last=v4.6.1 streaming=", b);
            assertThat(b.getAction(FlowUpgradeAction.class).getReleaseTag()).isEqualTo("v4.6.1");
        }
    }

    /** Runs a pipeline that asks {@code input} (id {@code inputId}) and then restarts streaming twice. */
    private WorkflowRun approveAndRestart(JenkinsRule j, String inputId, String approveAs, String secondApprover)
            throws Exception {
        WorkflowJob p = job(
                j,
                "node {\n"
                        + "  def approver = input id: '" + inputId + "', message: 'Restart streaming?',"
                        + " submitterParameter: 'approver'\n"
                        + "  def ok = flowRestartServices(" + hostArgs() + ", dryRun: true, services: '',"
                        + " streaming: 'always', streamingApprovedBy: approver)\n"
                        + "  echo \"approved=${ok.streaming.approved} by=${ok.streaming.approvedBy}\"\n"
                        + "  def other = flowRestartServices(" + hostArgs() + ", dryRun: true, services: '',"
                        + " streaming: 'always', streamingApprovedBy: '" + secondApprover + "')\n"
                        + "  echo \"second: approved=${other.streaming.approved} status=${other.streaming.status}\"\n"
                        + "}\n");
        WorkflowRun b = p.scheduleBuild2(0).waitForStart();
        j.waitForMessage("Restart streaming?", b);
        InputStepExecution input = b.getAction(InputAction.class).getExecution(inputId);
        if (approveAs == null) {
            try (ACLContext as = ACL.as2(Jenkins.ANONYMOUS2)) {
                input.proceed(Map.<String, Object>of("approver", "anonymous"));
            }
        } else {
            try (ACLContext as = ACL.as(User.getById(approveAs, true))) {
                input.proceed(Map.<String, Object>of("approver", approveAs));
            }
        }
        j.assertBuildStatusSuccess(j.waitForCompletion(b));
        return b;
    }

    @Test
    void streamingRestartsOnlyWithTheApprovalOfTheNamedInputByTheNamedUser(JenkinsRule j) throws Exception {
        addSshCredentials();
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());

        WorkflowRun b = approveAndRestart(j, "RestartStreaming", "alice", "mallory");

        j.assertLogContains("approved=true by=alice", b);
        j.assertLogContains("second: approved=false status=pending approval", b);
        j.assertLogContains(
                "mallory did not approve the input 'RestartStreaming' of this build (approved by: alice)", b);
        assertThat(b.getAction(FlowUpgradeAction.class).getApprovals())
                .contains("127.0.0.1: streaming restart approved by alice");
    }

    @Test
    void theApproverIsComparedAsTheSecurityRealmComparesUserIds(JenkinsRule j) throws Exception {
        addSshCredentials();
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm()); // case-insensitive user ids

        WorkflowRun b = approveAndRestart(j, "RestartStreaming", "alice", "ALICE");

        j.assertLogContains("second: approved=true status=planned", b);
    }

    @Test
    void anApprovalOfAnotherInputDoesNotOpenTheGate(JenkinsRule j) throws Exception {
        addSshCredentials();
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());

        WorkflowRun b = approveAndRestart(j, "ManualSteps", "alice", "alice");

        j.assertLogContains("approved=false by=null", b);
        j.assertLogContains("the input 'RestartStreaming' of this build was not approved", b);
    }

    @Test
    void withSecurityOffAnApprovalOfTheNamedInputIsAcceptedAsAnonymous(JenkinsRule j) throws Exception {
        addSshCredentials();
        assertThat(j.jenkins.isUseSecurity()).isFalse();

        WorkflowRun b = approveAndRestart(j, "RestartStreaming", null, "anybody");

        j.assertLogContains("approved=true by=anonymous (Jenkins security is off)", b);
        j.assertLogContains("Jenkins security is off, so the approval names no user", b);
    }

    @Test
    void anSshKeyKeptInADomainForAnotherHostIsNotUsed(JenkinsRule j) throws Exception {
        String key = Files.readString(server.clientKey().privateKey());
        CredentialsStore store =
                CredentialsProvider.lookupStores(j.jenkins).iterator().next();
        store.addDomain(
                new Domain("other hosts", null, List.of(new HostnameSpecification("other.example", null))),
                List.of(new BasicSSHUserPrivateKey(
                        CredentialsScope.GLOBAL,
                        "mastodon-ssh",
                        user,
                        new BasicSSHUserPrivateKey.DirectEntryPrivateKeySource(key),
                        null,
                        "key for other.example only")));
        WorkflowJob p = job(j, "node { flowCheckout(" + hostArgs() + ", tag: 'v4.2.1') }");

        WorkflowRun b = j.buildAndAssertStatus(Result.FAILURE, p);

        j.assertLogContains(
                "No credentials with id 'mastodon-ssh' of type SSH Username with private key are"
                        + " available to this build for ssh://127.0.0.1:" + server.port(),
                b);
        assertThat(repos.head()).isEqualTo(repos.commitOf("v4.2.0"));
    }
}

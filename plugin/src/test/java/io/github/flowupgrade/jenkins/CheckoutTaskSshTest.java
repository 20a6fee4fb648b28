package io.github.flowupgrade.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.AbortException;
import io.github.flowupgrade.audit.AuditEvent;
import io.github.flowupgrade.testing.EmbeddedSshServer;
import io.github.flowupgrade.testing.GitRepos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flowCheckout}'s agent task end to end, as the agent runs it: the SSH key handed over as content (as the
 * credential gives it), host key verification through a known_hosts file, a real git working tree behind the
 * embedded SSH server (commands run as the JVM's user).
 */
@Tag("ssh")
class CheckoutTaskSshTest {
    @TempDir
    Path dir;

    private EmbeddedSshServer server;
    private GitRepos repos;
    private Path live;
    private String appUser;
    private SshLogin login;
    private final TestListener log = new TestListener();

    @BeforeEach
    void setUp() throws Exception {
        server = EmbeddedSshServer.start(dir.resolve("server"));
        live = dir.resolve("home/live");
        repos = GitRepos.create(dir.resolve("git"), live);
        appUser = System.getProperty("user.name");
        login = new SshLogin(
                "mastodon-ssh", appUser, Files.readString(server.clientKey().privateKey()), null);
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private FlowCheckoutStep step(String tag) {
        FlowCheckoutStep step = new FlowCheckoutStep("127.0.0.1", "mastodon-ssh", tag);
        step.setPort(server.port());
        step.setKnownHostsFile(server.knownHosts().toString());
        step.setAppUser(appUser);
        step.setDir(live.toString());
        return step;
    }

    private Map<String, Object> checkout(FlowCheckoutStep step) throws Exception {
        return InProcessAgent.callOnce(new CheckoutTask(
                new HostTarget(
                        log.listener(),
                        step.hostRequest(),
                        login,
                        new BuildInfo("upgrade#12", "https://ci/job/upgrade/12/"),
                        dir.resolve("ws/flow-upgrade").toString()),
                step.getTag(),
                step.getExpectCommit(),
                step.isRollback(),
                step.isForceUnlock(),
                step.isKeepLocalCommits()));
    }

    @Test
    void checksOutTheTagAndReturnsTheCliJsonFieldsOfTheHost() throws Exception {
        Map<String, Object> result = checkout(step("v4.2.1"));

        assertThat(result)
                .containsEntry("host", "127.0.0.1")
                .containsEntry("status", "checked-out")
                .containsEntry("previous", Map.of("commit", repos.commitOf("v4.2.0"), "tag", "v4.2.0"))
                .containsEntry("current", Map.of("commit", repos.commitOf("v4.2.1"), "tag", "v4.2.1"));
        assertThat(repos.head()).isEqualTo(repos.commitOf("v4.2.1"));

        List<AuditEvent> events = AuditEvent.readAll(dir.resolve("ws/flow-upgrade/audit-127.0.0.1.jsonl"));
        assertThat(events.get(0).fields()).containsEntry("actor", "jenkins upgrade#12");
        assertThat(events)
                .extracting(AuditEvent::type)
                .contains("checkout.completed")
                .endsWith("run.finished");
        String trail = Files.readString(dir.resolve("ws/flow-upgrade/audit-127.0.0.1.jsonl"));
        assertThat(trail)
                .doesNotContain(login.privateKey().lines().skip(1).findFirst().orElseThrow());
    }

    @Test
    void aTagPointingElsewhereThanExpectedFailsTheStepAndLeavesTheHostAsItWas() throws Exception {
        FlowCheckoutStep step = step("v4.2.1");
        step.setExpectCommit(repos.commitOf("v4.2.0"));

        assertThatThrownBy(() -> checkout(step))
                .isInstanceOf(AbortException.class)
                .hasMessageContaining("v4.2.1")
                .hasMessageEndingWith("[exit code 3]");
        assertThat(repos.head()).isEqualTo(repos.commitOf("v4.2.0"));
    }

    @Test
    void aSecretTheHostEchoesNeverReachesTheStepsFailureNorTheBuildLog() throws Exception {
        // The passphrase travels with the login; a git remote that names it makes the failing fetch echo it back.
        String passphrase = "Tr0ub4dor-and-3";
        login = new SshLogin(
                "mastodon-ssh", appUser, Files.readString(server.clientKey().privateKey()), passphrase.toCharArray());
        repos.git(live, "remote", "set-url", "origin", "/no/such/" + passphrase + "/mastodon.git");

        assertThatThrownBy(() -> checkout(step("v4.3.1")))
                .isInstanceOf(AbortException.class)
                .hasMessageContaining("fetching tags")
                .hasMessageContaining("/no/such/***/mastodon.git")
                .hasMessageNotContaining(passphrase);
        assertThat(log.log()).doesNotContain(passphrase);
        assertThat(Files.readString(dir.resolve("ws/flow-upgrade/audit-127.0.0.1.jsonl")))
                .doesNotContain(passphrase);
        assertThat(repos.head()).isEqualTo(repos.commitOf("v4.2.0"));
    }

    @Test
    void anUnknownHostKeyIsRefusedBeforeAnyCommandRuns() throws Exception {
        FlowCheckoutStep step = step("v4.2.1");
        step.setKnownHostsFile(null);
        step.setHostKey("SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8");

        assertThatThrownBy(() -> checkout(step)).isInstanceOf(AbortException.class);
        assertThat(server.commands()).isEmpty();
        assertThat(repos.head()).isEqualTo(repos.commitOf("v4.2.0"));
    }
}

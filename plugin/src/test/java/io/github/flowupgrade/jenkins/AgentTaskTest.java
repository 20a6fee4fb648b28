package io.github.flowupgrade.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.AbortException;
import hudson.model.TaskListener;
import io.github.flowupgrade.Console;
import io.github.flowupgrade.FlowException;
import java.io.InterruptedIOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What every step does on the agent around the engine: the build log, and engine errors as failed steps. */
class AgentTaskTest {
    private final TestListener log = new TestListener();

    @Test
    void writesToTheBuildLogAndReturnsTheResultMap() throws Exception {
        AgentTask task = new AgentTask(log.listener()) {
            @Override
            protected Map<String, Object> perform(Console console) {
                console.info("[social.example] git fetch --tags");
                console.warn("host key verification uses ~/.ssh/known_hosts");
                return Map.of("status", "done");
            }
        };

        assertThat(task.call()).containsEntry("status", "done");
        assertThat(log.log())
                .isEqualTo(
                        "[social.example] git fetch --tags\nWARNING: host key verification uses ~/.ssh/known_hosts\n");
    }

    @Test
    void anEngineErrorFailsTheStepWithTheEngineMessageAndExitCode() {
        AgentTask task = failing(log.listener(), FlowException.refused("social.example is locked by another run"));

        assertThatThrownBy(task::call)
                .isExactlyInstanceOf(AbortException.class)
                .hasMessage("social.example is locked by another run [exit code 3]");
    }

    @Test
    void anAbortedBuildStopsTheTaskAsAnInterruption() {
        AgentTask task = new AgentTask(log.listener()) {
            @Override
            protected Map<String, Object> perform(Console console) throws InterruptedException {
                throw new InterruptedException();
            }
        };

        assertThatThrownBy(task::call)
                .isInstanceOf(InterruptedIOException.class)
                .hasMessage("the build was aborted");
        // The remoting thread goes back to its pool without the interruption.
        assertThat(Thread.interrupted()).isFalse();
    }

    @Test
    void neitherTheLoginNorATaskPrintsTheSecretsTheyCarry() {
        SshLogin login = new SshLogin(
                "mastodon-ssh",
                "deploy",
                "-----BEGIN OPENSSH PRIVATE KEY-----\nsecretkeymaterial\n",
                "hunter2".toCharArray());
        CheckoutTask task = new CheckoutTask(
                new HostTarget(
                        log.listener(),
                        new FlowCheckoutStep("social.example", "mastodon-ssh", "v4.3.1").hostRequest(),
                        login,
                        new BuildInfo("deploy#1", null),
                        "/tmp/ws/flow-upgrade"),
                "v4.3.1",
                null,
                false,
                false,
                false);

        assertThat(login.toString())
                .isEqualTo("SSH key of credentials mastodon-ssh (user deploy)")
                .doesNotContain("secretkeymaterial", "hunter2");
        assertThat(task.toString()).isEqualTo("CheckoutTask");
        login.forget();
        assertThat(login.passphrase()).containsOnly('\0');
    }

    private static AgentTask failing(TaskListener listener, FlowException error) {
        return new AgentTask(listener) {
            @Override
            protected Map<String, Object> perform(Console console) {
                throw error;
            }
        };
    }
}

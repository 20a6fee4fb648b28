package io.github.flowupgrade.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** From step parameters (as the Pipeline sets them) to the requests the engine receives on the agent. */
class StepParametersTest {
    @Test
    void fetchReleaseDefaultsToMastodonAndTheLatestRelease() {
        FlowFetchReleaseStep step = new FlowFetchReleaseStep();

        assertThat(step.request()).isEqualTo(new ReleaseRequest("mastodon", null, null, null, null));
        assertThat(FetchReleaseTask.lookupRequest(step.request(), null, java.nio.file.Path.of("/ws/flow-upgrade"))
                        .apiUrl())
                .hasToString("https://api.github.com");
    }

    @Test
    void fetchReleaseSettersTrimAndTreatEmptyAsUnset() {
        FlowFetchReleaseStep step = new FlowFetchReleaseStep();
        step.setApp(" flow ");
        step.setRepo("tootsuite/flow");
        step.setTag(" v4.3.1 ");
        step.setFrom("");
        step.setApiUrl("  ");
        step.setGithubCredentialsId(" github-token ");

        assertThat(step.request()).isEqualTo(new ReleaseRequest("flow", "tootsuite/flow", "v4.3.1", null, null));
        assertThat(step.getGithubCredentialsId()).isEqualTo("github-token");
        step.setApp("");
        assertThat(step.getApp()).isEqualTo("mastodon");
    }

    @Test
    void checkoutCarriesTheHostAndHowToReachIt() {
        FlowCheckoutStep step = new FlowCheckoutStep(" social.example ", "mastodon-ssh", "v4.3.1");
        step.setPort(2222);
        step.setHostKey("SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8, SHA256:"
                + "AAAAg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8");
        step.setAs("sudo");
        step.setAppUser("hometown");
        step.setConnectTimeout(30);
        step.setCommandTimeout(900);
        step.setExpectCommit("1a2b3c4" + "0".repeat(33));

        assertThat(step.getHost()).isEqualTo("social.example");
        assertThat(step.getCredentialsId()).isEqualTo("mastodon-ssh");
        assertThat(step.getTag()).isEqualTo("v4.3.1");
        assertThat(step.getExpectCommit()).isEqualTo("1a2b3c4" + "0".repeat(33));
        assertThat(step.hostRequest())
                .isEqualTo(new HostRequest(
                        "mastodon",
                        "social.example",
                        2222,
                        List.of(
                                "SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8",
                                "SHA256:AAAAg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8"),
                        null,
                        "sudo",
                        null,
                        "hometown",
                        false,
                        30,
                        900));
    }

    @Test
    void hostDefaultsAreTheCliDefaults() {
        FlowCheckoutStep step = new FlowCheckoutStep("social.example", "ssh", "v4.3.1");
        step.setPort(0);
        step.setAs(" ");

        // No run-as mode: the engine picks su for a root login, else direct, as flow does without --as.
        assertThat(step.hostRequest())
                .isEqualTo(new HostRequest(
                        "mastodon", "social.example", 22, List.of(), null, null, null, null, false, 0, 0));
    }

    @Test
    void upgradeTasksLookUpTheSameRangeAsFetchRelease() {
        FlowRunUpgradeTasksStep step = new FlowRunUpgradeTasksStep("social.example", "ssh", "v4.3.1");
        step.setFrom("v4.2.10");
        step.setRepo("glitch-soc/mastodon");
        step.setApiUrl("https://github.example.com/api/v3");
        step.setConfirmManual(true);

        assertThat(step.releaseRequest())
                .isEqualTo(new ReleaseRequest(
                        "mastodon", "glitch-soc/mastodon", "v4.3.1", "v4.2.10", "https://github.example.com/api/v3"));
        assertThat(step.getPhase()).isEqualTo("after-checkout");
        step.setPhase("after-restart");
        assertThat(step.getPhase()).isEqualTo("after-restart");
        assertThat(step.isConfirmManual()).isTrue();
    }

    @Test
    void restartDefaultsToSidekiqAndWebAndLeavesStreamingToTheEngine() throws Exception {
        FlowRestartServicesStep step = new FlowRestartServicesStep("social.example", "ssh");

        RestartRequest request = step.restartRequest(ApprovalVerdict.refused("no"));

        assertThat(request.roles()).containsExactly("sidekiq", "web");
        assertThat(request.streaming()).isEqualTo("if-needed");
    }

    @Test
    void namingStreamingAmongTheServicesAsksForItButKeepsTheGate() throws Exception {
        FlowRestartServicesStep step = new FlowRestartServicesStep("social.example", "ssh");
        step.setServices("streaming");

        RestartRequest request = step.restartRequest(ApprovalVerdict.refused("no approval"));

        assertThat(request.roles()).isEmpty();
        assertThat(request.streaming()).isEqualTo("always");
        assertThat(request.approval().approved()).isFalse();
    }

    @Test
    void restartCarriesTheControllersVerdictToTheAgent() throws Exception {
        FlowRestartServicesStep step = new FlowRestartServicesStep("social.example", "ssh");
        step.setServices("web");
        step.setStreaming("always");
        step.setStreamingApprovedBy("alice");

        RestartRequest request = step.restartRequest(ApprovalVerdict.approvedBy("alice", "ok"));

        assertThat(request.roles()).containsExactly("web");
        assertThat(request.streaming()).isEqualTo("always");
        assertThat(request.approval()).isEqualTo(ApprovalVerdict.approvedBy("alice", "ok"));
    }

    @Test
    void anUnknownServiceFailsTheStepWithTheFormsMessage() {
        FlowRestartServicesStep step = new FlowRestartServicesStep("social.example", "ssh");
        step.setServices("sidekiq, nginx");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> step.restartRequest(ApprovalVerdict.refused("no")))
                .isInstanceOf(hudson.AbortException.class)
                // The engine's own reading of the list, as flow restart --services reads it.
                .hasMessage("services takes sidekiq, web and streaming (or none), not \"nginx\"");
    }
}

package io.github.flowupgrade.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flowupgrade.audit.AuditEvent;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flowRestartServices}' agent task through the engine, as a dry run (every command printed, none run): the
 * streaming gate refuses without a recorded approval and proceeds with one, and both are audited.
 */
class RestartTaskTest {
    @TempDir
    Path workspace;

    private final TestListener log = new TestListener();

    /** The step's restart with the gate's verdict on {@code recordedApprovers}' approvals of 'RestartStreaming'. */
    private Map<String, Object> restart(String approvedBy, List<String> recordedApprovers) throws Exception {
        FlowRestartServicesStep step = new FlowRestartServicesStep("social.example", "mastodon-ssh");
        step.setDryRun(true);
        step.setStreaming("always");
        step.setStreamingApprovedBy(approvedBy);
        SshLogin login = new SshLogin("mastodon-ssh", "mastodon", "not a key", null);
        return InProcessAgent.callOnce(new RestartTask(
                new HostTarget(
                        log.listener(),
                        step.hostRequest(),
                        login,
                        new BuildInfo("upgrade#9", null),
                        workspace.resolve("flow-upgrade").toString()),
                step.restartRequest(new InputApprovals(String::equalsIgnoreCase, true)
                        .decide(
                                step.getStreamingApprovedBy(),
                                step.getStreamingApprovalInput(),
                                recordedApprovers.stream()
                                        .map(a -> new InputApprovals.RecordedApproval("RestartStreaming", a))
                                        .toList()))));
    }

    @Test
    void withoutARecordedApprovalStreamingIsLeftAloneAndThePendingStatusSaysSo() throws Exception {
        Map<String, Object> result = restart("alice", List.of("bob"));

        @SuppressWarnings("unchecked")
        Map<String, Object> streaming = (Map<String, Object>) result.get("streaming");
        assertThat(streaming)
                .containsEntry("needed", true)
                .containsEntry("approved", false)
                .containsEntry("restarted", false)
                .containsEntry("status", "pending approval");
        assertThat(result).containsEntry("status", "planned"); // a dry run; for real: "pending approval"
        assertThat(log.log())
                .contains("alice did not approve the input 'RestartStreaming' of this build (approved by: bob)")
                .doesNotContain("would run: systemctl restart mastodon-streaming")
                .contains("systemctl restart mastodon-sidekiq");
        assertThat(types()).contains("streaming.decision", "approval.requested").doesNotContain("approval.granted");
        // The restarts run under the host's lock, taken first and released last.
        assertThat(log.log())
                .containsSubsequence(
                        "mkdir /home/mastodon/.flow-upgrade/lock",
                        "systemctl restart mastodon-sidekiq",
                        "systemctl reload mastodon-web",
                        "rmdir /home/mastodon/.flow-upgrade/lock");
    }

    @Test
    void withTheApproversRecordedApprovalStreamingIsRestartedAndTheApprovalAudited() throws Exception {
        Map<String, Object> result = restart("alice", List.of("bob", "alice"));

        @SuppressWarnings("unchecked")
        Map<String, Object> streaming = (Map<String, Object>) result.get("streaming");
        assertThat(streaming)
                .containsEntry("needed", true)
                .containsEntry("approved", true)
                .containsEntry("approvedBy", "alice")
                .containsEntry("status", "planned");
        assertThat(log.log())
                .contains("Streaming restart approved by alice in the input 'RestartStreaming'")
                .contains("mastodon-streaming");
        List<AuditEvent> events = AuditEvent.readAll(workspace.resolve("flow-upgrade/audit-social.example.jsonl"));
        assertThat(events)
                .filteredOn(e -> e.type().equals("approval.granted"))
                .singleElement()
                .satisfies(e -> assertThat(e.fields()).containsEntry("by", "alice"));
    }

    @Test
    void withoutAnApproverNameNothingOfStreamingRestartsEvenIfTheBuildHasApprovals() throws Exception {
        Map<String, Object> result = restart(null, List.of("alice"));

        @SuppressWarnings("unchecked")
        Map<String, Object> streaming = (Map<String, Object>) result.get("streaming");
        assertThat(streaming).containsEntry("restarted", false).containsEntry("status", "pending approval");
        assertThat(log.log()).contains("it needs streamingApprovedBy");
    }

    private List<String> types() throws Exception {
        return AuditEvent.readAll(workspace.resolve("flow-upgrade/audit-social.example.jsonl")).stream()
                .map(AuditEvent::type)
                .toList();
    }
}

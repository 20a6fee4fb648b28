package io.github.flowupgrade.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.jenkins.InputApprovals.RecordedApproval;
import io.github.flowupgrade.upgrade.approval.ApprovalGate;
import io.github.flowupgrade.upgrade.approval.ApprovalRequest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The streaming gate's decision on the controller, from the approvals a build's {@code input} steps recorded (their id
 * argument and approver), and its answer on the agent, which only replays the verdict.
 */
class InputApprovalsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC);
    private static final ApprovalRequest REQUEST = new ApprovalRequest(
            "social.example", "restart mastodon-streaming", "--streaming always", List.of("v4.3.1"));

    /** Jenkins' default user id strategy compares ids without case (IdStrategy.CaseInsensitive). */
    private final InputApprovals caseInsensitive = new InputApprovals(String::equalsIgnoreCase, true);

    private final InputApprovals caseSensitive = new InputApprovals(String::equals, true);

    @Test
    void approvesTheNamedUsersApprovalOfTheNamedInputAndRecordsJenkinsOwnId() {
        ApprovalVerdict verdict = caseInsensitive.decide(
                "alice",
                "RestartStreaming",
                List.of(new RecordedApproval("ManualSteps", "bob"), new RecordedApproval("RestartStreaming", "alice")));

        assertThat(verdict)
                .isEqualTo(ApprovalVerdict.approvedBy(
                        "alice", "Streaming restart approved by alice in the input 'RestartStreaming' of this build."));
    }

    @Test
    void comparesTheApproverWithTheUserIdStrategyNotExactly() {
        // submitterParameter returns the name the user signed in with ("Alice"); the input recorded User.current()'s
        // id ("alice"). Under a case-insensitive realm they are the same user.
        List<RecordedApproval> recorded = List.of(new RecordedApproval("RestartStreaming", "alice"));

        assertThat(caseInsensitive.decide("Alice", "RestartStreaming", recorded).approved())
                .isTrue();
        assertThat(caseInsensitive.decide("Alice", "RestartStreaming", recorded).approver())
                .isEqualTo("alice");
        assertThat(caseSensitive.decide("Alice", "RestartStreaming", recorded).approved())
                .isFalse();
        assertThat(caseInsensitive
                        .decide("alice2", "RestartStreaming", recorded)
                        .approved())
                .isFalse();
    }

    @Test
    void anApprovalOfAnotherInputDoesNotCount() {
        ApprovalVerdict verdict = caseInsensitive.decide(
                "alice", "RestartStreaming", List.of(new RecordedApproval("ManualSteps", "alice")));

        assertThat(verdict.approved()).isFalse();
        assertThat(verdict.message())
                .isEqualTo("Streaming not restarted: the input 'RestartStreaming' of this build was not approved"
                        + " (give the input step id: 'RestartStreaming', or set streamingApprovalInput to its id).");
    }

    @Test
    void anInputWithoutAnIdCannotBeTheNamedOne() {
        assertThat(caseInsensitive
                        .decide("alice", "RestartStreaming", List.of(new RecordedApproval(null, "alice")))
                        .approved())
                .isFalse();
    }

    @Test
    void inputIdsCompareAsTheInputStepKeepsThem() {
        // InputStep.setId upper-cases a leading a-z: id: 'restartStreaming' is the prompt 'RestartStreaming'.
        List<RecordedApproval> recorded = List.of(new RecordedApproval("restartStreaming", "alice"));

        assertThat(caseInsensitive.decide("alice", "RestartStreaming", recorded).approved())
                .isTrue();
        assertThat(caseInsensitive
                        .decide("alice", " restartStreaming ", recorded)
                        .approved())
                .isTrue();
        assertThat(caseInsensitive.decide("alice", null, recorded).approved()).isTrue();
        assertThat(caseInsensitive.decide("alice", "RESTARTSTREAMING", recorded).approved())
                .isFalse();
        assertThat(InputApprovals.inputStepId("streaming-ok")).isEqualTo("Streaming-ok");
        assertThat(InputApprovals.inputStepId("9lives")).isEqualTo("9lives");
    }

    @Test
    void refusesWhenTheNamedUserDidNotApproveTheNamedInput() {
        ApprovalVerdict verdict = caseInsensitive.decide(
                "mallory",
                "RestartStreaming",
                List.of(
                        new RecordedApproval("RestartStreaming", "alice"),
                        new RecordedApproval("RestartStreaming", "bob")));

        assertThat(verdict)
                .isEqualTo(ApprovalVerdict.refused("Streaming not restarted: mallory did not approve the input"
                        + " 'RestartStreaming' of this build (approved by: alice, bob)."));
    }

    @Test
    void refusesWithoutAnApproverNameEvenWhenTheInputWasApproved() {
        ApprovalVerdict verdict = caseInsensitive.decide(
                " ", "RestartStreaming", List.of(new RecordedApproval("RestartStreaming", "alice")));

        assertThat(verdict.approved()).isFalse();
        assertThat(verdict.message()).startsWith("Streaming not restarted: it needs streamingApprovedBy");
    }

    @Test
    void withSecurityOnAnApprovalWithoutAUserIsRefused() {
        ApprovalVerdict verdict = caseInsensitive.decide(
                "anonymous", "RestartStreaming", List.of(new RecordedApproval("RestartStreaming", null)));

        assertThat(verdict.approved()).isFalse();
        assertThat(verdict.message()).endsWith("(approved by: anonymous).");
    }

    @Test
    void withSecurityOffAnApprovalOfTheNamedInputIsAcceptedAndRecordedAsAnonymous() {
        InputApprovals securityOff = new InputApprovals(String::equalsIgnoreCase, false);

        ApprovalVerdict verdict = securityOff.decide(
                "anonymous", "RestartStreaming", List.of(new RecordedApproval("RestartStreaming", null)));
        ApprovalVerdict otherInput =
                securityOff.decide("anonymous", "RestartStreaming", List.of(new RecordedApproval("ManualSteps", null)));

        assertThat(verdict.approved()).isTrue();
        assertThat(verdict.approver()).isEqualTo("anonymous (Jenkins security is off)");
        assertThat(verdict.message()).contains("Jenkins security is off, so the approval names no user");
        assertThat(otherInput.approved()).isFalse();
    }

    @Test
    void theStepNamesTheInputOfJenkinsfileExampleByDefault() {
        FlowRestartServicesStep step = new FlowRestartServicesStep("social.example", "ssh");

        assertThat(step.getStreamingApprovalInput()).isEqualTo("RestartStreaming");
        step.setStreamingApprovalInput(" Streaming ");
        assertThat(step.getStreamingApprovalInput()).isEqualTo("Streaming");
        step.setStreamingApprovalInput(" ");
        assertThat(step.getStreamingApprovalInput()).isEqualTo("RestartStreaming");
    }

    @Test
    void aBuildThatIsNotAPipelineCarriesNoInputApprovals() {
        assertThat(InputApprovals.recorded(null)).isEmpty();
    }

    @Test
    void onTheAgentTheGateOnlyReplaysTheVerdict() {
        List<String> printed = new ArrayList<>();
        Console console = new Console() {
            @Override
            public void info(String message) {
                printed.add("INFO " + message);
            }

            @Override
            public void warn(String message) {
                printed.add("WARN " + message);
            }
        };

        ApprovalGate.Answer yes = new InputApprovalGate(
                        ApprovalVerdict.approvedBy("alice", "approved by alice"), console, CLOCK)
                .ask(REQUEST);
        ApprovalGate.Answer no =
                new InputApprovalGate(ApprovalVerdict.refused("not approved"), console, CLOCK).ask(REQUEST);

        assertThat(yes).isEqualTo(new ApprovalGate.Approved("alice", CLOCK.instant()));
        assertThat(no).isInstanceOf(ApprovalGate.Pending.class);
        assertThat(printed)
                .containsExactly("INFO [social.example] approved by alice", "WARN [social.example] not approved");
    }
}

package io.github.flowupgrade.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.upgrade.approval.ApprovalGate;
import io.github.flowupgrade.upgrade.approval.ApprovalRequest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The streaming gate, as a plain class: the approver ids the build carries decide, nothing else. */
class InputApprovalGateTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC);
    private static final ApprovalRequest REQUEST = new ApprovalRequest(
            "social.example", "restart mastodon-streaming", "--streaming always", List.of("v4.3.1"));

    private final List<String> printed = new ArrayList<>();
    private final Console console = new Console() {
        @Override
        public void info(String message) {
            printed.add("INFO " + message);
        }

        @Override
        public void warn(String message) {
            printed.add("WARN " + message);
        }
    };

    @Test
    void refusesWithoutAnApproverEvenWhenTheBuildCarriesApprovals() {
        InputApprovalGate gate = new InputApprovalGate(null, List.of("alice")).on(console, CLOCK);

        assertThat(gate.ask(REQUEST)).isInstanceOf(ApprovalGate.Pending.class);
        assertThat(printed)
                .containsExactly("WARN [social.example] Streaming not restarted: it needs streamingApprovedBy naming"
                        + " the user who approved it in an input step with submitterParameter.");
    }

    @Test
    void refusesWhenTheNamedUserDidNotApproveAnInputOfThisBuild() {
        InputApprovalGate gate = new InputApprovalGate("mallory", List.of("alice", "bob")).on(console, CLOCK);

        assertThat(gate.ask(REQUEST)).isInstanceOf(ApprovalGate.Pending.class);
        assertThat(printed)
                .containsExactly("WARN [social.example] Streaming not restarted: this build carries no input approval"
                        + " by mallory (approvals recorded: alice, bob).");
    }

    @Test
    void refusesWhenNoInputWasApprovedAtAll() {
        InputApprovalGate gate = new InputApprovalGate("alice", List.of());

        assertThat(gate.verdict().approved()).isFalse();
        assertThat(gate.verdict().message()).endsWith("(approvals recorded: none).");
    }

    @Test
    void approvesWhenTheNamedUserApprovedAnInputOfThisBuild() {
        InputApprovalGate gate = new InputApprovalGate(" alice ", List.of("bob", "alice")).on(console, CLOCK);

        ApprovalGate.Answer answer = gate.ask(REQUEST);

        assertThat(answer).isEqualTo(new ApprovalGate.Approved("alice", CLOCK.instant()));
        assertThat(printed)
                .containsExactly(
                        "INFO [social.example] Streaming restart approved by alice (input step of this build).");
    }

    @Test
    void userIdsAreComparedExactly() {
        assertThat(new InputApprovalGate("Alice", List.of("alice")).verdict().approved())
                .isFalse();
        assertThat(new InputApprovalGate("alice", List.of("alice2")).verdict().approved())
                .isFalse();
    }
}

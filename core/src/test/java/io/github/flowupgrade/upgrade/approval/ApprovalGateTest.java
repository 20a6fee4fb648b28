package io.github.flowupgrade.upgrade.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flowupgrade.FlowException;
import java.io.BufferedReader;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApprovalGateTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC);
    private static final ApprovalRequest REQUEST = new ApprovalRequest(
            "mastodon.example", "restart mastodon-streaming", "the release notes require it", List.of("v4.3.0"));

    @Test
    void preApprovedRecordsTheApproverAndTime() {
        ApprovalGate.Answer answer = new PreApprovedGate(" Alice Admin ", CLOCK).ask(REQUEST);
        assertThat(answer).isEqualTo(new ApprovalGate.Approved("Alice Admin", CLOCK.instant()));
        assertThatThrownBy(() -> new PreApprovedGate(" ", CLOCK)).isInstanceOf(FlowException.class);
        assertThatThrownBy(() -> new PreApprovedGate("eve\nforged line", CLOCK)).isInstanceOf(FlowException.class);
    }

    @Test
    void noGateLeavesItPending() {
        assertThat(new NoApprovalGate().ask(REQUEST)).isInstanceOf(ApprovalGate.Pending.class);
    }

    @Test
    void terminalNeedsTheHostNameTypedBack() {
        StringWriter shown = new StringWriter();
        assertThat(terminal("mastodon.example\n", shown).ask(REQUEST))
                .isEqualTo(new ApprovalGate.Approved("bob", CLOCK.instant()));
        assertThat(shown.toString())
                .contains("restart mastodon-streaming", "the release notes require it", "v4.3.0")
                .contains("Type the host name (mastodon.example)");
        assertThat(terminal("y\n", new StringWriter()).ask(REQUEST))
                .isEqualTo(new ApprovalGate.Denied("bob", CLOCK.instant()));
        assertThat(terminal("mastodon.exampl\n", new StringWriter()).ask(REQUEST))
                .isInstanceOf(ApprovalGate.Denied.class);
        assertThat(terminal("", new StringWriter()).ask(REQUEST)).isInstanceOf(ApprovalGate.Pending.class);
    }

    @Test
    void terminalTimesOutWithoutAnAnswer() throws Exception {
        try (PipedWriter neverWritten = new PipedWriter();
                PipedReader reader = new PipedReader(neverWritten)) {
            TerminalApprovalGate gate = new TerminalApprovalGate(
                    new BufferedReader(reader),
                    new PrintWriter(new StringWriter()),
                    "bob",
                    Duration.ofMillis(200),
                    CLOCK);
            assertThat(gate.ask(REQUEST)).isInstanceOf(ApprovalGate.TimedOut.class);
        }
    }

    private static TerminalApprovalGate terminal(String typed, StringWriter shown) {
        return new TerminalApprovalGate(
                new BufferedReader(new StringReader(typed)),
                new PrintWriter(shown),
                "bob",
                Duration.ofSeconds(5),
                CLOCK);
    }
}

package io.github.flowupgrade.upgrade.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flowupgrade.FlowException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamingDecisionTest {
    @Test
    void ifNeededFollowsTheNotesAndTheCheckoutWithTheReason() {
        StreamingDecision fromNotes =
                StreamingDecision.decide(StreamingPolicy.IF_NEEDED, true, List.of("v4.3.0"), false);
        assertThat(fromNotes.needed()).isTrue();
        assertThat(fromNotes.reason()).isEqualTo("the release notes of v4.3.0 require a streaming restart");

        StreamingDecision fromCheckout = StreamingDecision.decide(StreamingPolicy.IF_NEEDED, false, List.of(), true);
        assertThat(fromCheckout.needed()).isTrue();
        assertThat(fromCheckout.reason()).contains("checkout changed the streaming server");

        // The releases that asked, each named; not a range that would take in releases that did not ask.
        assertThat(StreamingDecision.decide(StreamingPolicy.IF_NEEDED, true, List.of("v4.2.0", "v4.3.0"), null)
                        .reason())
                .isEqualTo("the release notes of v4.2.0, v4.3.0 require a streaming restart");

        StreamingDecision both = StreamingDecision.decide(StreamingPolicy.IF_NEEDED, true, List.of(), true);
        assertThat(both.reason()).contains("release notes require").contains("; the checkout changed");

        StreamingDecision neither = StreamingDecision.decide(StreamingPolicy.IF_NEEDED, false, List.of(), false);
        assertThat(neither.needed()).isFalse();
        assertThat(neither.reason()).contains("neither");

        StreamingDecision unknown = StreamingDecision.decide(StreamingPolicy.IF_NEEDED, null, null, null);
        assertThat(unknown.needed()).isFalse();
        assertThat(unknown.reason()).contains("the streaming policy always forces it");
    }

    @Test
    void aCheckoutThatDecidedNamesTheChangedPathsAndNoReasonSpellsAnOption() {
        StreamingDecision one = StreamingDecision.decide(
                StreamingPolicy.IF_NEEDED, false, List.of(), true, List.of("streaming/index.js"));
        assertThat(one.reason())
                .isEqualTo("the checkout changed the streaming server's files or packages (streaming/index.js)");

        StreamingDecision many = StreamingDecision.decide(
                StreamingPolicy.IF_NEEDED,
                true,
                List.of("v4.3.0"),
                true,
                List.of("streaming/index.js", "streaming/package.json", "streaming/lib/a.js", "streaming/lib/b.js"));
        assertThat(many.reason())
                .isEqualTo("the release notes of v4.3.0 require a streaming restart; the checkout changed the"
                        + " streaming server's files or packages (streaming/index.js, streaming/package.json,"
                        + " streaming/lib/a.js and 1 more)");

        for (StreamingPolicy policy : StreamingPolicy.values()) {
            for (Boolean says : Arrays.asList(true, false, null)) {
                String reason = StreamingDecision.decide(policy, says, List.of("v4.3.0"), says, List.of())
                        .reason();
                // The CLI's --json and the plugin's map carry the same words: no option spelled either way.
                assertThat(reason).as(policy + " " + says).doesNotContain("--").doesNotContainPattern("[a-z][A-Z]");
            }
        }
    }

    @Test
    void neverAndAlwaysOverrideEverything() {
        assertThat(StreamingDecision.decide(StreamingPolicy.NEVER, true, List.of("v4.3.0"), true)
                        .needed())
                .isFalse();
        assertThat(StreamingDecision.decide(StreamingPolicy.ALWAYS, false, List.of(), false)
                        .needed())
                .isTrue();
    }

    @Test
    void policySpellings() {
        assertThat(StreamingPolicy.parse("if-needed")).isEqualTo(StreamingPolicy.IF_NEEDED);
        assertThat(StreamingPolicy.parse("ALWAYS")).isEqualTo(StreamingPolicy.ALWAYS);
        assertThat(StreamingPolicy.parse(null)).isEqualTo(StreamingPolicy.IF_NEEDED);
        assertThat(StreamingPolicy.IF_NEEDED.spelling()).isEqualTo("if-needed");
        assertThatThrownBy(() -> StreamingPolicy.parse("sometimes"))
                .isInstanceOf(FlowException.class)
                .hasMessageContaining("never, if-needed or always");
    }
}

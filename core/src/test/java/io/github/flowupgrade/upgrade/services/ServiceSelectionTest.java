package io.github.flowupgrade.upgrade.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flowupgrade.FlowException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceSelectionTest {
    @Test
    void readsCommasSpacesAndAnyCaseInOrder() {
        assertThat(ServiceSelection.parse("web, SIDEKIQ", null).roles()).containsExactly("web", "sidekiq");
        assertThat(ServiceSelection.parse("sidekiq web", null).roles()).containsExactly("sidekiq", "web");
        assertThat(ServiceSelection.parse(null, null).roles()).containsExactly("sidekiq", "web");
        assertThat(ServiceSelection.parse("none", "never"))
                .isEqualTo(new ServiceSelection(List.of(), StreamingPolicy.NEVER));
        assertThat(ServiceSelection.parse("sidekiq", null).streaming()).isEqualTo(StreamingPolicy.IF_NEEDED);
    }

    @Test
    void namingStreamingAsksForItUnlessThePolicySaysOtherwise() {
        assertThat(ServiceSelection.parse("sidekiq,streaming", null))
                .isEqualTo(new ServiceSelection(List.of("sidekiq"), StreamingPolicy.ALWAYS));
        assertThat(ServiceSelection.parse("streaming", "always").streaming()).isEqualTo(StreamingPolicy.ALWAYS);
        assertThatThrownBy(() -> ServiceSelection.parse("streaming", "never"))
                .isInstanceOf(FlowException.class)
                .hasMessageContaining("names streaming but streaming is never");
    }

    @Test
    void refusesRepeatsAndUnknownRoles() {
        assertThatThrownBy(() -> ServiceSelection.parse("web,web", null)).hasMessageContaining("names web twice");
        assertThatThrownBy(() -> ServiceSelection.parse("web,db", null)).hasMessageContaining("not \"db\"");
        assertThatThrownBy(() -> ServiceSelection.parse("web;reboot", null)).hasMessageContaining("not \"web;reboot\"");
    }
}

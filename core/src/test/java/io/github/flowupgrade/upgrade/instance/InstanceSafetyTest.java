package io.github.flowupgrade.upgrade.instance;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flowupgrade.ExitCode;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.commands.ReleaseTag;
import io.github.flowupgrade.release.ReleaseVersion;
import io.github.flowupgrade.release.RollingCutoff;
import io.github.flowupgrade.release.UpgradePlan;
import io.github.flowupgrade.upgrade.UpgradePath;
import java.util.List;
import org.junit.jupiter.api.Test;

class InstanceSafetyTest {
    private static final RollingCutoff V430 = new RollingCutoff(
            "v4.3.0",
            ReleaseVersion.parse("v4.2.0").orElseThrow(),
            ReleaseVersion.parse("v4.3.0").orElseThrow(),
            "Rolling updates from versions earlier than Mastodon 4.2 are not supported");

    @Test
    void aHopTheNotesAllowNoRollingUpdateForIsRefusedForAnInstanceEvenWhereASingleHostCouldStopItsSite() {
        UpgradePath path = path(new UpgradePath.Hop(
                ReleaseTag.of("v4.3.1"), null, List.of("v4.3.0", "v4.3.1"), UpgradePlan.empty(), V430));

        FlowException refused = InstanceSafety.rollingRefusal("social.example", path);

        assertThat(refused).isNotNull();
        assertThat(refused.exitCode()).isEqualTo(ExitCode.REFUSED);
        assertThat(refused.getMessage())
                .contains("a rolling upgrade of instance social.example is not supported")
                .contains("v4.3.1: v4.3.0: a rolling update to 4.3.0 or later from before 4.2.0 is not supported")
                .contains("stops the site of a single host only")
                .contains("Nothing was changed");
    }

    @Test
    void rollingHopsAreNotRefused() {
        UpgradePath path =
                path(new UpgradePath.Hop(ReleaseTag.of("v4.3.1"), null, List.of("v4.3.1"), UpgradePlan.empty()));

        assertThat(InstanceSafety.rollingRefusal("social.example", path)).isNull();
    }

    private static UpgradePath path(UpgradePath.Hop hop) {
        return new UpgradePath("v4.1.0", "v4.3.1", null, hop.releases(), UpgradePlan.empty(), List.of(hop));
    }
}

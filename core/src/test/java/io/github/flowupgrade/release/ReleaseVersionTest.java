package io.github.flowupgrade.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReleaseVersionTest {
    private static ReleaseVersion v(String tag) {
        return ReleaseVersion.parse(tag).orElseThrow();
    }

    @Test
    void ordersAsSemverWithMastodonsTagForms() {
        List<String> ordered = List.of(
                "v3.5.0rc1",
                "v3.5.0rc2",
                "v3.5.0rc10",
                "v3.5.0",
                "v4.2.0-rc1",
                "v4.2.0",
                "v4.2.15",
                "v4.3.0-beta.1",
                "v4.3.0-beta.2",
                "v4.3.0-rc.1",
                "v4.3.0",
                "4.3.1",
                "v4.10.0");
        for (int i = 0; i + 1 < ordered.size(); i++) {
            assertThat(v(ordered.get(i)))
                    .as(ordered.get(i) + " < " + ordered.get(i + 1))
                    .isLessThan(v(ordered.get(i + 1)));
        }
    }

    @Test
    void buildMetadataDoesNotOrder() {
        assertThat(v("v4.0.15+hometown-1.1.1")).isEqualByComparingTo(v("v4.0.15"));
        assertThat(v("v4.3.0+glitch").build()).isEqualTo("glitch");
        assertThat(v("v4.3.0+glitch").isPreRelease()).isFalse();
        assertThat(v("v4.3.0-beta.2+my-fork").isPreRelease()).isTrue();
    }

    @Test
    void tagsThatAreNotVersionsAreIgnored() {
        assertThat(ReleaseVersion.parse("nightly.2024-02-02-security")).isEmpty();
        assertThat(ReleaseVersion.parse("latest")).isEmpty();
        assertThat(ReleaseVersion.parse("v4.3")).isEmpty();
        assertThat(ReleaseVersion.parse(null)).isEqualTo(Optional.empty());
        assertThat(ReleaseVersion.parse("v1.2.3; rm -rf /")).isEmpty();
    }

    @Test
    void seriesAndToString() {
        assertThat(v("v4.5.20").series()).isEqualTo("4.5");
        assertThat(v("v4.5.20").sameSeries(v("v4.5.0-rc.1"))).isTrue();
        assertThat(v("v3.5.0rc1")).hasToString("3.5.0-rc.1");
    }
}

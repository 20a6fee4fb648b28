package io.github.flowupgrade.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BuildUrlTest {
    @Test
    void dropsUserInformationQueryAndFragment() {
        assertThat(BuildUrl.withoutCredentials("https://deploy:p@ss@ci.example/job/7/?token=abc#top"))
                .isEqualTo("https://ci.example/job/7/");
        assertThat(BuildUrl.withoutCredentials("https://u%40corp:p%3Aw@ci.example:8443/job/7/"))
                .isEqualTo("https://ci.example:8443/job/7/");
        assertThat(BuildUrl.withoutCredentials("https://token@ci.example")).isEqualTo("https://ci.example");
        assertThat(BuildUrl.withoutCredentials("u:p@ci.example/job/7/")).isEqualTo("ci.example/job/7/");
    }

    @Test
    void keepsAnAddressWithoutCredentials() {
        assertThat(BuildUrl.withoutCredentials(" https://ci.example/job/a@b/7/ "))
                .isEqualTo("https://ci.example/job/a@b/7/");
        assertThat(BuildUrl.withoutCredentials("local build 7")).isEqualTo("local build 7");
        assertThat(BuildUrl.withoutCredentials("  ")).isNull();
        assertThat(BuildUrl.withoutCredentials(null)).isNull();
    }
}

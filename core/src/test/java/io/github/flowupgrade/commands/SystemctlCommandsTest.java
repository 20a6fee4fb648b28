package io.github.flowupgrade.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flowupgrade.FlowException;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SystemctlCommandsTest {
    @Test
    void actionsAndQueriesPutTheUnitRightAfterTheVerb() {
        assertThat(SystemctlCommands.restart("mastodon-sidekiq").line())
                .isEqualTo("systemctl restart mastodon-sidekiq");
        assertThat(SystemctlCommands.reload("mastodon-web").line()).isEqualTo("systemctl reload mastodon-web");
        assertThat(SystemctlCommands.isActive("mastodon-web").line()).isEqualTo("systemctl is-active mastodon-web");
        assertThat(SystemctlCommands.mainPid("mastodon-web").line())
                .isEqualTo("systemctl show mastodon-web -p MainPID --value");
        assertThat(SystemctlCommands.activeEnterTimestamp("mastodon-web").line())
                .isEqualTo("systemctl show mastodon-web -p ActiveEnterTimestampMonotonic --value");
        assertThat(SystemctlCommands.state("mastodon-streaming@4000").line())
                .isEqualTo("systemctl show mastodon-streaming@4000 -p ActiveState -p SubState -p MainPID"
                        + " -p ActiveEnterTimestampMonotonic");
        assertThat(SystemctlCommands.status("mastodon-web").line())
                .isEqualTo("systemctl status mastodon-web --no-pager --lines 0");
        assertThat(SystemctlCommands.journal("mastodon-web").line())
                .isEqualTo("journalctl -u mastodon-web -n 30 --no-pager");
        assertThat(SystemctlCommands.resetFailed("mastodon-web").line())
                .isEqualTo("systemctl reset-failed mastodon-web");
    }

    @Test
    void hostileUnitNamesAreRefusedBeforeAnythingRuns() {
        for (String bad : new String[] {"web; reboot", "$(id)", "-H", "a b", "web\nx", "`id`", ""}) {
            assertThatThrownBy(() -> SystemctlCommands.restart(bad)).as(bad).isInstanceOf(FlowException.class);
        }
    }

    @Test
    void healthProbesAndVersionProbes() {
        assertThat(HealthCommands.probe(URI.create("http://127.0.0.1:3000/health"), Duration.ofSeconds(5))
                        .line())
                .isEqualTo("curl -fsS --max-time 5 http://127.0.0.1:3000/health");
        assertThat(HealthCommands.probe(
                                URI.create("http://127.0.0.1:4000/api/v1/streaming/health?a=1&b=2"),
                                Duration.ofMillis(1500))
                        .line())
                .isEqualTo("curl -fsS --max-time 2 'http://127.0.0.1:4000/api/v1/streaming/health?a=1&b=2'");
        assertThat(HealthCommands.rubyVersion().line()).isEqualTo("ruby -v");
        assertThat(HealthCommands.nodeVersion().line()).isEqualTo("node -v");
        assertThat(HealthCommands.postgresqlVersion().line()).isEqualTo("psql --version");
        assertThat(HealthCommands.redisVersion().line())
                .isEqualTo("sh -c 'redis-server --version 2>/dev/null || redis-cli --version'");
        assertThatThrownBy(() -> HealthCommands.probe(URI.create("file:///etc/passwd"), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

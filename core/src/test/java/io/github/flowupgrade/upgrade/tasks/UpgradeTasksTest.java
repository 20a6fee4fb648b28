package io.github.flowupgrade.upgrade.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.release.PlanTask;
import io.github.flowupgrade.release.TaskKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpgradeTasksTest {
    private static final String DIR = "/home/mastodon/live";

    @Test
    void everyTaskKindBecomesAnArgvCommandWithRailsEnvInTheAppDirectory() {
        assertThat(UpgradeTasks.commandFor(task(TaskKind.BUNDLE_INSTALL), DIR).line())
                .isEqualTo(
                        "(cd /home/mastodon/live && env PATH=\"$HOME/.rbenv/shims:$HOME/.rbenv/bin:/usr/local/bin:$PATH\" env 'RAILS_ENV=production' sh -c 'bundle install')");
        assertThat(UpgradeTasks.commandFor(task(TaskKind.PRE_DEPLOYMENT_MIGRATIONS), DIR)
                        .line())
                .isEqualTo(
                        "(cd /home/mastodon/live && env PATH=\"$HOME/.rbenv/shims:$HOME/.rbenv/bin:/usr/local/bin:$PATH\" env 'RAILS_ENV=production'"
                                + " 'SKIP_POST_DEPLOYMENT_MIGRATIONS=true' sh -c 'bundle exec rails db:migrate')");
        assertThat(UpgradeTasks.commandFor(task(TaskKind.POST_DEPLOYMENT_MIGRATIONS), DIR)
                        .line())
                .isEqualTo(
                        "(cd /home/mastodon/live && env PATH=\"$HOME/.rbenv/shims:$HOME/.rbenv/bin:/usr/local/bin:$PATH\" env 'RAILS_ENV=production' sh -c"
                                + " 'bundle exec rails db:migrate')");
        assertThat(UpgradeTasks.commandFor(task(TaskKind.ASSETS_PRECOMPILE), DIR)
                        .line())
                .contains("'bundle exec rails assets:precompile'");
        assertThat(UpgradeTasks.commandFor(task(TaskKind.YARN_INSTALL), DIR).line())
                .contains("'yarn install --immutable'");
    }

    @Test
    void aTaskWithShellSyntaxIsRefused() {
        for (String bad : new String[] {"bundle install; reboot", "yarn install $(id)", "x `id`", "a | b", "a > /f"}) {
            assertThatThrownBy(() ->
                            UpgradeTasks.commandFor(new PlanTask(TaskKind.BUNDLE_INSTALL, bad, List.of("v1.0.0")), DIR))
                    .as(bad)
                    .isInstanceOf(FlowException.class);
        }
    }

    @Test
    void versionsAreReadFromToolOutputAndComparedByTheRequiredParts() {
        assertThat(UpgradeTasks.version("ruby 3.3.6 (2024-11-05 revision 75015d4c1f) [x86_64-linux]"))
                .isEqualTo("3.3.6");
        assertThat(UpgradeTasks.version("v20.18.1")).isEqualTo("20.18.1");
        assertThat(UpgradeTasks.version("psql (PostgreSQL) 15.10 (Debian 15.10-0+deb12u1)"))
                .isEqualTo("15.10");
        assertThat(UpgradeTasks.version("Redis server v=7.0.15 sha=00000000:0")).isEqualTo("7.0.15");
        assertThat(UpgradeTasks.version("nothing here")).isNull();
        assertThat(UpgradeTasks.atLeast("3.3.6", "3.1")).isTrue();
        assertThat(UpgradeTasks.atLeast("3.1", "3.1")).isTrue();
        assertThat(UpgradeTasks.atLeast("3.0.7", "3.1")).isFalse();
        assertThat(UpgradeTasks.atLeast("20.18.1", "20.19")).isFalse();
        assertThat(UpgradeTasks.atLeast("15.10", "12")).isTrue();
        assertThat(UpgradeTasks.atLeast("18", "18.13")).isFalse();
    }

    private static PlanTask task(TaskKind kind) {
        return new PlanTask(kind, kind.defaultCommand(), List.of("v4.3.0"));
    }
}

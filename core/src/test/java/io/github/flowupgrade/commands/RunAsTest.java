package io.github.flowupgrade.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flowupgrade.FlowException;
import org.junit.jupiter.api.Test;

class RunAsTest {
    private final Command git = Command.of("git", "-C", "/home/mastodon/live", "fetch", "--tags");
    private final Command restart = Command.of("systemctl", "restart", "mastodon-web");

    @Test
    void directRunsAppCommandsAsTheyAreAndRootOnesThroughSudo() {
        RunAs runAs = RunAs.of("direct", "mastodon");
        assertThat(runAs.app(git).line()).isEqualTo("git -C /home/mastodon/live fetch --tags");
        assertThat(runAs.root(restart).line()).isEqualTo("sudo -n systemctl restart mastodon-web");
        assertThat(runAs.mode()).isEqualTo("direct");
    }

    @Test
    void suFromRootRunsAppCommandsThroughALoginShell() {
        RunAs runAs = RunAs.of("su", "mastodon");
        assertThat(runAs.app(git).line()).isEqualTo("su - mastodon -c 'git -C /home/mastodon/live fetch --tags'");
        assertThat(runAs.root(restart).line()).isEqualTo("systemctl restart mastodon-web");
    }

    @Test
    void withoutAModeRootGoesThroughSuAndAnyOtherLoginIsTheAppUser() {
        assertThat(RunAs.of(null, "mastodon", "root")).isEqualTo(new RunAs.Su("mastodon"));
        assertThat(RunAs.of(null, "mastodon", "mastodon")).isEqualTo(new RunAs.Direct("mastodon"));
        assertThat(RunAs.of(null, "mastodon", null)).isEqualTo(new RunAs.Direct("mastodon"));
        // A chosen mode wins over the login's name.
        assertThat(RunAs.of("sudo", "mastodon", "root")).isEqualTo(new RunAs.Sudo("mastodon"));
    }

    @Test
    void sudoNeverPrompts() {
        RunAs runAs = RunAs.of("SUDO", "mastodon");
        assertThat(runAs.app(git).line())
                .isEqualTo("sudo -n -u mastodon -H sh -c 'git -C /home/mastodon/live fetch --tags'");
        assertThat(runAs.root(restart).line()).isEqualTo("sudo -n systemctl restart mastodon-web");
    }

    @Test
    void quotesNestedQuotesAndKeepsTheRedactedForm() {
        Command secret = new Command("echo 'token=abc'", "echo 'token=***'");
        Command wrapped = RunAs.of("su", "mastodon").app(secret);
        assertThat(wrapped.line()).isEqualTo("su - mastodon -c 'echo '\\''token=abc'\\'''");
        assertThat(wrapped.redacted()).isEqualTo("su - mastodon -c 'echo '\\''token=***'\\'''");
    }

    @Test
    void validatesModeAndUser() {
        assertThatThrownBy(() -> RunAs.of("doas", "mastodon")).isInstanceOf(FlowException.class);
        assertThatThrownBy(() -> RunAs.of("su", "root;id")).isInstanceOf(FlowException.class);
        assertThatThrownBy(() -> RunAs.of("su", "-mastodon")).isInstanceOf(FlowException.class);
    }

    @Test
    void recognisesASudoThatWantsAPassword() {
        assertThat(RunAs.sudoWantedPassword("sudo: a password is required")).isTrue();
        assertThat(RunAs.sudoWantedPassword("fatal: not a git repository")).isFalse();
    }
}

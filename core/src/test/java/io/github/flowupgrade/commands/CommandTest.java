package io.github.flowupgrade.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandTest {
    @Test
    void combinators() {
        Command a = Command.of("git", "fetch", "--tags");
        Command b = Command.of("git", "checkout", "v4.3.1");
        assertThat(a.and(b).line()).isEqualTo("git fetch --tags && git checkout v4.3.1");
        assertThat(a.then(b).line()).isEqualTo("git fetch --tags; git checkout v4.3.1");
        assertThat(a.pipe(Command.of("head", "-n", "1")).line()).isEqualTo("git fetch --tags | head -n 1");
        assertThat(a.in("/home/mastodon/live").line()).isEqualTo("(cd /home/mastodon/live && git fetch --tags)");
    }

    @Test
    void environmentIsQuotedAndKeptForTheWholeLine() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("RAILS_ENV", "production");
        env.put("SKIP_POST_DEPLOYMENT_MIGRATIONS", "true");
        Command c = Command.of("bundle", "exec", "rails", "db:migrate").withEnv(env);
        assertThat(c.line())
                .isEqualTo("env 'RAILS_ENV=production' 'SKIP_POST_DEPLOYMENT_MIGRATIONS=true' sh -c"
                        + " 'bundle exec rails db:migrate'");
        assertThatThrownBy(() -> c.withEnv(Map.of("BAD NAME", "x"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void redactedFormTravelsThroughCombinators() {
        Command secret = new Command("echo hunter2", "echo ***");
        Command c = Command.of("true").and(secret).in("/tmp");
        assertThat(c.line()).contains("hunter2");
        assertThat(c.redacted()).doesNotContain("hunter2").contains("***");
        assertThat(c.toString()).isEqualTo(c.redacted());
    }

    @Test
    void emptyCommandRefused() {
        assertThatThrownBy(() -> new Command(" ", " ")).isInstanceOf(IllegalArgumentException.class);
    }
}

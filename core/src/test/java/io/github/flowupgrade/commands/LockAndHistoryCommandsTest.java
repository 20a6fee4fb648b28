package io.github.flowupgrade.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LockAndHistoryCommandsTest {
    private final LockCommands lock = new LockCommands("/home/mastodon/.flow-upgrade");
    private final HistoryCommands history = new HistoryCommands("/home/mastodon/.flow-upgrade");

    @Test
    void acquiresWithAnAtomicMkdirAndWritesTheHolder() {
        assertThat(lock.acquire("held by ci@build since 2026-11-23T12:00:00Z for checkout v4.3.1")
                        .line())
                .isEqualTo("mkdir -p -m 700 /home/mastodon/.flow-upgrade"
                        + " && mkdir /home/mastodon/.flow-upgrade/lock"
                        + " && printf '%s\\n' 'held by ci@build since 2026-11-23T12:00:00Z for checkout v4.3.1'"
                        + " > /home/mastodon/.flow-upgrade/lock/holder");
    }

    @Test
    void readsAndReleases() {
        assertThat(lock.status().line())
                .isEqualTo("test -d /home/mastodon/.flow-upgrade/lock && cat /home/mastodon/.flow-upgrade/lock/holder");
        assertThat(lock.release().line())
                .isEqualTo("rm -f /home/mastodon/.flow-upgrade/lock/holder && rmdir /home/mastodon/.flow-upgrade/lock");
    }

    @Test
    void holderTextCannotEscapeItsQuotes() {
        assertThat(lock.acquire("x'; rm -rf / #").line())
                .contains("printf '%s\\n' 'x'\\''; rm -rf / #' > /home/mastodon/.flow-upgrade/lock/holder");
    }

    @Test
    void appendsOneLineRecords() {
        assertThat(history.append("{\"commit\":\"abc\"}").line())
                .isEqualTo("mkdir -p -m 700 /home/mastodon/.flow-upgrade"
                        + " && printf '%s\\n' '{\"commit\":\"abc\"}' >> /home/mastodon/.flow-upgrade/history");
        assertThat(history.last(1).line())
                .isEqualTo("test '!' -f /home/mastodon/.flow-upgrade/history"
                        + " || tail -n 1 /home/mastodon/.flow-upgrade/history");
        assertThatThrownBy(() -> history.append("two\nlines")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void timeLimitWrapsTheWholeLine() {
        Command limited = TimeLimit.wrap(Command.of("git", "fetch").and(Command.of("true")), Duration.ofMillis(1500));
        assertThat(limited.line()).isEqualTo("timeout -s TERM -k 5 2 sh -c 'git fetch && true'");
        assertThat(TimeLimit.stopped(124, Duration.ofSeconds(3), Duration.ofSeconds(2)))
                .isTrue();
        assertThat(TimeLimit.stopped(124, Duration.ofSeconds(1), Duration.ofSeconds(2)))
                .isFalse();
        assertThat(TimeLimit.stopped(1, Duration.ofSeconds(3), Duration.ofSeconds(2)))
                .isFalse();
    }

    @Test
    void aMarkedLimitCarriesTheMarkerInTimeoutsArgumentsAndTheStopMatchesOnlyIt() throws Exception {
        String marker = "flow-0123456789abcdef";
        assertThat(TimeLimit.wrap(Command.of("git", "fetch"), Duration.ofSeconds(30), marker)
                        .line())
                .isEqualTo("timeout -s TERM -k 5 30 env FLOW_RUN=flow-0123456789abcdef git fetch");
        assertThat(TimeLimit.wrap(Command.of("git", "fetch").and(Command.of("true")), Duration.ofSeconds(30), marker)
                        .line())
                .isEqualTo("timeout -s TERM -k 5 30 env FLOW_RUN=flow-0123456789abcdef sh -c 'git fetch && true'");
        assertThat(TimeLimit.stop(marker).line())
                .isEqualTo("pkill -TERM -f 'FLOW_RUN=flow-[0]123456789abcdef' || [ \"$?\" -eq 1 ]");
        assertThat(TimeLimit.newMarker()).matches("flow-[0-9a-f]{16}").isNotEqualTo(TimeLimit.newMarker());
        assertThatThrownBy(() -> TimeLimit.stop("flow-x; reboot")).isInstanceOf(IllegalArgumentException.class);

        // For real: the stop ends the marked command and all it started, leaves an unmarked twin alone, does not
        // stop the shell that runs it, and succeeds when nothing is left to stop.
        String mine = TimeLimit.newMarker();
        Process marked = new ProcessBuilder(
                        "sh",
                        "-c",
                        TimeLimit.wrap(Command.of("sh", "-c", "sleep 6021; echo marked"), Duration.ofSeconds(60), mine)
                                .line())
                .start();
        Process twin = new ProcessBuilder("sh", "-c", "sleep 6021").start();
        Thread.sleep(300);
        Process stop = new ProcessBuilder("sh", "-c", TimeLimit.stop(mine).line() + " && echo stopped")
                .redirectErrorStream(true)
                .start();
        assertThat(stop.waitFor()).isZero();
        assertThat(new String(stop.getInputStream().readAllBytes())).isEqualTo("stopped\n");
        assertThat(marked.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        // The shell that started it carries the marker too and ends by TERM (143), or sees timeout's 124.
        assertThat(marked.exitValue()).isIn(TimeLimit.EXIT_TIMED_OUT, 143);
        assertThat(new String(marked.getInputStream().readAllBytes())).doesNotContain("marked");
        assertThat(twin.isAlive()).isTrue();
        twin.destroy();
        Process again = new ProcessBuilder("sh", "-c", TimeLimit.stop(mine).line()).start();
        assertThat(again.waitFor()).as("nothing left to stop is fine").isZero();
    }

    @Test
    void pathQuestions() {
        assertThat(PathCommands.owner("/home/mastodon/live").line()).isEqualTo("stat -c %U /home/mastodon/live");
        assertThat(PathCommands.whoami().line()).isEqualTo("id -un");
    }
}

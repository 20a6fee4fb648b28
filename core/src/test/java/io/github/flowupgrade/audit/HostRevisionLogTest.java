package io.github.flowupgrade.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flowupgrade.FlowException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HostRevisionLogTest {
    private static final Instant NOON = Instant.parse("2026-11-23T12:00:00.789Z");
    private static final String COMMIT = "abc1234" + "0".repeat(33);

    @Test
    void oneLineSaysWhoDeployedWhatFromWhere() {
        HostRevisionLog.Entry entry = new HostRevisionLog.Entry(
                NOON,
                "alice",
                HostRevisionLog.Outcome.DEPLOYED,
                "v4.3.1",
                "abc1234def5678abc1234def5678abc1234def56",
                "v4.2.0",
                "https://ci.example/job/upgrade/42/",
                "20261123T120000Z-3fa9c1");
        assertThat(entry.line())
                .isEqualTo("2026-11-23T12:00:00Z alice deployed v4.3.1 (abc1234) from v4.2.0"
                        + " build=https://ci.example/job/upgrade/42/ run=20261123T120000Z-3fa9c1");
    }

    @Test
    void appendsBesideTheApplicationDirectory() {
        HostRevisionLog.Entry entry = new HostRevisionLog.Entry(
                NOON, "bob@laptop", HostRevisionLog.Outcome.FAILED, "v4.3.1", COMMIT, null, null, "r1");
        assertThat(HostRevisionLog.file("/home/mastodon/live")).isEqualTo("/home/mastodon/.flow-upgrade/revisions.log");
        assertThat(HostRevisionLog.append("/home/mastodon/live/", entry).line())
                .isEqualTo("mkdir -p -m 700 /home/mastodon/.flow-upgrade && printf '%s\\n'"
                        + " '2026-11-23T12:00:00Z bob@laptop failed to deploy v4.3.1 (abc1234) run=r1'"
                        + " >> /home/mastodon/.flow-upgrade/revisions.log");
        assertThat(HostRevisionLog.last("/home/mastodon/live", 5).line())
                .isEqualTo("test '!' -f /home/mastodon/.flow-upgrade/revisions.log"
                        + " || tail -n 5 /home/mastodon/.flow-upgrade/revisions.log");
        assertThat(HostRevisionLog.file("/srv/app")).isEqualTo("/srv/.flow-upgrade/revisions.log");
        assertThat(HostRevisionLog.file("/app")).isEqualTo("/.flow-upgrade/revisions.log");
    }

    @Test
    void anActorCannotAddLinesOrBreakOutOfTheQuotes() {
        HostRevisionLog.Entry entry = new HostRevisionLog.Entry(
                NOON,
                "eve'; rm -rf ~; echo '\nforged line",
                HostRevisionLog.Outcome.ROLLED_BACK,
                "v4.2.0",
                COMMIT,
                null,
                "https://ci/job 1",
                "r1");
        assertThat(entry.line())
                .isEqualTo("2026-11-23T12:00:00Z eve'; rm -rf ~; echo '?forged line rolled back to v4.2.0 (abc1234)"
                        + " build=https://ci/job+1 run=r1");
        assertThat(HostRevisionLog.append("/home/mastodon/live", entry).line())
                .contains("'2026-11-23T12:00:00Z eve'\\''; rm -rf ~; echo '\\''?forged line rolled back");
    }

    @Test
    void refusesValuesThatAreNotTagsOrCommits() {
        assertThatThrownBy(() -> new HostRevisionLog.Entry(
                        NOON, "a", HostRevisionLog.Outcome.DEPLOYED, "main; reboot", COMMIT, null, null, "r"))
                .isInstanceOf(FlowException.class);
        assertThatThrownBy(() -> new HostRevisionLog.Entry(
                        NOON, "a", HostRevisionLog.Outcome.DEPLOYED, "v1.0.0", "xyz", null, null, "r"))
                .isInstanceOf(FlowException.class);
    }
}

package io.github.flowupgrade.upgrade.checkout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a rollback reads from the host's history: the checkout to undo and the migrations still in effect. */
class RollbackHistoryTest {
    private static String checkout(String from, String to) {
        return "{\"operation\":\"checkout\",\"previousTag\":\"" + from + "\",\"tag\":\"" + to + "\"}";
    }

    private static String migrations(String tag, String backup) {
        return "{\"operation\":\"migrations\",\"tag\":\"" + tag + "\",\"task\":\"bundle exec rails db:migrate\","
                + "\"backup\":" + (backup == null ? "null" : "\"" + backup + "\"") + "}";
    }

    private static String backup(String path) {
        return "{\"operation\":\"backup\",\"backup\":\"" + path + "\"}";
    }

    private static String restore(String path) {
        return "{\"operation\":\"restore\",\"backup\":\"" + path + "\"}";
    }

    private static RollbackHistory read(String... lines) throws Exception {
        return RollbackHistory.read(String.join("\n", lines));
    }

    private static List<String> tags(List<JsonNode> records) {
        return records.stream().map(r -> r.path("tag").asText()).toList();
    }

    @Test
    void theLastCheckoutIsUndoneAndNothingBlocksItWithoutMigrations() throws Exception {
        RollbackHistory history = read(checkout("v4.1.0", "v4.2.0"), checkout("v4.2.0", "v4.3.0"));
        assertThat(history.checkout().path("tag").asText()).isEqualTo("v4.3.0");
        assertThat(history.migrations()).isEmpty();
    }

    @Test
    void migrationsAfterTheLastCheckoutAreInEffect() throws Exception {
        RollbackHistory history = read(
                backup("/b/x.dump"),
                checkout("v4.2.0", "v4.3.0"),
                migrations("v4.3.0", "/b/x.dump"),
                migrations("v4.3.0", "/b/x.dump"));
        assertThat(history.checkout().path("tag").asText()).isEqualTo("v4.3.0");
        assertThat(tags(history.migrations())).containsExactly("v4.3.0", "v4.3.0");
        assertThat(history.restoredElsewhere()).isNull();
    }

    @Test
    void migrationsOfAnEarlierHopDoNotBlockUndoingTheLastOne() throws Exception {
        RollbackHistory history =
                read(checkout("v4.2.0", "v4.3.0"), migrations("v4.3.0", "/b/x.dump"), checkout("v4.3.0", "v4.3.1"));
        assertThat(history.checkout().path("tag").asText()).isEqualTo("v4.3.1");
        assertThat(history.migrations()).isEmpty();
    }

    @Test
    void aRestoreOfTheBackupTakenWithTheTargetsCodeUndoesTheMigrations() throws Exception {
        // flow upgrade: the backup before the checkout; flowRunUpgradeTasks: after it. Both match.
        assertThat(read(
                                backup("/b/x.dump"),
                                checkout("v4.2.0", "v4.3.0"),
                                migrations("v4.3.0", "/b/x.dump"),
                                restore("/b/x.dump"))
                        .migrations())
                .isEmpty();
        assertThat(read(
                                checkout("v4.2.0", "v4.3.0"),
                                backup("/b/x.dump"),
                                migrations("v4.3.0", "/b/x.dump"),
                                restore("/b/x.dump"))
                        .migrations())
                .isEmpty();
    }

    @Test
    void migrationsAfterARestoreAreInEffectAgain() throws Exception {
        RollbackHistory history = read(
                backup("/b/x.dump"),
                checkout("v4.2.0", "v4.3.0"),
                migrations("v4.3.0", "/b/x.dump"),
                restore("/b/x.dump"),
                migrations("v4.3.0", null));
        assertThat(history.migrations()).hasSize(1);
    }

    @Test
    void aRestoreOfABackupFromBeforeAnEarlierHopLeavesTheRollbackRefused() throws Exception {
        RollbackHistory history = read(
                backup("/b/x.dump"),
                checkout("v4.2.0", "v4.3.0"),
                migrations("v4.3.0", "/b/x.dump"),
                checkout("v4.3.0", "v4.3.1"),
                migrations("v4.3.1", "/b/x.dump"),
                restore("/b/x.dump"));
        assertThat(history.migrations()).hasSize(1);
        assertThat(history.restoredElsewhere()).isEqualTo("/b/x.dump");
    }

    @Test
    void aRestoreOfAnUnknownBackupUndoesNothing() throws Exception {
        RollbackHistory history =
                read(checkout("v4.2.0", "v4.3.0"), migrations("v4.3.0", null), restore("/elsewhere/y.dump"));
        assertThat(history.migrations()).hasSize(1);
        assertThat(history.restoredElsewhere()).isEqualTo("/elsewhere/y.dump");
    }

    @Test
    void recordsWithoutAnOperationAreCheckoutsAsBefore() throws Exception {
        RollbackHistory history = read("{\"previousTag\":\"v4.2.0\",\"tag\":\"v4.2.1\"}");
        assertThat(history.checkout().path("tag").asText()).isEqualTo("v4.2.1");
    }

    @Test
    void noCheckoutAndUnreadableLinesAreSaid() throws Exception {
        assertThat(read(migrations("v4.3.0", null)).checkout()).isNull();
        assertThatThrownBy(() -> read(checkout("v4.2.0", "v4.3.0"), "not json {", migrations("v4.3.0", null)))
                .isInstanceOf(RollbackHistory.Unreadable.class)
                .satisfies(e ->
                        assertThat(((RollbackHistory.Unreadable) e).fromEnd).isEqualTo(2));
    }
}

package io.github.flowupgrade.upgrade.checkout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the host's history says to a rollback: the last checkout (or rollback) record, the one to undo, and the
 * database migrations recorded since it that are still in effect. A migration may have changed the schema, so any
 * still in effect means the code must not go back alone. A restore ({@code flow restore}) of a backup undoes them when
 * that backup was taken with the code the rollback returns to: no checkout and no migration lies between the backup's
 * record and the checkout record. A restore of any other backup leaves the schema matching some other release, so the
 * rollback stays refused ({@link #restoredElsewhere}).
 *
 * @param checkout the record to undo, or null when the history has none
 * @param migrations the migration records after it still in effect, oldest first
 * @param restoredElsewhere the backup of a restore after the checkout that does not match the rollback's target, or
 *     null
 */
record RollbackHistory(JsonNode checkout, List<JsonNode> migrations, String restoredElsewhere) {
    static final String CHECKOUT = "checkout";
    static final String ROLLBACK = "rollback";
    static final String MIGRATIONS = "migrations";
    static final String BACKUP = "backup";
    static final String RESTORE = "restore";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A history line that is not a JSON record: the caller refuses to guess. */
    static final class Unreadable extends Exception {
        final int fromEnd;

        Unreadable(int fromEnd) {
            super("line " + fromEnd + " from the end is not a history record");
            this.fromEnd = fromEnd;
        }
    }

    /** Reads the history's last lines, oldest first. */
    static RollbackHistory read(String tail) throws Unreadable {
        List<JsonNode> records = new ArrayList<>();
        String[] lines = tail.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            try {
                records.add(JSON.readTree(lines[i]));
            } catch (IOException e) {
                throw new Unreadable(lines.length - i);
            }
        }
        int last = -1;
        for (int i = records.size() - 1; i >= 0 && last < 0; i--) {
            if (movesCode(records.get(i))) {
                last = i;
            }
        }
        if (last < 0) {
            return new RollbackHistory(null, List.of(), null);
        }
        List<JsonNode> migrations = new ArrayList<>();
        String elsewhere = null;
        for (int i = last + 1; i < records.size(); i++) {
            JsonNode record = records.get(i);
            String operation = operation(record);
            if (MIGRATIONS.equals(operation)) {
                migrations.add(record);
            } else if (RESTORE.equals(operation)) {
                String backup = record.path("backup").asText("");
                if (takenWithTheRollbacksTarget(records, last, backup)) {
                    migrations.clear();
                    elsewhere = null;
                } else {
                    elsewhere = backup;
                }
            }
        }
        return new RollbackHistory(records.get(last), migrations, elsewhere);
    }

    /**
     * Whether {@code backup} was taken with the code the rollback returns to: its record exists and nothing that
     * moved the code or the schema lies between it and the checkout record at {@code last}.
     */
    private static boolean takenWithTheRollbacksTarget(List<JsonNode> records, int last, String backup) {
        int at = -1;
        for (int i = records.size() - 1; i >= 0 && at < 0; i--) {
            JsonNode record = records.get(i);
            if (BACKUP.equals(operation(record))
                    && backup.equals(record.path("backup").asText(null))) {
                at = i;
            }
        }
        if (at < 0) {
            return false;
        }
        for (int i = Math.min(at, last) + 1; i < Math.max(at, last); i++) {
            String operation = operation(records.get(i));
            if (movesCode(records.get(i)) || MIGRATIONS.equals(operation) || RESTORE.equals(operation)) {
                return false;
            }
        }
        return true;
    }

    /** A checkout or rollback record (records before migrations were recorded name no operation: checkouts). */
    private static boolean movesCode(JsonNode record) {
        String operation = operation(record);
        return operation == null || CHECKOUT.equals(operation) || ROLLBACK.equals(operation);
    }

    private static String operation(JsonNode record) {
        JsonNode operation = record.path("operation");
        return operation.isTextual() ? operation.asText() : null;
    }
}

package io.github.flowupgrade.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** What {@link AuditVerifier} found in a trail. */
public sealed interface AuditVerification {
    /** The one line a user reads: {@code intact: ...}, {@code unfinished: ...} or {@code broken at line N: ...}. */
    String summaryLine();

    /** Whether every record is well formed and chained; an unfinished trail's chain is intact too. */
    boolean chainIntact();

    /** Every record is chained and the last run ended with {@code run.finished}. */
    record Intact(Summary summary) implements AuditVerification {
        @Override
        public String summaryLine() {
            return "intact: " + summary.describe();
        }

        @Override
        public boolean chainIntact() {
            return true;
        }
    }

    /**
     * Every record is chained but the last run has no {@code run.finished}: the run is still going (or died), or,
     * when nothing anchors the end, the file was cut at a line boundary. Distinct from {@link Intact} because a missing
     * end is exactly what cutting the last lines off looks like.
     */
    record Unfinished(Summary summary) implements AuditVerification {
        @Override
        public String summaryLine() {
            return "unfinished: the trail ends without run.finished ("
                    + (summary.checked() == null
                            ? "truncated, or the run is still going"
                            : "the run is still going, or its process died")
                    + "): " + summary.describe();
        }

        @Override
        public boolean chainIntact() {
            return true;
        }
    }

    /**
     * The first record that does not hold.
     *
     * @param line its line number in the file, from 1
     * @param problem what is wrong with it
     * @param before what was intact before it (null when line 1 is broken)
     */
    record Broken(long line, String problem, Summary before) implements AuditVerification {
        @Override
        public String summaryLine() {
            return "broken at line " + line + ": " + problem;
        }

        @Override
        public boolean chainIntact() {
            return false;
        }
    }

    /**
     * What an intact chain holds.
     *
     * @param records number of records (the last seq)
     * @param runs the run ids in file order
     * @param first time of the first record
     * @param last time of the last record
     * @param status the {@code status} of the last {@code run.finished}, or null when the last run is unfinished
     * @param head hex SHA-256 of the last line: the {@code prev} the next record must carry; keep it elsewhere (the
     *     build log) to detect a later edit of the last line
     * @param lastRunFinished whether the last run ended with {@code run.finished}
     * @param checked what the end was checked against (the head file, {@code --head}), or null
     */
    record Summary(
            long records,
            List<String> runs,
            Instant first,
            Instant last,
            String status,
            String head,
            boolean lastRunFinished,
            String checked) {
        public Summary {
            runs = List.copyOf(runs);
        }

        String describe() {
            String runText = runs.size() == 1 ? "run " + runs.get(0) : runs.size() + " runs " + String.join(", ", runs);
            return records + (records == 1 ? " record, " : " records, ") + runText + ", "
                    + AuditEvent.formatTime(first) + " to " + AuditEvent.formatTime(last) + " ("
                    + human(Duration.between(first, last)) + "), status " + (status == null ? "none" : status)
                    + ", head " + head + (checked == null ? "" : "; " + checked);
        }

        private static String human(Duration d) {
            long s = d.toSeconds();
            if (s < 60) {
                return d.toMillis() / 1000.0 + "s";
            }
            return s >= 3600
                    ? (s / 3600) + "h" + (s % 3600 / 60) + "m" + (s % 60) + "s"
                    : (s / 60) + "m" + (s % 60) + "s";
        }
    }
}

package io.github.flowupgrade.audit;

import io.github.flowupgrade.commands.Command;
import io.github.flowupgrade.commands.Inputs;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * The short history a host keeps of its own deployments, like Capistrano's {@code revisions.log}: one line per run,
 * appended next to the application directory ({@code /home/mastodon/live} → {@code
 * /home/mastodon/.flow-upgrade/revisions.log}), so whoever logs in to the host can read who deployed what, when, from
 * which build. A builder only: the caller runs the command as the application user after the run's outcome is known.
 */
public final class HostRevisionLog {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private HostRevisionLog() {}

    /** What became of the run on this host. */
    public enum Outcome {
        DEPLOYED("deployed"),
        FAILED("failed to deploy"),
        ROLLED_BACK("rolled back to");

        private final String words;

        Outcome(String words) {
            this.words = words;
        }
    }

    /**
     * One line of the log.
     *
     * @param time when the run finished on the host
     * @param actor who ran it (Jenkins user or {@code user@hostname})
     * @param outcome what happened
     * @param tag the release the host was taken to
     * @param commit the commit the tag resolved to (shortened to 7 digits in the line)
     * @param fromTag the release the host ran before, or null when unknown
     * @param buildUrl the CI build, or null from a terminal
     * @param runId the audit trail's run id, linking this line to the full trail
     */
    public record Entry(
            Instant time,
            String actor,
            Outcome outcome,
            String tag,
            String commit,
            String fromTag,
            String buildUrl,
            String runId) {
        public Entry {
            Objects.requireNonNull(time, "time");
            Objects.requireNonNull(actor, "actor");
            Objects.requireNonNull(outcome, "outcome");
            Inputs.tag(tag);
            Inputs.commit(commit);
            if (fromTag != null) {
                Inputs.tag(fromTag);
            }
            Objects.requireNonNull(runId, "runId");
        }

        /** {@code 2026-11-23T12:00:00Z alice deployed v4.3.1 (abc1234) from v4.2.0 build=URL run=ID}. */
        public String line() {
            StringBuilder s = new StringBuilder();
            s.append(TIME.format(time)).append(' ').append(oneLine(actor)).append(' ');
            s.append(outcome.words).append(' ').append(tag);
            s.append(" (").append(commit, 0, Math.min(7, commit.length())).append(')');
            if (fromTag != null) {
                s.append(" from ").append(fromTag);
            }
            if (buildUrl != null && !buildUrl.isBlank()) {
                s.append(" build=").append(oneLine(buildUrl).replace(' ', '+'));
            }
            s.append(" run=").append(oneLine(runId));
            return s.toString();
        }

        /** Control characters would split or forge lines in the host's log. */
        private static String oneLine(String value) {
            return value.replaceAll("\\p{Cntrl}", "?");
        }
    }

    /** The log file for an application directory: beside it, in {@code .flow-upgrade/revisions.log}. */
    public static String file(String appDir) {
        return stateDir(appDir) + "/revisions.log";
    }

    /**
     * {@code mkdir -p -m 700 DIR && printf '%s\n' LINE >> DIR/revisions.log}: the directory is the tool's state
     * directory on the host, private to the application user as the lock and checkout history there are.
     */
    public static Command append(String appDir, Entry entry) {
        return Command.of("mkdir", "-p", "-m", "700", stateDir(appDir))
                .and(Command.of("printf", "%s\\n", entry.line()).appendTo(file(appDir)));
    }

    /** The last {@code count} lines, nothing when no run has written the log yet. */
    public static Command last(String appDir, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be positive");
        }
        String file = file(appDir);
        return Command.of("test", "!", "-f", file).or(Command.of("tail", "-n", Integer.toString(count), file));
    }

    private static String stateDir(String appDir) {
        String dir = Inputs.dir(appDir);
        if (dir.endsWith("/")) {
            dir = dir.substring(0, dir.length() - 1);
        }
        int slash = dir.lastIndexOf('/');
        String parent = slash == 0 ? "" : dir.substring(0, slash);
        return parent + "/.flow-upgrade";
    }
}

package io.github.flowupgrade.release;

import java.util.List;
import java.util.Map;

/**
 * What one release's notes ask a non-Docker installation to do, as {@link ReleaseNotesParser} reads them.
 *
 * @param tasks the canonical tasks it asks for, with the command it names (yarn's flags vary between releases)
 * @param manual instructions the tool does not carry out, verbatim
 * @param otherRequirements dependency lines other than Ruby, Node.js, PostgreSQL and Redis, verbatim
 * @param stepsMissing the body is cut short: its flags were read but its update steps are not there
 * @param backupAdvised the notes carry the usual "make sure you have backups of the database" reminder
 */
public record ReleaseNotes(
        String tag,
        boolean streamingRestart,
        Map<TaskKind, String> tasks,
        Requirements requirements,
        List<String> manual,
        List<String> otherRequirements,
        boolean stepsMissing,
        boolean backupAdvised) {
    public ReleaseNotes {
        tasks = Map.copyOf(tasks);
        manual = manual.stream().distinct().toList();
        otherRequirements = otherRequirements.stream().distinct().toList();
    }
}

package io.github.flowupgrade.release;

import java.util.List;
import java.util.Map;

/**
 * What one release's notes ask a non-Docker installation to do, as {@link ReleaseNotesParser} reads them. Every item of
 * the notes is in exactly one of {@code coveredByFlow}, {@code manual}, {@code dockerOnly} and {@code information}
 * (changelog entries and boilerplate such as "To get the code for ..." aside).
 *
 * @param streamingRestart the notes ask for a streaming restart (a flag, a restart naming streaming, or, in the
 *     2019-2022 layout, "Restart all Mastodon processes" without a "streaming needs no restart")
 * @param tasks the canonical tasks it asks for, with the command it names (yarn's flags vary between releases)
 * @param manual instructions a human must carry out (or check do not apply), verbatim; the flag, section and step of
 *     one instruction joined in one item
 * @param otherRequirements dependency lines other than Ruby, Node.js, PostgreSQL and Redis, verbatim
 * @param stepsMissing the body is cut short: its flags were read but its update steps are not there
 * @param backupAdvised the notes carry the usual "make sure you have backups of the database" reminder
 * @param dockerOnly instructions for Docker installations only, verbatim; nothing for this installation to confirm
 * @param information text that asks nothing: tips for when something fails, notices, "Nothing special."
 * @param coveredByFlow the steps and flags flow carries out itself (its tasks and its restarts), verbatim
 */
public record ReleaseNotes(
        String tag,
        boolean streamingRestart,
        Map<TaskKind, String> tasks,
        Requirements requirements,
        List<String> manual,
        List<String> otherRequirements,
        boolean stepsMissing,
        boolean backupAdvised,
        List<String> dockerOnly,
        List<String> information,
        List<String> coveredByFlow) {
    public ReleaseNotes {
        tasks = Map.copyOf(tasks);
        manual = manual.stream().distinct().toList();
        otherRequirements = otherRequirements.stream().distinct().toList();
        dockerOnly = dockerOnly.stream().distinct().toList();
        information = information.stream().distinct().toList();
        coveredByFlow = coveredByFlow.stream().distinct().toList();
    }
}

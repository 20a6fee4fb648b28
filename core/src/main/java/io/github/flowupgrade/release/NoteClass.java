package io.github.flowupgrade.release;

/** What an item of release notes is for an installation that does not use Docker, besides what flow runs itself. */
enum NoteClass {
    /** Something a human must do (or check does not apply) before the upgrade: behind {@code --confirm-manual}. */
    MANUAL,
    /** An instruction for Docker installations only: listed, never asked for. */
    DOCKER_ONLY,
    /** Nothing to do: a tip for when something fails, a notice, "Nothing special". */
    INFORMATION
}

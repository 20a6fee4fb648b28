package io.github.flowupgrade.commands;

/** Questions about files on a host. */
public final class PathCommands {
    private PathCommands() {}

    /** Prints the name of the user owning {@code path}. */
    public static Command owner(String path) {
        return Command.of("stat", "-c", "%U", Inputs.dir(path));
    }

    /** Prints the effective user name, to check how commands really run. */
    public static Command whoami() {
        return Command.of("id", "-un");
    }

    /** Prints the effective user name and fails unless it is {@code user}. */
    public static Command whoamiIs(String user) {
        return Command.outputEquals(whoami(), Inputs.user(user));
    }

    /** Prints the owner of {@code path} and fails unless it is {@code user} (or when the path cannot be read). */
    public static Command ownerIs(String path, String user) {
        return Command.outputEquals(owner(path), Inputs.user(user));
    }
}

package io.github.flowupgrade.commands;

/**
 * The host lock as three commands, built on {@code mkdir} being atomic: whoever creates the lock directory holds the
 * lock, and writes who they are into it so a refused run can say who holds it.
 *
 * @param stateDir the tool's state directory on the host, such as {@code /home/mastodon/.flow-upgrade}
 */
public record LockCommands(String stateDir) {
    public LockCommands {
        Inputs.dir(stateDir);
    }

    public String lockDir() {
        return stateDir + "/lock";
    }

    public String holderFile() {
        return lockDir() + "/holder";
    }

    /** Creates the state directory if needed, then the lock directory (fails if it exists), then the holder file. */
    public Command acquire(String holder) {
        return Command.of("mkdir", "-p", "-m", "700", stateDir)
                .and(Command.of("mkdir", lockDir()))
                .and(Command.of("printf", "%s\\n", holder).redirectTo(holderFile()));
    }

    /** Prints the holder details; fails when the lock is not held. */
    public Command status() {
        return Command.of("test", "-d", lockDir()).and(Command.of("cat", holderFile()));
    }

    /** Removes the holder file and the lock directory; {@code rmdir} refuses to remove anything else a person put in it. */
    public Command release() {
        return Command.of("rm", "-f", holderFile()).and(Command.of("rmdir", lockDir()));
    }
}

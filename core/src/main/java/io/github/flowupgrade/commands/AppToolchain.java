package io.github.flowupgrade.commands;

/**
 * The application user's Ruby and Node.js tools on the command search path. Mastodon's guide installs Ruby with rbenv
 * under {@code ~/.rbenv} and initialises it from {@code ~/.bashrc}, which a non-interactive shell (an SSH command,
 * {@code su - user -c}, {@code sudo -u user sh -c}) never reads; {@code sudo}'s {@code secure_path} also drops
 * {@code /usr/local/bin}. Without this, {@code bundle} and {@code ruby} are "not found" on a real server.
 */
public final class AppToolchain {
    /** Expanded by the application user's shell on the host, so {@code $HOME} is that user's home. */
    static final String SEARCH_PATH = "\"$HOME/.rbenv/shims:$HOME/.rbenv/bin:/usr/local/bin:$PATH\"";

    private AppToolchain() {}

    /** Runs {@code command}, a simple command, with the toolchain directories first on its search path. */
    public static Command onPath(Command command) {
        String prefix = "env PATH=" + SEARCH_PATH + " ";
        return new Command(prefix + command.line(), prefix + command.redacted());
    }
}

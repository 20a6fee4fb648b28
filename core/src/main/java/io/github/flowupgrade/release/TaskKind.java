package io.github.flowupgrade.release;

/**
 * The upgrade steps of Mastodon's release notes that the tool runs itself, in the order it runs them, each with the
 * one canonical command the host runs as the application user in its directory with {@code RAILS_ENV=production}.
 * These commands are constants: nothing from release notes is ever copied into a command.
 */
public enum TaskKind {
    BUNDLE_INSTALL(Phase.AFTER_CHECKOUT, "bundle install"),
    /** The command is the one the newest release asking for it names, from {@link #YARN_COMMANDS}. */
    YARN_INSTALL(Phase.AFTER_CHECKOUT, "yarn install --immutable"),
    ASSETS_PRECOMPILE(Phase.AFTER_CHECKOUT, "bundle exec rails assets:precompile"),
    PRE_DEPLOYMENT_MIGRATIONS(
            Phase.AFTER_CHECKOUT, "SKIP_POST_DEPLOYMENT_MIGRATIONS=true bundle exec rails db:migrate"),
    POST_DEPLOYMENT_MIGRATIONS(Phase.AFTER_RESTART, "bundle exec rails db:migrate");

    /** The yarn invocations release notes have used (Yarn 1, then Yarn 4 from 4.3.0). */
    public static final java.util.List<String> YARN_COMMANDS = java.util.List.of(
            "yarn install",
            "yarn install --frozen-lockfile",
            "yarn install --pure-lockfile",
            "yarn install --immutable");

    private final Phase phase;
    private final String defaultCommand;

    TaskKind(Phase phase, String defaultCommand) {
        this.phase = phase;
        this.defaultCommand = defaultCommand;
    }

    public Phase phase() {
        return phase;
    }

    public String defaultCommand() {
        return defaultCommand;
    }
}

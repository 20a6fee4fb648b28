package io.github.flowupgrade.commands;

/**
 * What a pending-migrations preview reads, as the application user: the migration files a revision carries, and the
 * versions the database's {@code schema_migrations} table records, which is what {@code rails db:migrate:status}
 * compares, without loading the application. The database settings come from {@code .env.production} as for the
 * backup ({@link BackupCommands}); no value appears in a command line or the output.
 *
 * @param appDir the application's working tree, which holds {@code .env.production}
 * @param defaultDatabase the database when {@code DB_NAME} is not set
 */
public record MigrationCommands(String appDir, String defaultDatabase) {
    public MigrationCommands {
        Inputs.dir(appDir);
        // The same rule as the backup's: a plain name.
        new BackupCommands(appDir, appDir, defaultDatabase);
    }

    /** The migration files of the revision ({@code HEAD} or a release tag), one path per line. */
    public Command files(ReleaseTag tag) {
        return Command.of(
                "git",
                "-C",
                appDir,
                "ls-tree",
                "--name-only",
                PreflightCommands.revision(tag),
                "--",
                "db/migrate/",
                "db/post_migrate/");
    }

    /**
     * The versions {@code schema_migrations} holds, one per line; nothing when the table does not exist yet (a database
     * no migration ran on). Fails when the database cannot be reached.
     */
    public Command applied() {
        String psql = "psql -X -A -t -q -v ON_ERROR_STOP=1 -c ";
        String line = BackupCommands.databaseEnvironment(appDir + "/.env.production", defaultDatabase) + "; "
                + "t=$(" + psql + "\"SELECT to_regclass('schema_migrations') IS NOT NULL\") && "
                + "if [ \"$t\" = t ]; then " + psql + "'SELECT version FROM schema_migrations ORDER BY version'; fi";
        return new Command(line, line);
    }
}

package io.github.flowupgrade.commands;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The database backup before migrations, as commands run as the application user. The connection settings come from
 * the {@code DB_*} lines of the application's {@code .env.production} on the host and reach {@code psql},
 * {@code pg_dump} and {@code pg_restore} as libpq's environment ({@code PGHOST}, {@code PGPASSWORD}...): they never
 * appear in a command line, in the output or in the audit trail. Defaults follow Mastodon's {@code config/database.yml}
 * ({@code DB_NAME} {@code <app user>_production}, so mastodon_production; no {@code DB_USER}: libpq takes the login of
 * the application user; no {@code DB_HOST}: libpq's local socket). Mastodon's setup wizard writes every {@code DB_*}
 * line, and a wrong default fails the dump before any migration.
 *
 * @param appDir the application's directory, which holds {@code .env.production}
 * @param backupDir the directory on the host the dumps go into
 * @param defaultDatabase the database when {@code DB_NAME} is not set
 */
public record BackupCommands(String appDir, String backupDir, String defaultDatabase) {
    /** Printed by {@link #probe()}: the database's size in bytes and the free space in the backup directory in KiB. */
    public static final String PROBE_LINE = "flow-backup-probe ";

    /** Printed by {@link #dump} once the dump is checked: its size in bytes and its SHA-256. */
    public static final String DONE_LINE = "flow-backup-done ";

    /** Printed by {@link #checkRestorable}: the dump's SHA-256, then {@code t}/{@code f} twice. */
    public static final String CHECK_LINE = "flow-backup-check ";

    /** {@link #dump}'s exit status when {@code pg_restore --list} cannot read the dump just written. */
    public static final int EXIT_UNREADABLE = 90;

    private static final Pattern NAME = Pattern.compile("[0-9A-Za-z][0-9A-Za-z._+-]{0,200}");

    public BackupCommands {
        Inputs.dir(appDir);
        Inputs.dir(backupDir);
        if (defaultDatabase == null || !NAME.matcher(defaultDatabase).matches()) {
            throw new IllegalArgumentException("not a database name: " + defaultDatabase);
        }
    }

    /** The database of the application user {@code user} when {@code DB_NAME} is not set, as Mastodon names it. */
    public static String defaultDatabaseOf(String user) {
        return user + "_production";
    }

    public String envFile() {
        return appDir + "/.env.production";
    }

    public String dumpFile(String name) {
        return backupDir + "/" + checkName(name) + ".dump";
    }

    public String envCopy(String name) {
        return backupDir + "/" + checkName(name) + ".env.production";
    }

    /**
     * Reads the {@code DB_*} settings into libpq's environment. A value may be quoted with double or single quotes,
     * and a line may start with {@code export}; the last line of a name wins, as in dotenv.
     */
    static String databaseEnvironment(String envFile, String defaultDatabase) {
        String file = Shell.quote(envFile);
        return "f=" + file + "; if [ ! -r \"$f\" ]; then echo \"cannot read $f: the database settings (DB_*) are"
                + " read from it\" >&2; exit 2; fi; "
                + "v() { sed -n \"s/^[[:space:]]*\\(export[[:space:]][[:space:]]*\\)\\{0,1\\}$1=//p\" \"$f\""
                + " | tail -n 1 | sed -e 's/[[:space:]]*$//' -e 's/^\"\\(.*\\)\"$/\\1/' -e \"s/^'\\(.*\\)'$/\\1/\"; }; "
                + "unset PGHOST PGPORT PGUSER PGDATABASE PGPASSWORD PGSSLMODE PGSERVICE PGPASSFILE; "
                + "h=$(v DB_HOST); [ -z \"$h\" ] || export PGHOST=\"$h\"; "
                + "p=$(v DB_PORT); [ -z \"$p\" ] || export PGPORT=\"$p\"; "
                + "s=$(v DB_SSLMODE); [ -z \"$s\" ] || export PGSSLMODE=\"$s\"; "
                + "u=$(v DB_USER); [ -z \"$u\" ] || export PGUSER=\"$u\"; "
                + "n=$(v DB_NAME); export PGDATABASE=\"${n:-" + defaultDatabase + "}\"; "
                + "w=$(v DB_PASS); [ -z \"$w\" ] || export PGPASSWORD=\"$w\"; unset h p s u n w"
                // Only libpq's variables leave this fragment; the helper goes too.
                + "; unset -f v";
    }

    /**
     * Creates the backup directory (mode 700) and prints {@link #PROBE_LINE}, the database's size
     * in bytes ({@code pg_database_size}) and the space free for the application user in the backup directory, in KiB.
     */
    public Command probe() {
        String line = "umask 077; " + databaseEnvironment(envFile(), defaultDatabase) + "; "
                + Shell.join(List.of("mkdir", "-p", "-m", "700", backupDir)) + " && "
                + "size=$(psql -X -A -t -q -v ON_ERROR_STOP=1 -c 'SELECT pg_database_size(current_database())')"
                + " && free=$(df -P -k " + Shell.quote(backupDir) + " | awk 'NR == 2 { print $4 }')"
                + " && echo \"" + PROBE_LINE + "$size $free\"";
        return new Command(line, line);
    }

    /**
     * Dumps the database in PostgreSQL's custom format ({@code pg_dump -Fc}) under a temporary name, checks that
     * {@code pg_restore --list} reads it, gives it its name, copies {@code .env.production} beside it (mode 600), and
     * prints {@link #DONE_LINE} with its size and SHA-256. Whatever fails leaves no file under the final name.
     */
    public Command dump(String name) {
        String dump = Shell.quote(dumpFile(name));
        String part = Shell.quote(dumpFile(name) + ".part");
        String env = Shell.quote(envCopy(name));
        String line = "umask 077; " + databaseEnvironment(envFile(), defaultDatabase) + "; "
                + "rm -f " + part + "; "
                + "pg_dump -Fc -f " + part + " || { s=$?; rm -f " + part + "; echo \"pg_dump failed (exit $s)\" >&2;"
                + " exit \"$s\"; }; "
                + "pg_restore --list " + part + " > /dev/null || { rm -f " + part + "; echo \"pg_restore --list"
                + " cannot read the dump: it is not a usable backup\" >&2; exit " + EXIT_UNREADABLE + "; }; "
                + "cp " + Shell.quote(envFile()) + " " + env + ".part && mv " + env + ".part " + env + " && "
                + "mv " + part + " " + dump + " && "
                + "sum=$(sha256sum " + dump + " | cut -d' ' -f1) && bytes=$(stat -c %s " + dump + ") && "
                + "echo \"" + DONE_LINE + "$bytes $sum\"";
        return new Command(line, line);
    }

    /**
     * The administrator's command that copies the backup off the host, run through {@code sh -c} with the dump's path
     * in {@code FLOW_BACKUP} and the settings copy's in {@code FLOW_BACKUP_ENV}.
     */
    public Command ship(String name, String command) {
        Command shipped = Command.of("sh", "-c", command);
        String prefix =
                Shell.join(List.of("env", "FLOW_BACKUP=" + dumpFile(name), "FLOW_BACKUP_ENV=" + envCopy(name))) + " ";
        return new Command(prefix + shipped.line(), prefix + shipped.redacted());
    }

    /**
     * Checks a dump before a restore, without changing anything: it exists and {@code pg_restore --list} reads it;
     * prints {@link #CHECK_LINE}, its SHA-256, whether the application's role may create databases ({@code t} or
     * {@code f}) and whether it owns the database ({@code t} or {@code f}): a restore drops the database and creates
     * it again as that role, as Mastodon's guide sets the role up ({@code CREATEDB}).
     */
    public Command checkRestorable(String dump) {
        String file = Shell.quote(checkDump(dump));
        String line = databaseEnvironment(envFile(), defaultDatabase) + "; "
                + "test -f " + file + " || { echo \"no such dump: \"" + file + " >&2; exit 2; }; "
                + "pg_restore --list " + file + " > /dev/null || { echo \"pg_restore --list cannot read \"" + file
                + " >&2; exit " + EXIT_UNREADABLE + "; }; "
                + "sum=$(sha256sum " + file + " | cut -d' ' -f1) && "
                + "create=$(psql -X -A -t -q -v ON_ERROR_STOP=1 -d postgres -c"
                + " 'SELECT rolcreatedb FROM pg_roles WHERE rolname = current_user') && "
                + "own=$(psql -X -A -t -q -v ON_ERROR_STOP=1 -c"
                + " 'SELECT pg_get_userbyid(datdba) = current_user FROM pg_database WHERE datname = current_database()')"
                + " && echo \"" + CHECK_LINE + "$sum $create $own\"";
        return new Command(line, line);
    }

    /**
     * Replaces the application's database with {@code dump}: drops it, creates it again owned by the application's
     * role, and restores the dump into it ({@code pg_restore --no-owner}, exiting non-zero on any error). The services
     * must be stopped first; whatever connects meanwhile makes {@code dropdb} fail before anything is dropped.
     */
    public Command restore(String dump) {
        String file = Shell.quote(checkDump(dump));
        String line = databaseEnvironment(envFile(), defaultDatabase) + "; db=\"$PGDATABASE\"; "
                + "dropdb --maintenance-db=postgres \"$db\" && createdb --maintenance-db=postgres \"$db\" && "
                + "pg_restore --no-owner --exit-on-error -d \"$db\" " + file;
        return new Command(line, line);
    }

    /** Checks a dump's path: absolute, plain segments, ending in {@code .dump}. */
    public static String checkDump(String dump) {
        if (dump == null || !dump.endsWith(".dump")) {
            throw io.github.flowupgrade.FlowException.badInput(
                    "not a backup made by flow (a path ending in .dump): " + Inputs.printable(String.valueOf(dump)));
        }
        try {
            Inputs.dir(dump);
        } catch (io.github.flowupgrade.FlowException e) {
            throw io.github.flowupgrade.FlowException.badInput("not a valid backup path: " + Inputs.printable(dump)
                    + " (an absolute path of plain segments, such as the one the upgrade recorded)");
        }
        return dump;
    }

    /** Checks a backup's name: one path segment of plain characters. */
    public static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a backup name: " + name);
        }
        return name;
    }
}

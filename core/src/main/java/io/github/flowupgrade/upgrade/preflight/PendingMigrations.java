package io.github.flowupgrade.upgrade.preflight;

import io.github.flowupgrade.audit.AuditEvents;
import io.github.flowupgrade.commands.MigrationCommands;
import io.github.flowupgrade.commands.ReleaseTag;
import io.github.flowupgrade.host.HostShell;
import io.github.flowupgrade.host.HostShell.As;
import io.github.flowupgrade.host.HostShell.Step;
import io.github.flowupgrade.remote.ExecResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The migrations a release will run on a host, before they run: its {@code db/migrate} and {@code db/post_migrate}
 * files against the versions the database's {@code schema_migrations} records, the comparison {@code rails
 * db:migrate:status} makes, without loading the application. Shown on the console, recorded in the audit trail
 * ({@code migrations.pending}) and in the run's result, so that a reviewer sees what will change the schema before
 * it does.
 *
 * @param revision the release tag read, or the hop checked out
 * @param pending the migrations not applied yet, oldest first; empty when none (or unknown, see {@code note})
 * @param applied how many of the release's migrations the database has already
 * @param note why the status is unknown (the database could not be read), else null
 */
public record PendingMigrations(String revision, List<Migration> pending, int applied, String note) {
    public PendingMigrations {
        pending = List.copyOf(pending);
    }

    /**
     * One migration file.
     *
     * @param postDeployment in {@code db/post_migrate} (run after the restart in a rolling update)
     */
    public record Migration(String version, String name, boolean postDeployment) {
        public Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("version", version);
            map.put("name", name);
            map.put("postDeployment", postDeployment);
            return map;
        }
    }

    /** The name of the step that reads {@code tag}'s pending migrations. */
    public static String step(String tag) {
        return "pending migrations for " + tag;
    }

    /**
     * The checked-out hop's migrations against the database, before any of them runs, added to {@code previews}.
     *
     * @return the step's one-line detail (a dry run reads nothing and says what it would read)
     */
    public static String preview(HostShell shell, String tag, List<PendingMigrations> previews) {
        if (!shell.executes()) {
            return "git ls-tree HEAD db/migrate db/post_migrate against schema_migrations";
        }
        PendingMigrations preview = read(shell, tag);
        previews.add(preview);
        return preview.summary();
    }

    /** Reads the checked-out release's pending migrations on the host (one round trip), shows and records them. */
    public static PendingMigrations read(HostShell shell, String label) {
        MigrationCommands commands = Preflight.migrationCommands(shell);
        List<ExecResult> results = shell.batch(List.of(
                Step.of(As.APP, commands.files((ReleaseTag) null), shell.commandTimeout()),
                Step.of(As.APP, commands.applied(), shell.commandTimeout())));
        return of(shell, label, results.get(0), results.get(1));
    }

    /** The preview from a migration listing and the database's versions; shown and recorded. */
    static PendingMigrations of(HostShell shell, String revision, ExecResult files, ExecResult applied) {
        PendingMigrations preview;
        if (!shell.executes()) {
            return new PendingMigrations(revision, List.of(), 0, "a dry run reads nothing");
        }
        if (files == null || !files.succeeded()) {
            preview = new PendingMigrations(
                    revision, List.of(), 0, "the migration files of " + revision + " could not be listed");
        } else {
            List<Migration> all = migrations(files.stdout());
            if (applied == null || !applied.succeeded()) {
                String why = applied == null || applied.stderrTail() == null
                        ? ""
                        : ": "
                                + Preflight.lines(applied.stderrTail()).stream()
                                        .reduce((a, b) -> b)
                                        .orElse("");
                preview = new PendingMigrations(
                        revision,
                        List.of(),
                        0,
                        all.size() + " migration file(s); the database could not be read" + why);
            } else {
                Set<String> done = new TreeSet<>(Preflight.lines(applied.stdout()));
                List<Migration> pending =
                        all.stream().filter(m -> !done.contains(m.version())).toList();
                preview = new PendingMigrations(revision, pending, all.size() - pending.size(), null);
            }
        }
        preview.show(shell);
        preview.record(shell);
        return preview;
    }

    static List<Migration> migrations(String listing) {
        List<Migration> out = new ArrayList<>();
        for (String path : Preflight.lines(listing)) {
            boolean post = path.startsWith("db/post_migrate/");
            String file = path.substring(path.lastIndexOf('/') + 1);
            if (!file.endsWith(".rb") || !file.matches("\\d+_.*")) {
                continue;
            }
            String stem = file.substring(0, file.length() - 3);
            int cut = stem.indexOf('_');
            out.add(new Migration(stem.substring(0, cut), stem.substring(cut + 1), post));
        }
        out.sort(Comparator.comparing(Migration::version));
        return out;
    }

    /** "2 pending (1 post-deployment); 3 applied". */
    public String summary() {
        if (note != null) {
            return "unknown: " + note;
        }
        long post = pending.stream().filter(Migration::postDeployment).count();
        return pending.size() + " pending" + (post == 0 ? "" : " (" + post + " post-deployment)") + "; " + applied
                + " applied already";
    }

    private void show(HostShell shell) {
        shell.console().info("[" + shell.host() + "] migrations " + revision + " will run: " + summary());
        for (Migration m : pending) {
            shell.console()
                    .info("  " + m.version() + " " + m.name() + (m.postDeployment() ? " (post-deployment)" : ""));
        }
    }

    private void record(HostShell shell) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("host", shell.host());
        fields.putAll(toMap());
        shell.audit().record(AuditEvents.MIGRATIONS_PENDING, fields);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("revision", revision);
        map.put("pending", pending.stream().map(Migration::toMap).toList());
        map.put("applied", applied);
        map.put("note", note);
        return map;
    }
}

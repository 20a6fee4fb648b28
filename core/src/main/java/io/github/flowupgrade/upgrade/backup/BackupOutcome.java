package io.github.flowupgrade.upgrade.backup;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The database backup of an upgrade, as its result and {@code --json} show it.
 *
 * @param status {@code done}, {@code skipped} (turned off), {@code planned} (dry run) or {@code failed}
 * @param path the checked dump on the host, or null
 * @param envCopy the copy of {@code .env.production} beside it, or null
 * @param bytes the dump's size
 * @param sha256 the dump's SHA-256 (hex)
 * @param databaseBytes the database's size ({@code pg_database_size}) before the dump
 * @param durationMs how long the whole backup took (disk check, dump, check, copy, ship)
 * @param shipped whether the ship command ran and succeeded (false when none was given)
 * @param reason why it was skipped or failed, else null
 */
public record BackupOutcome(
        String status,
        String path,
        String envCopy,
        long bytes,
        String sha256,
        long databaseBytes,
        long durationMs,
        boolean shipped,
        String reason) {
    public static final String DONE = "done";
    public static final String SKIPPED = "skipped";
    public static final String PLANNED = "planned";
    public static final String FAILED = "failed";

    public static BackupOutcome skipped(String reason) {
        return new BackupOutcome(SKIPPED, null, null, 0, null, 0, 0, false, reason);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("status", status);
        map.put("path", path);
        map.put("envCopy", envCopy);
        map.put("bytes", bytes);
        map.put("sha256", sha256);
        map.put("databaseBytes", databaseBytes);
        map.put("durationMs", durationMs);
        map.put("shipped", shipped);
        map.put("reason", reason);
        return map;
    }
}

package io.github.flowupgrade.audit;

import java.util.Map;

/**
 * Where every operation reports what it did, as it happens. Fields are strings, numbers, booleans, lists and maps of
 * those; they must never contain a secret (commands are recorded in their redacted form).
 */
public interface AuditLog {
    /**
     * Appends one event, e.g. {@code record("command", Map.of("host", h, "command", c.redacted(), "exitCode", 0))}.
     */
    void record(String type, Map<String, ?> fields);

    /** An audit log that keeps nothing, for tests of other concerns and for dry runs. */
    static AuditLog none() {
        return (type, fields) -> {};
    }
}

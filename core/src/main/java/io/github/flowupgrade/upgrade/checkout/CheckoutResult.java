package io.github.flowupgrade.upgrade.checkout;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a checkout ended on one host.
 *
 * @param host the host as the user named it
 * @param previous what it ran before (null when it could not be read)
 * @param current what it runs now (the previous revision when the checkout did not happen)
 * @param changed what changed between the two (null unless the checkout succeeded)
 * @param durationMs wall time on this host
 * @param status {@code checked-out}, {@code unchanged} (already there), {@code dry-run}, {@code refused},
 *     {@code failed} or {@code unreachable}
 * @param error the user-facing error when it did not succeed, else null
 * @param exitCode the process exit code this host's outcome maps to (0 on success)
 * @param kept the local commits the checkout left {@code HEAD} and kept under a ref, or null when there were none
 */
public record CheckoutResult(
        String host,
        Revision previous,
        Revision current,
        ChangedAreas changed,
        long durationMs,
        String status,
        String error,
        int exitCode,
        KeptCommits kept) {

    /** A result with no local commits kept. */
    public CheckoutResult(
            String host,
            Revision previous,
            Revision current,
            ChangedAreas changed,
            long durationMs,
            String status,
            String error,
            int exitCode) {
        this(host, previous, current, changed, durationMs, status, error, exitCode, null);
    }

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** The {@code --json} fields of one host, also the Jenkins step's result for it. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("host", host);
        map.put("previous", previous == null ? null : previous.toMap());
        map.put("current", current == null ? null : current.toMap());
        map.put("changed", changed == null ? null : changed.toMap());
        map.put("durationMs", durationMs);
        map.put("status", status);
        map.put("error", error);
        map.put("keptLocalCommits", kept == null ? null : kept.toMap());
        return map;
    }
}

package io.github.flowupgrade.upgrade.checkout;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A commit a host runs, with the release tag that names it when there is one.
 *
 * @param commit full commit id
 * @param tag release tag pointing at it, or null
 */
public record Revision(String commit, String tag) {
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("commit", commit);
        map.put("tag", tag);
        return map;
    }

    /** {@code v4.3.1 (1a2b3c4)}, or the short commit alone. */
    public String display() {
        String shortCommit = commit == null ? "?" : commit.substring(0, Math.min(7, commit.length()));
        return tag == null ? shortCommit : tag + " (" + shortCommit + ")";
    }
}

package io.github.flowupgrade.release;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A release notes' statement that a rolling (zero-downtime) update is not supported from versions before some
 * release: old processes would keep serving against a schema or secrets they do not understand. Mastodon 4.3.0 says
 * it of versions before 4.2 ("Rolling updates from versions earlier than Mastodon 4.2 are not supported"); 4.7.0
 * announces it for 5.0 ("Updating to this version will be required for zero-downtime migration to the upcoming
 * Mastodon 5.0").
 *
 * @param release the release whose notes say it
 * @param minimum a hop must start at this version or later to be rolling
 * @param appliesFrom the rule covers hops whose target is this version or later
 * @param text the sentence that says it, as the notes word it (for messages and the audit trail)
 */
public record RollingCutoff(String release, ReleaseVersion minimum, ReleaseVersion appliesFrom, String text) {

    /** Whether a hop from {@code from} to {@code to} crosses this cut-off (it cannot be a rolling update). */
    public boolean violatedBy(ReleaseVersion from, ReleaseVersion to) {
        return from != null && to.compareTo(appliesFrom) >= 0 && from.compareTo(minimum) < 0;
    }

    /** "v4.3.0: rolling updates from before 4.2.0 are not supported". */
    public String describe() {
        return release + ": a rolling update to " + appliesFrom + " or later from before " + minimum
                + " is not supported (\"" + text + "\")";
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("release", release);
        map.put("minimum", minimum.toString());
        map.put("appliesFrom", appliesFrom.toString());
        map.put("text", text);
        return map;
    }
}

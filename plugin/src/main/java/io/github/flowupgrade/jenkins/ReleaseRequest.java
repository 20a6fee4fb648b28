package io.github.flowupgrade.jenkins;

import java.io.Serializable;

/**
 * Which release to look up, as {@code flow fetch-release} takes it: the application profile, an optional repository
 * override, the target tag (null for the latest release), the tag the host runs now (null when unknown), an optional
 * GitHub Enterprise API URL, and the same choices as {@code --include-prereleases}, {@code --single-hop} and
 * {@code --git-url}. Sent to the agent as is; the engine validates it there.
 */
record ReleaseRequest(
        String app,
        String repo,
        String tag,
        String from,
        String apiUrl,
        boolean includePrereleases,
        boolean singleHop,
        String gitUrl)
        implements Serializable {
    static final String DEFAULT_APP = "mastodon";
    static final String GITHUB_API = "https://api.github.com";

    /** A lookup with the engine's defaults for the rest. */
    ReleaseRequest(String app, String repo, String tag, String from, String apiUrl) {
        this(app, repo, tag, from, apiUrl, false, false, null);
    }
}

package io.github.flowupgrade.jenkins;

import java.io.Serializable;

/**
 * Which release to look up, as {@code flow fetch-release} takes it: the application profile, an optional repository
 * override, the target tag (null for the latest release), the tag the host runs now (null when unknown) and an
 * optional GitHub Enterprise API URL. Sent to the agent as is; the engine validates it there.
 */
record ReleaseRequest(String app, String repo, String tag, String from, String apiUrl) implements Serializable {
    static final String DEFAULT_APP = "mastodon";
    static final String GITHUB_API = "https://api.github.com";

    String apiUrlOrDefault() {
        return apiUrl == null ? GITHUB_API : apiUrl;
    }
}

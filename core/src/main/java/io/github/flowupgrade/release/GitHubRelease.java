package io.github.flowupgrade.release;

import java.util.Optional;

/**
 * One release as the GitHub REST API describes it (the fields we use; unknown fields are ignored).
 *
 * @param body the release notes in Markdown; empty when GitHub sends null
 */
public record GitHubRelease(
        long id,
        String tagName,
        String name,
        String body,
        String htmlUrl,
        String publishedAt,
        boolean draft,
        boolean prerelease) {

    public GitHubRelease {
        body = body == null ? "" : body;
        name = name == null || name.isBlank() ? tagName : name;
    }

    /** The version its tag names, empty for tags that are not versions. */
    public Optional<ReleaseVersion> version() {
        return ReleaseVersion.parse(tagName);
    }

    /** GitHub's flag or a pre-release tag: either makes it a pre-release. */
    public boolean isPreRelease() {
        return prerelease || version().map(ReleaseVersion::isPreRelease).orElse(false);
    }
}

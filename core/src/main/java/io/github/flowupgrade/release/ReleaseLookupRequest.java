package io.github.flowupgrade.release;

import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.Option;
import io.github.flowupgrade.app.AppProfile;
import io.github.flowupgrade.commands.Inputs;
import io.github.flowupgrade.commands.ReleaseTag;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What {@code flow fetch-release} and {@code flowFetchRelease} ask for.
 *
 * @param profile the application: its repository and its hop rule
 * @param repo {@code owner/name} overriding the profile's, or null
 * @param apiUrl GitHub's API ({@code https://api.github.com}), a GitHub Enterprise one, or a test server
 * @param token a GitHub token, or null for anonymous requests; never logged
 * @param tokenSource where the token came from, for messages ({@code $GITHUB_TOKEN}), or null
 * @param tag the target release, or null with {@code latest}
 * @param latest take the newest release by version (not GitHub's "latest", which follows dates)
 * @param from the version the host runs, exclusive start of the range, or null
 * @param singleHop go straight to the target even where the profile asks for one release of every minor series
 * @param gitUrl resolve the tag's commit with {@code git ls-remote} on this URL, or null not to
 * @param cacheDir the ETag cache, or null for none
 * @param timeout per HTTP request; {@code attempts} and {@code backoff} bound retries of timeouts and 5xx
 * @param allowDowntime where the notes say a hop cannot be a rolling update, keep it (the upgrade stops the site for
 *     its migrations) instead of going through the release they recommend first
 */
public record ReleaseLookupRequest(
        AppProfile profile,
        String repo,
        URI apiUrl,
        String token,
        String tokenSource,
        String tag,
        boolean latest,
        String from,
        boolean includePreReleases,
        boolean allowDowngrade,
        boolean singleHop,
        String gitUrl,
        Path cacheDir,
        Duration timeout,
        int attempts,
        Duration backoff,
        boolean allowDowntime) {

    public static final URI GITHUB_API = URI.create("https://api.github.com");

    public ReleaseLookupRequest {
        if (profile == null) {
            throw FlowException.badInput("missing application profile");
        }
        if ((tag == null) == !latest) {
            throw FlowException.badInput(
                    "give exactly one of " + Option.TAG.named() + " vX.Y.Z or " + Option.LATEST.named());
        }
        // Where a tag given by a user enters the engine: checked here once, carried as a ReleaseTag from here on.
        ReleaseTag.ofNullable(tag);
        ReleaseTag.ofNullable(from);
        if (repo != null) {
            profile = profile.withRepo(repo);
        }
        apiUrl = apiUrl == null ? GITHUB_API : apiUrl;
        checkApiUrl(apiUrl);
        if (gitUrl != null) {
            checkGitUrl(gitUrl);
        }
        if (cacheDir != null && Files.exists(cacheDir) && !Files.isDirectory(cacheDir)) {
            throw FlowException.badInput(Option.CACHE_DIR.named() + " " + cacheDir + " is not a directory");
        }
        if (token != null && token.isBlank()) {
            token = null;
        }
        GitHubClient.checkTokenTransport(apiUrl, token);
        timeout = timeout == null ? Duration.ofSeconds(20) : timeout;
        attempts = attempts < 1 ? 3 : attempts;
        backoff = backoff == null ? Duration.ofSeconds(1) : backoff;
    }

    /** A request that goes through the release the notes recommend where a hop cannot be a rolling update. */
    public ReleaseLookupRequest(
            AppProfile profile,
            String repo,
            URI apiUrl,
            String token,
            String tokenSource,
            String tag,
            boolean latest,
            String from,
            boolean includePreReleases,
            boolean allowDowngrade,
            boolean singleHop,
            String gitUrl,
            Path cacheDir,
            Duration timeout,
            int attempts,
            Duration backoff) {
        this(
                profile,
                repo,
                apiUrl,
                token,
                tokenSource,
                tag,
                latest,
                from,
                includePreReleases,
                allowDowngrade,
                singleHop,
                gitUrl,
                cacheDir,
                timeout,
                attempts,
                backoff,
                false);
    }

    /** The same request, keeping hops that cannot be rolling updates (downtime allowed) or not. */
    public ReleaseLookupRequest withDowntime(boolean allowed) {
        return new ReleaseLookupRequest(
                profile,
                null,
                apiUrl,
                token,
                tokenSource,
                tag,
                latest,
                from,
                includePreReleases,
                allowDowngrade,
                singleHop,
                gitUrl,
                cacheDir,
                timeout,
                attempts,
                backoff,
                allowed);
    }

    /** The API URL as a user gives it (null for GitHub's), parsed; checked with the request. */
    public static URI apiUrl(String value) {
        if (value == null) {
            return null;
        }
        try {
            URI uri = new URI(value);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw FlowException.badInput(
                        Option.API_URL.named() + " must be an absolute http(s) URL: " + Inputs.printable(value));
            }
            return uri;
        } catch (URISyntaxException e) {
            throw FlowException.badInput(Option.API_URL.named() + " is not a URL: " + e.getMessage());
        }
    }

    /** Checked before anything runs, so a bad URL never costs a connection to a host. */
    private static void checkApiUrl(URI apiUrl) {
        String scheme = apiUrl.getScheme();
        if (!"https".equals(scheme) && !"http".equals(scheme) || apiUrl.getHost() == null) {
            throw FlowException.badInput(Option.API_URL.named() + " must be an absolute http(s) URL: "
                    + Inputs.printable(apiUrl.toString()));
        }
        if (apiUrl.getRawUserInfo() != null) {
            throw FlowException.badInput(
                    Option.API_URL.named() + " must not carry credentials; use " + Option.TOKEN.named());
        }
        if (apiUrl.getPort() > 65_535) {
            throw FlowException.badInput(
                    Option.API_URL.named() + " has no valid port: " + Inputs.printable(apiUrl.toString()));
        }
    }

    /** A repository URL for git ls-remote: no option lookalikes, no {@code ext::} or other remote helpers. */
    public static void checkGitUrl(String gitUrl) {
        if (gitUrl.isBlank()
                || gitUrl.startsWith("-")
                || gitUrl.contains("::")
                || gitUrl.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == ' ')) {
            throw FlowException.badInput(
                    Option.GIT_URL.named() + " must be a repository URL (https://, ssh://, git://, file:// or a"
                            + " path), not " + Inputs.printable(gitUrl));
        }
    }

    /** A request for {@code tag} (or the newest release when null) with every other setting at its default. */
    public static ReleaseLookupRequest of(AppProfile profile, String tag) {
        return new ReleaseLookupRequest(
                profile,
                null,
                null,
                null,
                null,
                tag,
                tag == null,
                null,
                false,
                false,
                false,
                null,
                null,
                null,
                0,
                null);
    }

    public ReleaseLookupRequest withApi(URI newApiUrl, Path newCacheDir) {
        return new ReleaseLookupRequest(
                profile,
                null,
                newApiUrl,
                token,
                tokenSource,
                tag,
                latest,
                from,
                includePreReleases,
                allowDowngrade,
                singleHop,
                gitUrl,
                newCacheDir,
                timeout,
                attempts,
                backoff,
                allowDowntime);
    }

    public ReleaseLookupRequest withFrom(String newFrom) {
        return new ReleaseLookupRequest(
                profile,
                null,
                apiUrl,
                token,
                tokenSource,
                tag,
                latest,
                newFrom,
                includePreReleases,
                allowDowngrade,
                singleHop,
                gitUrl,
                cacheDir,
                timeout,
                attempts,
                backoff,
                allowDowntime);
    }

    public ReleaseLookupRequest withToken(String newToken, String source) {
        return new ReleaseLookupRequest(
                profile,
                null,
                apiUrl,
                newToken,
                source,
                tag,
                latest,
                from,
                includePreReleases,
                allowDowngrade,
                singleHop,
                gitUrl,
                cacheDir,
                timeout,
                attempts,
                backoff,
                allowDowntime);
    }

    public ReleaseLookupRequest withOptions(boolean newIncludePre, boolean newAllowDowngrade, boolean newSingleHop) {
        return new ReleaseLookupRequest(
                profile,
                null,
                apiUrl,
                token,
                tokenSource,
                tag,
                latest,
                from,
                newIncludePre,
                newAllowDowngrade,
                newSingleHop,
                gitUrl,
                cacheDir,
                timeout,
                attempts,
                backoff,
                allowDowntime);
    }

    public ReleaseLookupRequest withGitUrl(String newGitUrl) {
        return new ReleaseLookupRequest(
                profile,
                null,
                apiUrl,
                token,
                tokenSource,
                tag,
                latest,
                from,
                includePreReleases,
                allowDowngrade,
                singleHop,
                newGitUrl,
                cacheDir,
                timeout,
                attempts,
                backoff,
                allowDowntime);
    }

    public ReleaseLookupRequest withTimeout(Duration newTimeout, int newAttempts, Duration newBackoff) {
        return new ReleaseLookupRequest(
                profile,
                null,
                apiUrl,
                token,
                tokenSource,
                tag,
                latest,
                from,
                includePreReleases,
                allowDowngrade,
                singleHop,
                gitUrl,
                cacheDir,
                newTimeout,
                newAttempts,
                newBackoff,
                allowDowntime);
    }

    @Override
    public String toString() {
        return "ReleaseLookupRequest[repo=" + profile.repo() + ", apiUrl=" + apiUrl + ", token="
                + (token == null ? "none" : "***") + ", tag=" + tag + ", latest=" + latest + ", from=" + from + "]";
    }
}

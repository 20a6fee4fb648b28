package io.github.flowupgrade.bench;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.app.AppProfile;
import io.github.flowupgrade.audit.AuditLog;
import io.github.flowupgrade.release.ReleaseLookup;
import io.github.flowupgrade.release.ReleaseLookupRequest;
import io.github.flowupgrade.release.ReleaseLookupResult;
import io.github.flowupgrade.testing.FakeGitHub;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Figure 2: HTTP requests for a 30-release range (v4.5.0 to v4.7.2 of the GitHub API double) and for the same lookup
 * repeated by a new lookup (as a second {@code flow fetch-release} would, with the on-disk ETag cache): the double
 * counts every request and which of them count against the rate limit (a 304 does not).
 */
final class ReleaseLookupBench {
    private ReleaseLookupBench() {}

    static List<Figure> run() throws IOException {
        Path cache = Files.createTempDirectory("flow-bench-etag");
        try (FakeGitHub github = FakeGitHub.mastodon()) {
            ReleaseLookupRequest request = ReleaseLookupRequest.of(AppProfile.mastodon(), "v4.7.2")
                    .withApi(github.apiUrl(), cache)
                    .withFrom("v4.5.0");
            AuditLog none = (type, fields) -> {};
            long started = System.nanoTime();
            ReleaseLookupResult first = new ReleaseLookup(none, Console.silent()).run(request);
            double firstMs = Stats.millisSince(started);
            int firstRequests = github.requests();
            int firstCounted = github.countedRequests();

            started = System.nanoTime();
            ReleaseLookupResult again = new ReleaseLookup(none, Console.silent()).run(request);
            double againMs = Stats.millisSince(started);
            int againRequests = github.requests() - firstRequests;
            int againCounted = github.countedRequests() - firstCounted;
            if (!again.releases().equals(first.releases())) {
                throw new IllegalStateException("the repeated lookup found other releases: " + again.releases());
            }

            Map<String, Object> details = new LinkedHashMap<>();
            details.put("range", "v4.5.0 -> v4.7.2");
            details.put("releasesInRange", first.releases().size());
            details.put("hops", first.hops());
            details.put("firstHttpRequests", firstRequests);
            details.put("firstCountedAgainstRateLimit", firstCounted);
            details.put("firstMs", Stats.round(firstMs, 1));
            details.put("repeatHttpRequests", againRequests);
            details.put("repeatNotModified304", github.notModified());
            details.put("repeatCountedAgainstRateLimit", againCounted);
            details.put("repeatMs", Stats.round(againMs, 1));
            details.put("server", "FakeGitHub (JDK HTTP server on 127.0.0.1 serving the recorded API shapes)");
            return List.of(
                    new Figure(
                            "release-lookup-requests",
                            "release lookup: HTTP requests, 30-release range",
                            firstRequests,
                            "requests",
                            "<= 2",
                            firstRequests <= 2 && first.releases().size() == 30,
                            details),
                    new Figure(
                            "release-lookup-repeat",
                            "release lookup repeated: requests counted against the rate limit",
                            againCounted,
                            "requests",
                            "= 0",
                            againCounted == 0,
                            details));
        } finally {
            Trees.delete(cache);
        }
    }
}

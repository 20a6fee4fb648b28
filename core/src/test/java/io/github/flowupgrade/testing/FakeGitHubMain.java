package io.github.flowupgrade.testing;

import io.github.flowupgrade.release.ReleaseVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Serves a directory of release notes ({@code vX.Y.Z.md}) as GitHub's releases API, for end-to-end tests and the demo,
 * which start it inside the test host's network namespace ({@code ip netns exec NS java -cp ... FakeGitHubMain}).
 * Prints {@code FAKE_GITHUB_URL=http://127.0.0.1:PORT} once it listens, then serves until its standard input closes
 * or it is killed.
 *
 * <pre>{@code java -cp CLASSPATH io.github.flowupgrade.testing.FakeGitHubMain mastodon/mastodon NOTES_DIR}</pre>
 *
 * Releases are published one day apart in version order; a tag with a pre-release part is a pre-release.
 */
public final class FakeGitHubMain {
    private FakeGitHubMain() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 2) {
            System.err.println("usage: FakeGitHubMain OWNER/NAME NOTES_DIR");
            System.exit(2);
        }
        List<FakeGitHub.Release> releases = releases(Path.of(args[1]));
        try (FakeGitHub github = FakeGitHub.start(args[0], releases)) {
            System.out.println("FAKE_GITHUB_URL=" + github.apiUrl());
            System.out.flush();
            // Serve until whoever started us closes our standard input (or kills us).
            while (System.in.read() >= 0) {
                // ignore input
            }
        }
    }

    /** The notes of a directory as releases, oldest first. */
    public static List<FakeGitHub.Release> releases(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".md"))
                    .filter(p -> ReleaseVersion.parse(tagOf(p)).isPresent())
                    .sorted(Comparator.comparing(
                            p -> ReleaseVersion.parse(tagOf(p)).orElseThrow()))
                    .toList();
        }
        List<FakeGitHub.Release> releases = new ArrayList<>();
        LocalDate day = LocalDate.of(2023, 9, 1);
        long id = 1000;
        for (Path file : files) {
            String published = day.atStartOfDay().toString() + ":00Z";
            releases.add(FakeGitHub.Release.of(
                    id++, tagOf(file), Files.readString(file, StandardCharsets.UTF_8), published));
            day = day.plusDays(7);
        }
        return releases;
    }

    private static String tagOf(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - ".md".length());
    }
}

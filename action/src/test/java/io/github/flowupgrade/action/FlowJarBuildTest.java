package io.github.flowupgrade.action;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flowupgrade.testing.FakeGitHub;
import io.github.flowupgrade.testing.FakeGitHubMain;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without the input flow-jar the action builds flow.jar with Maven from its own checkout (here a copy of this
 * repository without .git or build output, as a runner downloads an action) and keeps it under a key of the sources it
 * was built from: the next run takes it from there without Maven, and a change to the sources asks for another.
 */
class FlowJarBuildTest {
    private static final Set<String> NOT_DOWNLOADED = Set.of(".git", "node_modules", "__pycache__");

    @TempDir
    Path tmp;

    @Test
    void buildsTheJarOnceFromTheActionsCheckoutAndThenTakesItFromTheCache() throws Exception {
        Path checkout = copyOfRepository(tmp.resolve("actions/flowupgrade/flow-upgrade/v1"));
        Path cache = tmp.resolve("cache");
        CompositeAction action = CompositeAction.load(checkout);
        try (FakeGitHub github = FakeGitHub.start(
                "mastodon/mastodon",
                FakeGitHubMain.releases(checkout.resolve("cli/src/test/resources/testhost-releases")))) {
            Map<String, String> with = ActionTesting.with(
                    "hosts", "social.example.invalid",
                    "tag", "v4.3.1",
                    "from", "v4.2.0",
                    "confirm-manual", "true",
                    "dry-run", "true",
                    "extra-args", "--api-url\n" + github.apiUrl() + "\n--cache-dir\n" + tmp.resolve("github-cache"));
            CompositeAction.Runner runner = ActionTesting.runner(
                    tmp, ActionTesting.github("http://127.0.0.1:9"), Map.of("XDG_CACHE_HOME", cache.toString()));

            CompositeAction.Run built = action.run(with, runner);
            assertThat(built.exitCode()).as(built.printed()).isZero();
            assertThat(built.wouldRun("actions/cache"))
                    .as("the runner restores the cache")
                    .isTrue();
            assertThat(built.printed())
                    .contains("flow-action: building flow.jar from " + checkout)
                    .contains("[social.example.invalid] would run: sudo -n systemctl reload mastodon-web");
            Path jar;
            try (var keys = Files.list(cache.resolve("flow-upgrade-action"))) {
                jar = keys.findFirst().orElseThrow().resolve("flow.jar");
            }
            assertThat(jar).isRegularFile();
            assertThat(jar.getParent().getFileName().toString()).matches("flow-jar-Linux-java\\d+-[0-9a-f]{32}");

            CompositeAction.Run cached = action.run(with, runner);
            assertThat(cached.exitCode()).as(cached.printed()).isZero();
            assertThat(cached.wouldRun("actions/cache"))
                    .as("the jar is already on disk")
                    .isFalse();
            assertThat(cached.printed())
                    .contains("flow-action: flow.jar from the cache")
                    .doesNotContain("building flow.jar");

            Files.writeString(
                    checkout.resolve("cli/src/main/java/io/github/flowupgrade/cli/FlowCommand.java"),
                    "\n// changed\n",
                    StandardOpenOption.APPEND);
            Path output = Files.createFile(tmp.resolve("locate-output"));
            Process locate = locateWith(checkout, output, cache);
            assertThat(locate.waitFor(1, TimeUnit.MINUTES)).isTrue();
            assertThat(locate.exitValue()).isZero();
            Map<String, String> located = CompositeAction.keyValues(output);
            assertThat(located.get("cache-key"))
                    .isNotEqualTo(jar.getParent().getFileName().toString());
            assertThat(located).doesNotContainKey("jar");
        }
    }

    /** The locate step alone, in the environment a runner gives it. */
    private static Process locateWith(Path checkout, Path output, Path cache) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(
                        "bash", checkout.resolve("action/scripts/build-flow.sh").toString(), "locate")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("GITHUB_OUTPUT", output.toString());
        builder.environment().put("XDG_CACHE_HOME", cache.toString());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        return builder.start();
    }

    /** The repository's files as a runner downloads an action: no .git, no build output. */
    private static Path copyOfRepository(Path target) throws IOException {
        Path source = ActionTesting.repository();
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                String name = dir.getFileName().toString();
                if (!dir.equals(source)
                        && (NOT_DOWNLOADED.contains(name) || name.equals("target") || name.startsWith("target-"))) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(target.resolve(source.relativize(dir)));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                if (attributes.isRegularFile() && !file.getFileName().toString().equals(".git")) {
                    Files.copy(file, target.resolve(source.relativize(file)), StandardCopyOption.COPY_ATTRIBUTES);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return target;
    }
}

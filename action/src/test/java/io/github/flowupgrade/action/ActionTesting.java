package io.github.flowupgrade.action;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** What the action's tests share: where the repository and flow.jar are, and a runner as GitHub's hosted ones. */
final class ActionTesting {
    static final String REPOSITORY = "octo-org/mastodon-config";
    static final String RUN_ID = "4242";
    /** The job's GITHUB_TOKEN, as long and as shaped as GitHub's. */
    static final String JOB_TOKEN = "ghs_16C7e42F292c6912E7710c838347Ae178B4a";

    private ActionTesting() {}

    static Path repository() {
        return Path.of(System.getProperty("flow.repository", ".."))
                .toAbsolutePath()
                .normalize();
    }

    /** The CLI's jar the reactor built (what the action's build step would build). */
    static Path flowJar() {
        Path jar = Path.of(System.getProperty("flow.cliJar", "../cli/target/flow.jar"))
                .toAbsolutePath()
                .normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    jar + " is missing: build the cli module first (mvn -pl action -am verify)");
        }
        return jar;
    }

    static CompositeAction action() {
        return CompositeAction.load(repository());
    }

    /** The github context of run {@value #RUN_ID}, its API at {@code apiUrl}. */
    static Map<String, String> github(String apiUrl) {
        Map<String, String> github = new LinkedHashMap<>();
        github.put("api_url", apiUrl);
        github.put("server_url", "https://github.com");
        github.put("repository", REPOSITORY);
        github.put("run_id", RUN_ID);
        github.put("run_attempt", "1");
        github.put("actor", "alice-admin");
        github.put("triggering_actor", "alice-admin");
        github.put("workflow", "Upgrade Mastodon");
        github.put("job", "streaming");
        github.put("token", JOB_TOKEN);
        return github;
    }

    /** A runner whose workspace and temporary directory are fresh folders of {@code tmp}. */
    static CompositeAction.Runner runner(Path tmp, Map<String, String> github, Map<String, String> env)
            throws IOException {
        return new CompositeAction.Runner(
                Files.createDirectories(tmp.resolve("workspace")),
                Files.createDirectories(tmp.resolve("runner-temp")),
                github,
                env,
                Duration.ofMinutes(8),
                process -> {});
    }

    /** Inputs from name/value pairs. */
    static Map<String, String> with(String... pairs) {
        Map<String, String> with = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            with.put(pairs[i], pairs[i + 1]);
        }
        return with;
    }

    /** Files and folders left in {@code dir} whose names start with {@code prefix}. */
    static List<Path> leftovers(Path dir, String prefix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(prefix))
                    .toList();
        }
    }
}

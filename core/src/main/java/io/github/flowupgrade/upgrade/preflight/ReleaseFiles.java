package io.github.flowupgrade.upgrade.preflight;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The files of one revision that say what it needs ({@link io.github.flowupgrade.commands.PreflightCommands#FILES}),
 * as {@code git show} printed them.
 *
 * @param revision the release tag, or {@code HEAD} for the release running now
 * @param read false when the revision could not be read at all (a tag the fetch did not bring)
 * @param contents each file the revision has, by path
 */
record ReleaseFiles(String revision, boolean read, Map<String, String> contents) {
    private static final ObjectMapper JSON = new ObjectMapper();

    ReleaseFiles {
        contents = Map.copyOf(contents);
    }

    static ReleaseFiles unreadable(String revision) {
        return new ReleaseFiles(revision, false, Map.of());
    }

    Optional<String> file(String path) {
        return Optional.ofNullable(contents.get(path));
    }

    /** The Ruby {@code .ruby-version} names ({@code 3.3.6}; a {@code ruby-} prefix dropped), or empty. */
    Optional<String> ruby() {
        return file(".ruby-version").flatMap(ReleaseFiles::firstWord).map(v -> v.replaceFirst("^ruby-", ""));
    }

    /** What {@code .nvmrc} (or {@code .node-version}) names: {@code 22}, {@code v22.11.0}, {@code lts/jod}. */
    Optional<String> nvmrc() {
        return file(".nvmrc").or(() -> file(".node-version")).flatMap(ReleaseFiles::firstWord);
    }

    /** {@code package.json}'s {@code engines.node} range, or empty. */
    Optional<String> nodeEngines() {
        return packageJson()
                .map(p -> p.path("engines").path("node"))
                .filter(JsonNode::isTextual)
                .map(JsonNode::asText);
    }

    /** {@code package.json}'s {@code packageManager} ({@code yarn@4.5.1}), or empty. */
    Optional<String> packageManager() {
        return packageJson()
                .map(p -> p.path("packageManager"))
                .filter(JsonNode::isTextual)
                .map(JsonNode::asText);
    }

    /** The major version of yarn the revision asks for through {@code packageManager}, or 0. */
    int yarnMajor() {
        return packageManager()
                .filter(pm -> pm.matches("yarn@\\d+(\\..*)?"))
                .map(pm -> Integer.parseInt(pm.substring(5).split("[^0-9]", 2)[0]))
                .orElse(0);
    }

    Optional<String> envSample() {
        return file(".env.production.sample");
    }

    /** The paths of the files it has. */
    Set<String> present() {
        return contents.keySet();
    }

    private Optional<JsonNode> packageJson() {
        return file("package.json").flatMap(text -> {
            try {
                return Optional.of(JSON.readTree(text));
            } catch (java.io.IOException e) {
                return Optional.empty();
            }
        });
    }

    private static Optional<String> firstWord(String text) {
        for (String line : text.split("\\R")) {
            String word = line.strip();
            if (!word.isEmpty() && !word.startsWith("#")) {
                return Optional.of(word.split("\\s+")[0]);
            }
        }
        return Optional.empty();
    }
}

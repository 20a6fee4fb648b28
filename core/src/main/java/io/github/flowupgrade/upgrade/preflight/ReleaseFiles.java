package io.github.flowupgrade.upgrade.preflight;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.flowupgrade.commands.PreflightCommands;
import io.github.flowupgrade.remote.ExecResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The files of one revision that say what it needs ({@link io.github.flowupgrade.commands.PreflightCommands#FILES}),
 * as the host printed them.
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

    /**
     * The files of each revision in the output of {@link io.github.flowupgrade.commands.PreflightCommands#files}: a
     * revision it could not read, or all of them when the command failed, are {@link #unreadable}.
     *
     * @param revisions the revisions' names, in the order the command read them
     */
    static List<ReleaseFiles> parse(List<String> revisions, ExecResult result, String marker) {
        if (result == null || !result.succeeded()) {
            return revisions.stream().map(ReleaseFiles::unreadable).toList();
        }
        List<Map<String, String>> contents = new ArrayList<>();
        revisions.forEach(r -> contents.add(new LinkedHashMap<>()));
        boolean[] unread = new boolean[revisions.size()];
        String out = result.stdout();
        String header = marker + " ";
        int at = out.startsWith(header) ? 0 : nextHeader(out, header, 0);
        while (at >= 0) {
            int lineEnd = out.indexOf('\n', at);
            String[] words = out.substring(at + header.length(), lineEnd < 0 ? out.length() : lineEnd)
                    .split(" ");
            int next = lineEnd < 0 ? -1 : nextHeader(out, header, lineEnd);
            int revision = words.length >= 2 ? index(words[1], unread.length) : -1;
            if (words.length == 2 && words[0].equals("unreadable") && revision >= 0) {
                unread[revision] = true;
            } else if (words.length == 3
                    && lineEnd >= 0
                    && words[0].matches("\\d{1,9}")
                    && revision >= 0
                    && PreflightCommands.FILES.contains(words[2])) {
                // The blob, then the newline cat-file adds: its size in bytes says where it ends.
                String body = out.substring(lineEnd + 1, next < 0 ? out.length() : next);
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                int size = Integer.parseInt(words[0]);
                contents.get(revision)
                        .put(
                                words[2],
                                size <= bytes.length ? new String(bytes, 0, size, StandardCharsets.UTF_8) : body);
            }
            at = next;
        }
        List<ReleaseFiles> files = new ArrayList<>();
        for (int i = 0; i < revisions.size(); i++) {
            files.add(
                    unread[i]
                            ? unreadable(revisions.get(i))
                            : new ReleaseFiles(revisions.get(i), true, contents.get(i)));
        }
        return files;
    }

    /** Where the next line that starts with {@code header} begins, after {@code from}; or -1. */
    private static int nextHeader(String out, String header, int from) {
        int found = out.indexOf("\n" + header, from);
        return found < 0 ? -1 : found + 1;
    }

    /** The revision index {@code word} names, or -1 when it names none of the {@code count}. */
    private static int index(String word, int count) {
        int index = word.matches("\\d{1,4}") ? Integer.parseInt(word) : -1;
        return index < count ? index : -1;
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

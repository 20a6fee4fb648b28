package io.github.flowupgrade.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.flowupgrade.FlowException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Finds a profile by name ({@code mastodon}, {@code flow}) or reads a custom one from a JSON file. A custom profile
 * starts from a preset ({@code "extends": "mastodon"} by default) and overrides any field:
 *
 * <pre>{@code
 * {"extends": "mastodon", "name": "hometown", "repo": "hometown-fork/hometown",
 *  "services": {"streaming": ["mastodon-streaming@4000", "mastodon-streaming@4001"]},
 *  "health": {"web": "http://127.0.0.1:3000/health"}, "hopRule": "SINGLE_HOP"}
 * }</pre>
 */
public final class AppProfiles {
    private static final Set<String> FIELDS =
            Set.of("extends", "name", "user", "dir", "repo", "gitUrl", "services", "health", "hopRule");
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private AppProfiles() {}

    /** {@code mastodon}, {@code flow}, or the path of a JSON profile. */
    public static AppProfile resolve(String nameOrFile) {
        if (nameOrFile == null || nameOrFile.isBlank()) {
            throw FlowException.badInput("missing application profile (mastodon, flow or a JSON file)");
        }
        return switch (nameOrFile) {
            case "mastodon" -> AppProfile.mastodon();
            case "flow" -> AppProfile.flow();
            default -> {
                if (!nameOrFile.endsWith(".json")) {
                    throw FlowException.badInput(
                            "unknown application profile " + nameOrFile + ": use mastodon, flow or a FILE.json");
                }
                yield fromFile(Path.of(nameOrFile));
            }
        };
    }

    public static AppProfile fromFile(Path file) {
        try {
            return fromJson(Files.readString(file));
        } catch (IOException e) {
            throw FlowException.badInput("cannot read application profile " + file + ": " + e.getMessage());
        }
    }

    public static AppProfile fromJson(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw FlowException.badInput("application profile is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw FlowException.badInput("application profile must be a JSON object");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.contains(field)) {
                throw FlowException.badInput(
                        "unknown field in application profile: " + field + " (known: " + FIELDS + ")");
            }
        }
        String base = text(root, "extends", "mastodon");
        if (!base.equals("mastodon") && !base.equals("flow")) {
            throw FlowException.badInput("a profile can extend mastodon or flow, not " + base);
        }
        AppProfile p = resolve(base);
        String user = text(root, "user", p.user());
        boolean userChanged = !user.equals(p.user());
        p = new AppProfile(
                text(root, "name", p.name()),
                user,
                text(root, "dir", userChanged ? "/home/" + user + "/live" : p.dir()),
                p.repo(),
                p.gitUrl(),
                services(root.get("services"), p.services()),
                health(root.get("health"), p.health()),
                hopRule(root, p.hopRule()));
        if (root.has("repo")) {
            p = p.withRepo(text(root, "repo", null));
        }
        if (root.has("gitUrl")) {
            p = p.withGitUrl(text(root, "gitUrl", null));
        }
        return p;
    }

    private static ServiceUnits services(JsonNode node, ServiceUnits base) {
        if (node == null) {
            return base;
        }
        requireObject(node, "services", Set.of("sidekiq", "web", "streaming"));
        return new ServiceUnits(
                units(node, "sidekiq", base.sidekiq()),
                units(node, "web", base.web()),
                units(node, "streaming", base.streaming()));
    }

    private static List<String> units(JsonNode services, String role, List<String> base) {
        JsonNode node = services.get(role);
        if (node == null) {
            return base;
        }
        List<String> units = new ArrayList<>();
        if (node.isTextual()) {
            units.add(node.asText());
        } else if (node.isArray()) {
            for (JsonNode unit : node) {
                if (!unit.isTextual()) {
                    throw FlowException.badInput("services." + role + " must list unit names as strings");
                }
                units.add(unit.asText());
            }
        } else {
            throw FlowException.badInput("services." + role + " must be a unit name or a list of them");
        }
        return units;
    }

    private static HealthChecks health(JsonNode node, HealthChecks base) {
        if (node == null) {
            return base;
        }
        requireObject(node, "health", Set.of("web", "streaming", "expectedBody"));
        try {
            return new HealthChecks(
                    node.has("web") ? URI.create(node.get("web").asText()) : base.web(),
                    node.has("streaming") ? URI.create(node.get("streaming").asText()) : base.streaming(),
                    node.has("expectedBody") ? node.get("expectedBody").asText() : base.expectedBody());
        } catch (IllegalArgumentException e) {
            throw FlowException.badInput("health check URL is not a valid URL: " + e.getMessage());
        }
    }

    private static HopRule hopRule(JsonNode root, HopRule base) {
        String value = text(root, "hopRule", base.name());
        try {
            return HopRule.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw FlowException.badInput("hopRule must be EVERY_MINOR_SERIES or SINGLE_HOP, not " + value);
        }
    }

    private static void requireObject(JsonNode node, String field, Set<String> known) {
        if (!node.isObject()) {
            throw FlowException.badInput(field + " must be a JSON object");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) {
                throw FlowException.badInput("unknown field " + field + "." + name + " (known: " + known + ")");
            }
        }
    }

    private static String text(JsonNode root, String field, String fallback) {
        JsonNode node = root.get(field);
        if (node == null) {
            return fallback;
        }
        if (!node.isTextual()) {
            throw FlowException.badInput(field + " must be a string");
        }
        return node.asText();
    }
}

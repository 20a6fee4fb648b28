package io.github.flowupgrade.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GitHub responses kept on disk with their {@code ETag}, so that asking again sends {@code If-None-Match} and a
 * {@code 304} (which does not count against the rate limit) is answered from here. One file per URL; a damaged file is
 * treated as absent. Nothing secret is stored: the key is the URL and whether the request was authenticated.
 */
final class EtagCache {
    private static final Logger LOG = LoggerFactory.getLogger(EtagCache.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A cached response: its validator, its pagination header and its body. */
    record Entry(String etag, String link, String body) {}

    private final Path dir;

    /** A cache in {@code dir}, or none at all when {@code dir} is null. */
    EtagCache(Path dir) {
        this.dir = dir;
    }

    Optional<Entry> get(String url, boolean authenticated) {
        if (dir == null) {
            return Optional.empty();
        }
        Path file = file(url, authenticated);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(file.toFile());
            if (node == null
                    || !url.equals(node.path("url").asText())
                    || !node.path("etag").isTextual()) {
                return Optional.empty();
            }
            return Optional.of(new Entry(
                    node.path("etag").asText(),
                    node.path("link").isTextual() ? node.path("link").asText() : null,
                    node.path("body").asText()));
        } catch (IOException e) {
            LOG.debug("ignoring unreadable cache entry {}", file, e);
            return Optional.empty();
        }
    }

    void put(String url, boolean authenticated, Entry entry) {
        if (dir == null || entry.etag() == null) {
            return;
        }
        try {
            Files.createDirectories(dir);
            ObjectNode node = JSON.createObjectNode();
            node.put("url", url);
            node.put("etag", entry.etag());
            node.put("link", entry.link());
            node.put("body", entry.body());
            Path file = file(url, authenticated);
            Path tmp = Files.createTempFile(dir, ".entry", ".tmp");
            Files.writeString(tmp, JSON.writeValueAsString(node), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // A cache that cannot be written costs rate limit, not correctness.
            LOG.debug("cannot write cache entry for {}", url, e);
        }
    }

    private Path file(String url, boolean authenticated) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] digest = sha.digest((url + (authenticated ? "\nauth" : "\nanon")).getBytes(StandardCharsets.UTF_8));
            return dir.resolve(HexFormat.of().formatHex(digest) + ".json");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}

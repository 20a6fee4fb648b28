package io.github.flowupgrade.app;

import io.github.flowupgrade.FlowException;
import java.net.URI;

/**
 * Where a host's services answer when they are healthy. The URLs are fetched on the host itself (over SSH), so they
 * name the host's own loopback ports, as Mastodon's web ({@code GET /health}) and streaming ({@code GET
 * /api/v1/streaming/health}) servers listen there behind nginx. Both answer the body {@code expectedBody}.
 */
public record HealthChecks(URI web, URI streaming, String expectedBody) {
    public HealthChecks {
        check(web, "web");
        check(streaming, "streaming");
        if (expectedBody == null || expectedBody.isBlank()) {
            throw FlowException.badInput("health check: expected body must not be empty");
        }
    }

    public static HealthChecks mastodonDefaults() {
        return new HealthChecks(
                URI.create("http://127.0.0.1:3000/health"),
                URI.create("http://127.0.0.1:4000/api/v1/streaming/health"),
                "OK");
    }

    private static void check(URI uri, String role) {
        if (uri == null
                || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                || uri.getHost() == null
                || uri.getRawUserInfo() != null) {
            throw FlowException.badInput(
                    "health check URL for " + role + " must be an http(s) URL without credentials: " + uri);
        }
    }
}

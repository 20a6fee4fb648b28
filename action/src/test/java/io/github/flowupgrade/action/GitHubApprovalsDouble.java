package io.github.flowupgrade.action;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GitHub's {@code GET /repos/{owner}/{repo}/actions/runs/{run_id}/approvals} on a loopback port, answering as GitHub
 * does: the run's deployment reviews as a JSON list, split into pages with {@code Link} headers when a page size is
 * set, {@code 401 Bad credentials} without the right bearer token, {@code 404} for another repository or run, the
 * rate limit headers on every answer, and on demand the failures GitHub gives: 5xx, a primary rate limit (403 with
 * {@code X-RateLimit-Remaining: 0}), a secondary one (429 with {@code Retry-After}), 403 for a token without the
 * permission, an HTML page from a proxy, a redirect to another origin.
 */
final class GitHubApprovalsDouble implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PATH = Pattern.compile("/repos/([^/]+/[^/]+)/actions/runs/([0-9]+)/approvals");

    /** A failure served instead of the next answer. */
    enum Failure {
        SERVER_ERROR,
        RATE_LIMIT_RESET_IN_2_S,
        RATE_LIMIT_RESET_IN_AN_HOUR,
        RETRY_AFTER_1_S,
        FORBIDDEN,
        HTML,
        REDIRECT_ELSEWHERE
    }

    /** A request as the double received it. */
    record Request(String pathAndQuery, String authorization, Instant at) {}

    private final HttpServer server;
    private final String repository;
    private final String runId;
    private final String token;
    private final List<Map<String, Object>> reviews = new ArrayList<>();
    private final Deque<Failure> failures = new ArrayDeque<>();
    private final List<Request> requests = new ArrayList<>();
    private int pageSize = 100;
    private URI elsewhere;

    private GitHubApprovalsDouble(HttpServer server, String repository, String runId, String token) {
        this.server = server;
        this.repository = repository;
        this.runId = runId;
        this.token = token;
    }

    /** Serves the approvals of run {@code runId} of {@code repository} to requests bearing {@code token}. */
    static GitHubApprovalsDouble start(String repository, String runId, String token) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            GitHubApprovalsDouble github = new GitHubApprovalsDouble(server, repository, runId, token);
            server.createContext("/", github::handle);
            server.start();
            return github;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base URL, as {@code github.api_url}. */
    String apiUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A review of the run, as GitHub lists it: the environments it covers, its state and the reviewer. */
    static Map<String, Object> review(String state, String login, String comment, String... environments) {
        List<Object> envs = new ArrayList<>();
        long id = 161088068;
        for (String name : environments) {
            Map<String, Object> env = new LinkedHashMap<>();
            env.put("id", id++);
            env.put("node_id", "EN_kwDOB" + id);
            env.put("name", name);
            env.put("url", "https://api.github.com/repos/octo-org/mastodon-config/environments/" + name);
            env.put(
                    "html_url",
                    "https://github.com/octo-org/mastodon-config/deployments/activity_log?environments_filter=" + name);
            env.put("created_at", "2026-10-01T10:00:00Z");
            env.put("updated_at", "2026-10-01T10:00:00Z");
            envs.add(env);
        }
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("login", login);
        user.put("id", 1_000_000 + login.length());
        user.put("node_id", "MDQ6VXNlcj" + login.length());
        user.put("type", "User");
        user.put("site_admin", false);
        Map<String, Object> review = new LinkedHashMap<>();
        review.put("environments", envs);
        review.put("state", state);
        review.put("user", user);
        review.put("comment", comment);
        return review;
    }

    synchronized GitHubApprovalsDouble reviews(List<Map<String, Object>> list) {
        reviews.clear();
        reviews.addAll(list);
        return this;
    }

    /** Splits the list into pages of {@code size} with Link headers (GitHub pages lists; 100 at most). */
    synchronized GitHubApprovalsDouble pageSize(int size) {
        pageSize = size;
        return this;
    }

    /** Serves {@code failure} for the next {@code count} requests. */
    synchronized GitHubApprovalsDouble failNext(int count, Failure failure) {
        for (int i = 0; i < count; i++) {
            failures.add(failure);
        }
        return this;
    }

    /** Where {@link Failure#REDIRECT_ELSEWHERE} sends the client. */
    synchronized GitHubApprovalsDouble elsewhere(URI other) {
        elsewhere = other;
        return this;
    }

    synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Answer answer;
            synchronized (this) {
                URI uri = exchange.getRequestURI();
                String pathAndQuery = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
                requests.add(new Request(
                        pathAndQuery, exchange.getRequestHeaders().getFirst("Authorization"), Instant.now()));
                answer = answer(exchange, uri);
            }
            byte[] body = answer.body.getBytes(StandardCharsets.UTF_8);
            var headers = exchange.getResponseHeaders();
            headers.set("Content-Type", answer.contentType);
            headers.set("X-GitHub-Api-Version-Selected", "2022-11-28");
            headers.set("X-RateLimit-Limit", "1000");
            headers.set("X-RateLimit-Remaining", answer.headers.getOrDefault("X-RateLimit-Remaining", "998"));
            headers.set(
                    "X-RateLimit-Reset",
                    answer.headers.getOrDefault(
                            "X-RateLimit-Reset", Long.toString(Instant.now().getEpochSecond() + 3600)));
            answer.headers.forEach(headers::set);
            exchange.sendResponseHeaders(answer.status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private record Answer(int status, String contentType, String body, Map<String, String> headers) {
        static Answer json(int status, Object value, Map<String, String> headers) {
            try {
                return new Answer(status, "application/json; charset=utf-8", JSON.writeValueAsString(value), headers);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        static Answer message(int status, String message, Map<String, String> headers) {
            return json(
                    status,
                    Map.of(
                            "message",
                            message,
                            "documentation_url",
                            "https://docs.github.com/rest/actions/workflow-runs#get-the-review-history-for-a-workflow-run",
                            "status",
                            Integer.toString(status)),
                    headers);
        }
    }

    private Answer answer(HttpExchange exchange, URI uri) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !authorization.equals("Bearer " + token)) {
            return Answer.message(401, "Bad credentials", Map.of());
        }
        Failure failure = failures.poll();
        if (failure != null) {
            long now = Instant.now().getEpochSecond();
            return switch (failure) {
                case SERVER_ERROR -> Answer.message(502, "Server Error", Map.of());
                case RATE_LIMIT_RESET_IN_2_S ->
                    Answer.message(
                            403,
                            "API rate limit exceeded for installation ID 4242.",
                            Map.of("X-RateLimit-Remaining", "0", "X-RateLimit-Reset", Long.toString(now + 2)));
                case RATE_LIMIT_RESET_IN_AN_HOUR ->
                    Answer.message(
                            403,
                            "API rate limit exceeded for installation ID 4242.",
                            Map.of("X-RateLimit-Remaining", "0", "X-RateLimit-Reset", Long.toString(now + 3600)));
                case RETRY_AFTER_1_S ->
                    Answer.message(429, "You have exceeded a secondary rate limit.", Map.of("Retry-After", "1"));
                case FORBIDDEN -> Answer.message(403, "Resource not accessible by integration", Map.of());
                case HTML -> new Answer(200, "text/html", "<html><body>Sign in to the proxy</body></html>", Map.of());
                case REDIRECT_ELSEWHERE ->
                    new Answer(
                            302, "text/plain", "", Map.of("Location", elsewhere + uri.getRawPath() + "?per_page=100"));
            };
        }
        Matcher m = PATH.matcher(uri.getRawPath());
        if (!m.matches() || !m.group(1).equals(repository) || !m.group(2).equals(runId)) {
            return Answer.message(404, "Not Found", Map.of());
        }
        Map<String, String> query = query(uri.getRawQuery());
        int perPage = Math.min(pageSize, Math.min(100, Integer.parseInt(query.getOrDefault("per_page", "30"))));
        int page = Integer.parseInt(query.getOrDefault("page", "1"));
        int pages = Math.max(1, (reviews.size() + perPage - 1) / perPage);
        int from = Math.min(reviews.size(), (page - 1) * perPage);
        List<Map<String, Object>> slice = reviews.subList(from, Math.min(reviews.size(), from + perPage));
        Map<String, String> headers = new LinkedHashMap<>();
        if (pages > 1) {
            List<String> links = new ArrayList<>();
            String base = apiUrl() + uri.getRawPath() + "?per_page=" + perPage + "&page=";
            if (page < pages) {
                links.add("<" + base + (page + 1) + ">; rel=\"next\"");
                links.add("<" + base + pages + ">; rel=\"last\"");
            }
            if (page > 1) {
                links.add("<" + base + 1 + ">; rel=\"first\"");
                links.add("<" + base + (page - 1) + ">; rel=\"prev\"");
            }
            headers.put("Link", String.join(", ", links));
        }
        return Answer.json(200, slice, headers);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
        }
        return query;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

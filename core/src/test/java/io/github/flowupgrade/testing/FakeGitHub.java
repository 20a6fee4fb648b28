package io.github.flowupgrade.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback stand-in for GitHub's REST API for releases, for tests of every module. It answers {@code GET
 * /repos/{owner}/{name}/releases?per_page=&page=} (newest first, {@code Link} with {@code next}/{@code last}), {@code
 * /releases/tags/{tag}} and {@code /releases/latest} from a set of releases, with {@code ETag}s, {@code If-None-Match}
 * → {@code 304} (which, as on GitHub, does not count against the rate limit) and the {@code X-RateLimit-*} headers.
 * Failures are switched on at will: a bad token, an exhausted rate limit (403 or 429), 404, 500/502, slow answers,
 * malformed JSON, a proxy's HTML page, a token without the permission, a deleted release. It counts the requests it
 * gets.
 *
 * <p>It also serves the review log of workflow runs, {@code GET /repos/{owner}/{repo}/actions/runs/{run_id}/approvals}
 * ({@link #runReviews}), shaped as GitHub's REST API documents it ({@code environment-approvals}: {@code environments}
 * with their {@code name}, {@code state}, {@code user.login}, {@code comment}), paged like the releases.
 *
 * <p>{@link #mastodon()} serves Mastodon's history: the real release notes in {@code src/test/resources/releases}
 * plus generated ones in the same format for the releases in between, v3.0.0 to v4.7.4 (about 120 releases, so the
 * list has two pages of 100).
 */
public final class FakeGitHub implements AutoCloseable {
    /** A release as the fixture serves it. */
    public record Release(
            long id, String tag, String name, String body, String publishedAt, boolean draft, boolean prerelease) {
        public static Release of(long id, String tag, String body, String publishedAt) {
            return new Release(id, tag, tag, body, publishedAt, false, tag.contains("-"));
        }
    }

    /**
     * A deployment review in a run's log: its state ({@code approved}, {@code rejected}, {@code pending}), the
     * reviewer's login, the comment and the environments it covered.
     */
    public record Review(String state, String login, String comment, List<String> environments) {
        public Review {
            environments = List.copyOf(environments);
        }

        public static Review approved(String login, String comment, String... environments) {
            return new Review("approved", login, comment, List.of(environments));
        }

        public static Review rejected(String login, String comment, String... environments) {
            return new Review("rejected", login, comment, List.of(environments));
        }
    }

    /** What the server does instead of answering normally. */
    public enum Failure {
        NONE,
        /** 401 Bad credentials for any request carrying a token. */
        BAD_TOKEN,
        /** 403 with {@code X-RateLimit-Remaining: 0} and a reset time, as when the primary limit is spent. */
        RATE_LIMITED,
        /** 429 with {@code Retry-After}, as for secondary limits. */
        TOO_MANY_REQUESTS,
        /** 404 for everything, as for an unknown or private repository. */
        NOT_FOUND,
        SERVER_ERROR,
        BAD_GATEWAY,
        /** Answers after {@link #slowMillis}, to make clients time out. */
        SLOW,
        /** 200 with a body that is not JSON. */
        MALFORMED_JSON,
        /** 200 with an HTML page, as a proxy or captive portal answers. */
        HTML_PAGE,
        /** 403 for a token without the permission (a workflow token without {@code actions: read}). */
        FORBIDDEN
    }

    public static final String REAL_NOTES = "/releases/";
    public static final List<String> REAL_TAGS = List.of(
            "v3.0.0", "v4.3.0", "v4.5.2", "v4.5.9", "v4.5.10", "v4.6.0", "v4.6.1", "v4.6.2", "v4.6.3", "v4.7.0");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RUN_REVIEWS = Pattern.compile("/repos/([^/]+/[^/]+)/actions/runs/([0-9]+)/approvals");

    private final String repo;
    private final List<Release> releases;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-github");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger notModified = new AtomicInteger();
    private final Map<Boolean, AtomicInteger> used = Map.of(true, new AtomicInteger(), false, new AtomicInteger());
    private final Deque<Failure> nextFailures = new ArrayDeque<>();
    private final List<String> authorizations = new ArrayList<>();
    private final List<String> paths = new ArrayList<>();
    /** Review logs by {@code owner/repo#runId}. */
    private final Map<String, List<Review>> reviews = new LinkedHashMap<>();

    private volatile int maxPerPage = 100;
    private volatile Failure failure = Failure.NONE;
    private volatile long slowMillis = 3000;
    private volatile String validToken;
    private volatile String renamedFrom;
    private final long resetEpoch = Instant.now().plusSeconds(1800).getEpochSecond();

    private FakeGitHub(String repo, List<Release> releases) {
        this.repo = repo;
        this.releases = new ArrayList<>(releases);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public static FakeGitHub start(String repo, List<Release> releases) {
        return new FakeGitHub(repo, releases);
    }

    /** {@code mastodon/mastodon} with {@link #mastodonReleases()}. */
    public static FakeGitHub mastodon() {
        return start("mastodon/mastodon", mastodonReleases());
    }

    /** The base URL to give clients as the API URL. */
    public URI apiUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Every request received, 304s included. */
    public int requests() {
        return requests.get();
    }

    /** Requests that counted against the rate limit (everything but 304s). */
    public int countedRequests() {
        return used.get(true).get() + used.get(false).get();
    }

    public int notModified() {
        return notModified.get();
    }

    /** The {@code Authorization} headers received, for tests that check where a token went. */
    public synchronized List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    /** The path and query of every request received, in order. */
    public synchronized List<String> paths() {
        return List.copyOf(paths);
    }

    /** Serves {@code list} as the review log of run {@code runId} of {@code repository} (oldest first). */
    public synchronized FakeGitHub runReviews(String repository, long runId, List<Review> list) {
        reviews.put(repository + "#" + runId, List.copyOf(list));
        return this;
    }

    /** The largest page served, whatever {@code per_page} asks (GitHub caps it at 100). */
    public FakeGitHub maxPerPage(int size) {
        maxPerPage = size;
        return this;
    }

    public void fail(Failure newFailure) {
        failure = newFailure;
    }

    /** Fails the next {@code count} requests with {@code failure}, then answers normally again. */
    public synchronized void failNext(int count, Failure nextFailure) {
        for (int i = 0; i < count; i++) {
            nextFailures.add(nextFailure);
        }
    }

    public void slowMillis(long millis) {
        slowMillis = millis;
    }

    /** Requests for {@code oldRepo} get 301 to the same path of this repository, as GitHub does after a rename. */
    public void renamedFrom(String oldRepo) {
        renamedFrom = oldRepo;
    }

    /** Only this token is accepted (any other gets 401); by default every token is. */
    public void validToken(String token) {
        validToken = token;
    }

    public synchronized void deleteRelease(String tag) {
        releases.removeIf(r -> r.tag().equals(tag));
    }

    public synchronized void addRelease(Release release) {
        releases.add(release);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            synchronized (this) {
                if (auth != null) {
                    authorizations.add(auth);
                }
                URI uri = exchange.getRequestURI();
                paths.add(uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
            }
            boolean authenticated = auth != null;
            Failure now = currentFailure();
            if (now == Failure.SLOW) {
                try {
                    Thread.sleep(slowMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (authenticated
                    && (now == Failure.BAD_TOKEN || (validToken != null && !auth.equals("Bearer " + validToken)))) {
                send(exchange, 401, message("Bad credentials"), null, authenticated, true);
                return;
            }
            switch (now) {
                case RATE_LIMITED -> {
                    exchange.getResponseHeaders().add("X-RateLimit-Remaining", "0");
                    exchange.getResponseHeaders().add("X-RateLimit-Limit", String.valueOf(limit(authenticated)));
                    exchange.getResponseHeaders().add("X-RateLimit-Reset", String.valueOf(resetEpoch));
                    send(exchange, 403, message("API rate limit exceeded for 127.0.0.1."), null, authenticated, false);
                    return;
                }
                case TOO_MANY_REQUESTS -> {
                    exchange.getResponseHeaders().add("Retry-After", "120");
                    send(
                            exchange,
                            429,
                            message("You have exceeded a secondary rate limit."),
                            null,
                            authenticated,
                            true);
                    return;
                }
                case NOT_FOUND -> {
                    send(exchange, 404, message("Not Found"), null, authenticated, true);
                    return;
                }
                case SERVER_ERROR -> {
                    send(exchange, 500, message("Server Error"), null, authenticated, true);
                    return;
                }
                case BAD_GATEWAY -> {
                    send(exchange, 502, "<html><body>502 Bad Gateway</body></html>", null, authenticated, true);
                    return;
                }
                case MALFORMED_JSON -> {
                    send(exchange, 200, "[{\"tag_name\": \"v4.5.2\", \"body\": ", null, authenticated, true);
                    return;
                }
                case HTML_PAGE -> {
                    exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                    byte[] page = "<!DOCTYPE html><html><body><h1>Sign in to continue</h1></body></html>"
                            .getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(200, page.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(page);
                    }
                    return;
                }
                case FORBIDDEN -> {
                    send(exchange, 403, message("Resource not accessible by integration"), null, authenticated, true);
                    return;
                }
                default -> {}
            }
            route(exchange, authenticated);
        }
    }

    private synchronized Failure currentFailure() {
        Failure next = nextFailures.poll();
        return next != null ? next : failure;
    }

    private void route(HttpExchange exchange, boolean authenticated) throws IOException {
        URI uri = exchange.getRequestURI();
        String prefix = "/repos/" + repo + "/releases";
        String oldPrefix = renamedFrom == null ? null : "/repos/" + renamedFrom + "/";
        if (oldPrefix != null && uri.getRawPath().startsWith(oldPrefix)) {
            String moved = "/repos/" + repo + "/" + uri.getRawPath().substring(oldPrefix.length())
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            exchange.getResponseHeaders().add("Location", apiUrl() + moved);
            send(exchange, 301, message("Moved Permanently"), null, authenticated, true);
            return;
        }
        String path = uri.getRawPath();
        Matcher run = RUN_REVIEWS.matcher(path);
        if ("GET".equals(exchange.getRequestMethod()) && run.matches()) {
            List<Review> log;
            synchronized (this) {
                log = reviews.get(run.group(1) + "#" + run.group(2));
            }
            if (log == null) {
                send(exchange, 404, message("Not Found"), null, authenticated, true);
                return;
            }
            ArrayNode array = JSON.createArrayNode();
            String link = page(uri, log, this::json, array);
            send(exchange, 200, array.toString(), link, authenticated, true);
            return;
        }
        if (!"GET".equals(exchange.getRequestMethod()) || !path.startsWith(prefix)) {
            send(exchange, 404, message("Not Found"), null, authenticated, true);
            return;
        }
        String rest = path.substring(prefix.length());
        List<Release> published;
        synchronized (this) {
            published = new ArrayList<>(releases);
        }
        published.sort(Comparator.comparing(Release::publishedAt).reversed());
        if (rest.isEmpty() || rest.equals("/")) {
            ArrayNode array = JSON.createArrayNode();
            String link = page(uri, published, this::json, array);
            send(exchange, 200, array.toString(), link, authenticated, true);
        } else if (rest.equals("/latest")) {
            Optional<Release> latest = published.stream()
                    .filter(r -> !r.draft() && !r.prerelease())
                    .findFirst();
            sendRelease(exchange, latest, authenticated);
        } else if (rest.startsWith("/tags/")) {
            String tag = URLDecoder.decode(rest.substring("/tags/".length()), StandardCharsets.UTF_8);
            sendRelease(
                    exchange,
                    published.stream()
                            .filter(r -> !r.draft() && r.tag().equals(tag))
                            .findFirst(),
                    authenticated);
        } else {
            send(exchange, 404, message("Not Found"), null, authenticated, true);
        }
    }

    /**
     * One page of {@code all} ({@code per_page}, default 30, at most {@link #maxPerPage}; {@code page}) into {@code
     * array}, and its {@code Link} header (null for a single page), as GitHub pages its lists.
     */
    private <T> String page(URI uri, List<T> all, Function<T, ObjectNode> json, ArrayNode array) {
        Map<String, String> query = query(uri.getRawQuery());
        int perPage = Math.max(1, Math.min(maxPerPage, intOr(query.get("per_page"), 30)));
        int page = Math.max(1, intOr(query.get("page"), 1));
        int last = Math.max(1, (all.size() + perPage - 1) / perPage);
        all.stream().skip((long) (page - 1) * perPage).limit(perPage).forEach(item -> array.add(json.apply(item)));
        String base = apiUrl() + uri.getRawPath() + "?per_page=" + perPage + "&page=";
        List<String> links = new ArrayList<>();
        if (page < last) {
            links.add("<" + base + (page + 1) + ">; rel=\"next\"");
            links.add("<" + base + last + ">; rel=\"last\"");
        }
        if (page > 1) {
            links.add("<" + base + (page - 1) + ">; rel=\"prev\"");
            links.add("<" + base + 1 + ">; rel=\"first\"");
        }
        return links.isEmpty() ? null : String.join(", ", links);
    }

    /** A review as GitHub's {@code environment-approvals} schema has it, with a {@code simple-user}. */
    private ObjectNode json(Review review) {
        ObjectNode node = JSON.createObjectNode();
        ArrayNode environments = node.putArray("environments");
        for (String name : review.environments()) {
            ObjectNode environment = environments.addObject();
            long id = 56_780_000L + Math.abs(name.hashCode() % 10_000);
            environment.put("id", id);
            environment.put("node_id", "EN_kwDOB" + id);
            environment.put("name", name);
            environment.put("url", apiUrl() + "/repos/octo-org/config/environments/" + name);
            environment.put(
                    "html_url",
                    "https://github.com/octo-org/config/deployments/activity_log?environments_filter=" + name);
            environment.put("created_at", "2026-10-01T10:00:00Z");
            environment.put("updated_at", "2026-10-01T10:00:00Z");
        }
        node.put("state", review.state());
        ObjectNode user = node.putObject("user");
        user.put("login", review.login());
        user.put("id", 1_000_000 + Math.abs(review.login().hashCode() % 100_000));
        user.put("node_id", "MDQ6VXNlcj" + review.login().length());
        user.put("avatar_url", "https://avatars.githubusercontent.com/u/1?v=4");
        user.put("url", apiUrl() + "/users/" + review.login());
        user.put("html_url", "https://github.com/" + review.login());
        user.put("type", review.login().endsWith("[bot]") ? "Bot" : "User");
        user.put("site_admin", false);
        node.put("comment", review.comment());
        return node;
    }

    private void sendRelease(HttpExchange exchange, Optional<Release> release, boolean authenticated)
            throws IOException {
        if (release.isEmpty()) {
            send(exchange, 404, message("Not Found"), null, authenticated, true);
        } else {
            send(exchange, 200, json(release.get()).toString(), null, authenticated, true);
        }
    }

    private ObjectNode json(Release r) {
        ObjectNode node = JSON.createObjectNode();
        node.put("url", apiUrl() + "/repos/" + repo + "/releases/" + r.id());
        node.put("html_url", "https://github.com/" + repo + "/releases/tag/" + r.tag());
        node.put("id", r.id());
        node.put("tag_name", r.tag());
        node.put("target_commitish", "main");
        node.put("name", r.name());
        node.put("draft", r.draft());
        node.put("prerelease", r.prerelease());
        node.put("created_at", r.publishedAt());
        node.put("published_at", r.draft() ? null : r.publishedAt());
        node.put("body", r.body());
        return node;
    }

    private void send(
            HttpExchange exchange, int status, String body, String link, boolean authenticated, boolean rateHeaders)
            throws IOException {
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "application/json; charset=utf-8");
        if (link != null) {
            headers.set("Link", link);
        }
        String etag = "W/\"" + sha256(body) + "\"";
        boolean unchanged =
                status == 200 && etag.equals(exchange.getRequestHeaders().getFirst("If-None-Match"));
        if (!unchanged && status != 403) {
            used.get(authenticated).incrementAndGet();
        }
        if (rateHeaders) {
            int limit = limit(authenticated);
            headers.set("X-RateLimit-Limit", String.valueOf(limit));
            headers.set(
                    "X-RateLimit-Remaining",
                    String.valueOf(Math.max(0, limit - used.get(authenticated).get())));
            headers.set(
                    "X-RateLimit-Used", String.valueOf(used.get(authenticated).get()));
            headers.set("X-RateLimit-Reset", String.valueOf(resetEpoch));
            headers.set("X-RateLimit-Resource", "core");
        }
        if (unchanged) {
            notModified.incrementAndGet();
            headers.set("ETag", etag);
            exchange.sendResponseHeaders(304, -1);
            return;
        }
        if (status == 200) {
            headers.set("ETag", etag);
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static int limit(boolean authenticated) {
        return authenticated ? 5000 : 60;
    }

    private static String message(String text) {
        return JSON.createObjectNode()
                .put("message", text)
                .put("documentation_url", "https://docs.github.com/rest")
                .toString();
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> map = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    map.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return map;
    }

    private static int intOr(String s, int fallback) {
        try {
            return s == null ? fallback : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)))
                    .substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The body of a real release note copied into the test resources ({@code v4.3.0} → {@code v4.3.0.md}). */
    public static String realNotes(String tag) {
        try (InputStream in = FakeGitHub.class.getResourceAsStream(REAL_NOTES + tag + ".md")) {
            if (in == null) {
                throw new IllegalArgumentException("no real notes for " + tag);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Mastodon's releases from v3.0.0 to v4.7.4 in semver and date order that imitate the real history (patch series
     * overlapping in time), with the real notes where we have them and generated notes in the 4.x format elsewhere;
     * plus pre-releases of 4.3.0 and 4.6.0, a draft and a tag that is not a version.
     */
    public static List<Release> mastodonReleases() {
        Map<String, String> realDates = Map.of(
                "v3.0.0",
                "2019-10-03",
                "v4.3.0",
                "2024-10-08",
                "v4.5.2",
                "2025-11-20",
                "v4.5.9",
                "2026-04-28",
                "v4.5.10",
                "2026-05-22",
                "v4.6.0",
                "2026-06-17",
                "v4.6.1",
                "2026-06-24",
                "v4.6.2",
                "2026-06-25",
                "v4.6.3",
                "2026-07-03",
                "v4.7.0",
                "2026-08-20");
        // series, first date, days between patches, last patch
        Object[][] series = {
            {"3.0", "2019-10-03", 10, 2},
            {"4.0", "2022-11-14", 20, 2},
            {"4.1", "2023-02-10", 30, 9},
            {"4.2", "2023-09-21", 30, 15},
            {"4.3", "2024-10-08", 30, 14},
            {"4.4", "2025-07-08", 10, 27},
            {"4.5", "2025-11-06", 13, 20},
            {"4.6", "2026-06-17", 14, 6},
            {"4.7", "2026-08-20", 14, 4},
        };
        List<Release> list = new ArrayList<>();
        long id = 1000;
        for (Object[] s : series) {
            String name = (String) s[0];
            LocalDate first = LocalDate.parse((String) s[1]);
            int step = (Integer) s[2];
            int lastPatch = (Integer) s[3];
            LocalDate previous = first.minusDays(1);
            for (int patch = 0; patch <= lastPatch; patch++) {
                String tag = "v" + name + "." + patch;
                boolean real = realDates.containsKey(tag);
                LocalDate date = real ? LocalDate.parse(realDates.get(tag)) : first.plusDays((long) patch * step);
                if (!real && !date.isAfter(previous)) {
                    date = previous.plusDays(1);
                }
                previous = date;
                String body = REAL_TAGS.contains(tag) ? realNotes(tag) : generatedNotes(name, patch);
                list.add(Release.of(id++, tag, body, timestamp(date)));
            }
        }
        list.add(Release.of(id++, "v4.3.0-beta.1", generatedNotes("4.3", 0), timestamp(LocalDate.parse("2024-07-24"))));
        list.add(Release.of(id++, "v4.3.0-beta.2", generatedNotes("4.3", 0), timestamp(LocalDate.parse("2024-08-23"))));
        list.add(Release.of(id++, "v4.3.0-rc.1", generatedNotes("4.3", 0), timestamp(LocalDate.parse("2024-09-16"))));
        list.add(Release.of(id++, "v4.6.0-rc.1", generatedNotes("4.6", 0), timestamp(LocalDate.parse("2026-06-01"))));
        list.add(new Release(
                id++,
                "v4.8.0",
                "v4.8.0 (draft)",
                "Not published yet.",
                timestamp(LocalDate.parse("2026-11-20")),
                true,
                false));
        list.add(new Release(
                id,
                "nightly.2026-11-01",
                "Nightly",
                "A nightly build.",
                timestamp(LocalDate.parse("2026-11-01")),
                false,
                true));
        return list;
    }

    private static String timestamp(LocalDate date) {
        return date.atTime(14, 0).toInstant(ZoneOffset.UTC).toString();
    }

    /** Minimum versions per series, from the research notes' table: ruby, postgresql, redis, node. */
    private static final Map<String, String[]> MINIMUMS = Map.of(
            "3.0", new String[] {"2.5", "9.5", "4", "8"},
            "4.0", new String[] {"2.7", "9.5", "4", "14"},
            "4.1", new String[] {"2.7", "9.5", "4", "14"},
            "4.2", new String[] {"3.0", "10", "4", "16"},
            "4.3", new String[] {"3.1", "12", "4", "18"},
            "4.4", new String[] {"3.2", "13", "6.2", "20"},
            "4.5", new String[] {"3.2", "14", "7.0", "20.19"},
            "4.6", new String[] {"3.3", "14", "7.0", "22"},
            "4.7", new String[] {"3.3", "14", "7.0", "22"});

    /**
     * Notes in the 4.x format: assets recompilation for patches divisible by 3, database migrations for those divisible
     * by 5, a streaming restart for those divisible by 7; no overview when none applies (as in v4.5.11).
     */
    public static String generatedNotes(String series, int patch) {
        String tag = "v" + series + "." + patch;
        boolean assets = patch % 3 == 0;
        boolean migrations = patch % 5 == 0;
        boolean streaming = patch % 7 == 0;
        String[] min = MINIMUMS.get(series);
        StringBuilder b = new StringBuilder();
        if (assets || migrations || streaming) {
            b.append("## Upgrade overview\n\nThis release contains upgrade notes that deviate from the norm:\n\n");
            List<String> flags = new ArrayList<>();
            if (assets) {
                flags.add("ℹ️ Requires assets recompilation");
            }
            if (streaming) {
                flags.add("ℹ️ Requires streaming API restart");
            }
            if (migrations) {
                flags.add("ℹ️ Requires database migrations");
            }
            b.append(String.join("\\\n", flags)).append("\n\n");
            b.append("For more information, scroll down to the upgrade instructions section.\n\n");
        }
        b.append("## Changelog\n\n### Fixed\n\n- Fix something in ")
                .append(tag)
                .append(" (#")
                .append(30000 + patch)
                .append(" by @someone)\n\n");
        b.append("## Upgrade notes\n\nTo get the code for ")
                .append(tag)
                .append(", use `git fetch && git checkout ")
                .append(tag)
                .append("`.\n\n");
        b.append("> [!NOTE]\n> As always, make sure you have backups of the database before performing any upgrades. "
                + "If you are using docker-compose, this is how a backup command might look: "
                + "`docker exec mastodon_db_1 pg_dump -Fc -U postgres postgres > name_of_the_backup.dump`\n\n");
        b.append("### Dependencies\n\nExternal dependencies have not changed since v")
                .append(series)
                .append(".0.\n\n");
        b.append("- Ruby: ").append(min[0]).append(" or newer\n");
        b.append("- PostgreSQL: ").append(min[1]).append(" or newer\n");
        b.append("- Redis: ").append(min[2]).append(" or newer\n");
        b.append("- Node: ").append(min[3]).append(" or newer\n\n");
        b.append("### Update steps\n\nThe following instructions are for updating from ")
                .append(series)
                .append('.')
                .append(Math.max(0, patch - 1))
                .append(".\n\n");
        b.append("If you are upgrading directly from an earlier release, please carefully read the upgrade notes for "
                + "the skipped releases as well, as they often require extra steps such as database migrations.\n\n");
        b.append("### Non-Docker\n\n");
        int n = 1;
        b.append(n++).append(". Install dependencies with `bundle install` and `yarn install --immutable`\n");
        if (assets) {
            b.append(n++)
                    .append(". Precompile the assets: `RAILS_ENV=production bundle exec rails assets:precompile`\n");
        }
        if (migrations) {
            b.append(n++)
                    .append(
                            ". Run the *pre-deployment* database migrations by specifying the "
                                    + "`SKIP_POST_DEPLOYMENT_MIGRATIONS=true` environment variable: "
                                    + "`SKIP_POST_DEPLOYMENT_MIGRATIONS=true RAILS_ENV=production bundle exec rails db:migrate`\n");
        }
        b.append(n++).append(". Restart all Mastodon processes.\n");
        if (migrations) {
            b.append(n)
                    .append(". Run the *post-deployment* database migrations: "
                            + "`RAILS_ENV=production bundle exec rails db:migrate`\n");
        }
        b.append("\n### When using Docker\n\n1. Restart all Mastodon processes.\n");
        return b.toString();
    }
}

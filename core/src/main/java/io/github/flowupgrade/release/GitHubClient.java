package io.github.flowupgrade.release;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.Interruption;
import io.github.flowupgrade.Option;
import io.github.flowupgrade.audit.AuditLog;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of GitHub's REST API that releases need: list (following {@code Link} pagination), by tag, latest. Every
 * response is kept in an {@link EtagCache}, so a repeated lookup is answered by {@code 304 Not Modified}, which GitHub
 * does not count against the rate limit. Server errors and timeouts are retried a few times with backoff; everything
 * else becomes a {@link FlowException} that says what to do. The token is sent only to the configured API origin
 * (redirects are followed within it only, and a token over plain http only to this machine) and never appears in a
 * message, a log line or the audit log. Each answer must arrive whole, body included, within the timeout and within
 * {@link #MAX_BODY_BYTES}, so a server that trickles or floods can neither stall a run nor fill its memory.
 */
public final class GitHubClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GitHubClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int PER_PAGE = 100;
    /** GitHub's own list has about 60 pages of 100 for the busiest repositories; this bounds a misbehaving server. */
    private static final int MAX_PAGES = 50;

    /**
     * The most one response body may hold. A page of 100 releases whose notes all reach GitHub's limit (125,000
     * characters) is about 15 MB; Mastodon's real pages are a few hundred kB.
     */
    public static final long MAX_BODY_BYTES = 32L << 20;

    /** Redirects followed within the API's origin (GitHub answers 301 for a renamed repository). */
    private static final int MAX_REDIRECTS = 5;

    /** Requests waiting for their answer in this process, for {@link #stopRequests()}. */
    private static final Set<InFlight> IN_FLIGHT = ConcurrentHashMap.newKeySet();

    /**
     * A request waiting for its answer: its body, the JDK's exchange, and the answer this client waits on, which {@link
     * #stopRequests()} can end even where cancelling the exchange does not (see there).
     */
    private record InFlight(BoundedBody body, CompletableFuture<?> exchange, CompletableFuture<?> answer) {}

    /** A request cut off by {@link #stopRequests()}. */
    private static final class Stopped extends IOException {
        Stopped() {
            super("stopped");
        }
    }

    /**
     * How to reach the API.
     *
     * @param apiUrl {@code https://api.github.com}, a GitHub Enterprise {@code https://HOST/api/v3}, or a test server
     * @param repo {@code owner/name}
     * @param token a token, or null for anonymous requests (60 an hour)
     * @param tokenSource where the token came from, for messages ({@code $GITHUB_TOKEN}); never the token
     * @param cacheDir where responses are cached, or null for no cache
     * @param timeout per request
     * @param attempts tries for a request that times out or meets a server error (at least 1)
     * @param backoff wait before the second try, doubled for each further one
     */
    public record Settings(
            URI apiUrl,
            String repo,
            String token,
            String tokenSource,
            Path cacheDir,
            Duration timeout,
            int attempts,
            Duration backoff) {
        public Settings {
            Objects.requireNonNull(apiUrl, "apiUrl");
            Objects.requireNonNull(repo, "repo");
            if (!"https".equals(apiUrl.getScheme()) && !"http".equals(apiUrl.getScheme())) {
                throw FlowException.badInput("GitHub API URL must be http(s): " + apiUrl);
            }
            if (apiUrl.getRawUserInfo() != null) {
                throw FlowException.badInput("GitHub API URL must not carry credentials; use " + Option.TOKEN.named());
            }
            checkTokenTransport(apiUrl, token);
            timeout = timeout == null ? Duration.ofSeconds(20) : timeout;
            attempts = Math.max(1, attempts);
            backoff = backoff == null ? Duration.ofSeconds(1) : backoff;
        }

        public static Settings of(URI apiUrl, String repo) {
            return new Settings(apiUrl, repo, null, null, null, null, 3, null);
        }

        public Settings withToken(String newToken, String source) {
            return new Settings(apiUrl, repo, newToken, source, cacheDir, timeout, attempts, backoff);
        }

        public Settings withCacheDir(Path dir) {
            return new Settings(apiUrl, repo, token, tokenSource, dir, timeout, attempts, backoff);
        }

        public Settings withTimeout(Duration newTimeout, int newAttempts, Duration newBackoff) {
            return new Settings(apiUrl, repo, token, tokenSource, cacheDir, newTimeout, newAttempts, newBackoff);
        }

        @Override
        public String toString() {
            return "Settings[apiUrl=" + apiUrl + ", repo=" + repo + ", token=" + (token == null ? "none" : "***")
                    + ", cacheDir=" + cacheDir + "]";
        }
    }

    private final Settings settings;
    /** How messages name the setting that gave the API URL; null for {@link Option#API_URL}. */
    private final String apiSetting;

    private final AuditLog audit;
    private final HttpClient http;
    private final EtagCache cache;
    private final Clock clock;
    private int requests;
    private Integer rateLimitRemaining;
    /**
     * The pages of the release list this client has read, by address: a lookup that goes on where an earlier
     * listing of the same client stopped (a {@link ReleasePrefetch}) asks GitHub for none of them again.
     */
    private final Map<URI, Response> releasePages = new HashMap<>();

    public GitHubClient(Settings settings, AuditLog audit) {
        this(settings, null, audit, Clock.systemUTC());
    }

    /**
     * A client whose messages name {@code apiSetting} (such as {@code GITHUB_API_URL}) where the API URL came from
     * elsewhere than {@link Option#API_URL}.
     */
    public GitHubClient(Settings settings, String apiSetting, AuditLog audit) {
        this(settings, apiSetting, audit, Clock.systemUTC());
    }

    GitHubClient(Settings settings, AuditLog audit, Clock clock) {
        this(settings, null, audit, clock);
    }

    private GitHubClient(Settings settings, String apiSetting, AuditLog audit, Clock clock) {
        this.settings = settings;
        this.apiSetting = apiSetting;
        this.audit = audit;
        this.clock = clock;
        this.cache = new EtagCache(settings.cacheDir());
        this.http = HttpClient.newBuilder()
                .connectTimeout(settings.timeout())
                // Redirects are followed by hand, within the API's origin only: the JDK would follow them elsewhere
                // with
                // the Authorization header.
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * Stops the HTTP client's selector thread now (Java 21 and later: {@code HttpClient.shutdownNow}). Left running, that
     * thread waits in the kernel, and a JVM that exits waits up to 300 ms for such a thread before it ends: a third of
     * a second on every {@code flow} run that looked a release up. On Java 17 the thread ends on its own once the client
     * is unreachable. Nothing of this client is used after it.
     */
    @Override
    public void close() {
        try {
            HttpClient.class.getMethod("shutdownNow").invoke(http);
        } catch (NoSuchMethodException java17) {
            // No way to stop it on Java 17.
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Closing is an optimisation of the exit; a client that does not stop changes no result.
        }
    }

    /** HTTP requests made so far, 304s and retries included. */
    public int requests() {
        return requests;
    }

    /** {@code X-RateLimit-Remaining} of the last response that carried it, or null. */
    public Integer rateLimitRemaining() {
        return rateLimitRemaining;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Published releases (drafts dropped), newest first as GitHub lists them, page by page until {@code enough} says
     * the releases seen so far suffice or there is no next page.
     */
    public List<GitHubRelease> listReleases(Predicate<List<GitHubRelease>> enough) {
        List<GitHubRelease> all = new ArrayList<>();
        URI next = endpoint("/releases?per_page=" + PER_PAGE);
        for (int page = 0; next != null && page < MAX_PAGES; page++) {
            Response response = releasePages.get(next);
            if (response == null) {
                response = get(next, Reading.RELEASES);
                if (response.status() == 200) {
                    releasePages.put(next, response);
                }
            }
            if (response.status() == 404) {
                throw FlowException.badInput("GitHub repository " + settings.repo() + " not found at "
                        + settings.apiUrl() + " (404). Check " + Option.REPO.named() + "/" + Option.APP.named()
                        + ", or give a token with " + Option.TOKEN.named() + " "
                        + "if the repository is private.");
            }
            JsonNode array = parse(response, next);
            if (!array.isArray()) {
                throw malformed(next, "expected a list of releases");
            }
            for (JsonNode node : array) {
                GitHubRelease release = release(node, next);
                if (!release.draft()) {
                    all.add(release);
                }
            }
            if (enough.test(all)) {
                break;
            }
            next = nextLink(response.link());
        }
        return all;
    }

    /** The published release of a tag, or empty when GitHub has none (404). */
    public Optional<GitHubRelease> releaseByTag(String tag) {
        URI uri = endpoint("/releases/tags/" + URLEncoder.encode(tag, StandardCharsets.UTF_8));
        Response response = get(uri, Reading.RELEASES);
        if (response.status() == 404) {
            return Optional.empty();
        }
        GitHubRelease release = release(parse(response, uri), uri);
        return release.draft() ? Optional.empty() : Optional.of(release);
    }

    /**
     * Every deployment review of workflow run {@code runId} of the repository, all pages ({@code GET
     * /repos/{owner}/{repo}/actions/runs/{run_id}/approvals}): which environments each approved or rejected, and who.
     * A list longer than {@value #MAX_PAGES} pages fails rather than be read in part, since a rejection may be on the
     * pages left out.
     */
    public List<EnvironmentReview> runReviews(long runId) {
        List<EnvironmentReview> all = new ArrayList<>();
        URI next = endpoint("/actions/runs/" + runId + "/approvals?per_page=" + PER_PAGE);
        for (int page = 0; next != null; page++) {
            if (page == MAX_PAGES) {
                throw FlowException.network(
                        "the GitHub API at " + settings.apiUrl() + " kept paging the reviews of run " + runId + " past "
                                + MAX_PAGES + " pages; giving up rather than read them in part.",
                        null);
            }
            Response response = get(next, Reading.RUN_REVIEWS);
            if (response.status() == 404) {
                throw FlowException.badInput("GitHub has no workflow run " + runId + " in " + settings.repo()
                        + " at " + settings.apiUrl() + " (404). Check the run and the repository, and that the token"
                        + (settings.tokenSource() == null ? "" : " from " + settings.tokenSource())
                        + " may read the repository's Actions (permissions: actions: read).");
            }
            JsonNode array = parse(response, next);
            if (!array.isArray()) {
                throw malformed(next, "expected the list of the run's reviews");
            }
            for (JsonNode node : array) {
                all.add(review(node, next));
            }
            next = nextLink(response.link());
        }
        return all;
    }

    private URI endpoint(String path) {
        String base = settings.apiUrl().toString().replaceAll("/+$", "");
        return URI.create(base + "/repos/" + settings.repo() + path);
    }

    private record Response(int status, String body, String link) {}

    /** What a request reads: the words of a refusal depend on it. */
    private enum Reading {
        RELEASES,
        RUN_REVIEWS
    }

    /** One HTTP answer, its body complete and within {@link #MAX_BODY_BYTES}. */
    private record Answer(int status, HttpHeaders headers, String body) {}

    /**
     * Refuses to send a token in clear text: over {@code http://} it goes only to this machine (a test server or a
     * local proxy), never across a network.
     */
    public static void checkTokenTransport(URI apiUrl, String token) {
        if (token == null || token.isBlank() || !"http".equalsIgnoreCase(apiUrl.getScheme())) {
            return;
        }
        if (!isLoopback(apiUrl.getHost())) {
            throw FlowException.badInput("refusing to send the GitHub token over plain http to " + apiUrl.getHost()
                    + ": anyone on the way could read it. Use an https:// " + Option.API_URL.named()
                    + " (plain http is accepted only"
                    + " for this machine: localhost, 127.0.0.1, ::1).");
        }
    }

    /** Whether {@code host} names this machine, decided without asking DNS. */
    public static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost") || h.equalsIgnoreCase("localhost.")) {
            return true;
        }
        boolean ipv4 = h.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
        boolean ipv6 = h.contains(":") && h.matches("[0-9A-Fa-f:.]+");
        if (!ipv4 && !ipv6) {
            return false;
        }
        try {
            // A literal address: parsed, not looked up.
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * Cuts off every GitHub request of this process that waits for its answer (SIGINT, SIGTERM): each fails at once
     * with {@code NETWORK} saying it was interrupted, instead of waiting out its timeout and retries.
     */
    public static void stopRequests() {
        for (InFlight request : IN_FLIGHT) {
            // The waiting caller is released first: the JDK's client does not end an exchange that still waits for
            // its response headers when it is cancelled (it has no pending operation to fail, and waits for the
            // request's timeout), so cancelling it alone left the run waiting up to --timeout per try.
            request.answer().completeExceptionally(new Stopped());
            request.body().abort(new Stopped());
            request.exchange().cancel(true);
        }
    }

    private Response get(URI uri, Reading reading) {
        boolean authenticated = settings.token() != null && sameOrigin(uri);
        String url = uri.toString();
        Optional<EtagCache.Entry> cached = cache.get(url, authenticated);
        Duration wait = settings.backoff();
        for (int attempt = 1; ; attempt++) {
            // The whole answer (redirects within the origin, headers and body) must arrive within the timeout.
            long deadline = System.nanoTime() + settings.timeout().toNanos();
            URI target = uri;
            Answer response;
            long started;
            for (int redirects = 0; ; redirects++) {
                started = System.nanoTime();
                requests++;
                try {
                    response = send(request(target, authenticated, cached), deadline);
                } catch (BoundedBody.TooLarge e) {
                    recordRequest(target.toString(), "too large", attempt, started);
                    throw FlowException.network(
                            "the GitHub API at " + settings.apiUrl() + " answered " + target + " with more than "
                                    + (MAX_BODY_BYTES >> 20) + " MiB (" + e.getMessage() + "), far more than any"
                                    + " release list; the answer was cut off there. A proxy or a misbehaving server"
                                    + " may be in the way; check " + apiSetting() + " and try again.",
                            null);
                } catch (Stopped e) {
                    recordRequest(target.toString(), "stopped", attempt, started);
                    throw FlowException.network("interrupted: the request for " + url + " was stopped", e);
                } catch (HttpTimeoutException e) {
                    recordRequest(target.toString(), "timeout", attempt, started);
                    response = null;
                } catch (IOException e) {
                    recordRequest(target.toString(), "error", attempt, started);
                    if (attempt < settings.attempts()) {
                        response = null;
                        break;
                    }
                    throw FlowException.network(
                            "cannot reach the GitHub API at " + settings.apiUrl() + " ("
                                    + e.getClass().getSimpleName()
                                    + (e.getMessage() == null ? "" : ": " + e.getMessage())
                                    + "). Check the network or " + apiSetting() + ", then try again.",
                            e);
                } catch (InterruptedException e) {
                    throw Interruption.stop("the request to GitHub for " + url);
                }
                if (response == null) {
                    if (attempt < settings.attempts()) {
                        break;
                    }
                    throw FlowException.network(
                            "GitHub API did not answer within "
                                    + settings.timeout().toMillis() + " ms (" + attempt
                                    + " tries) for " + url + ": the answer, headers and body, must arrive within"
                                    + " " + Option.GITHUB_TIMEOUT.named() + ". Check the network or "
                                    + apiSetting() + ", then try again.",
                            null);
                }
                response.headers()
                        .firstValue("X-RateLimit-Remaining")
                        .flatMap(GitHubClient::integer)
                        .ifPresent(r -> rateLimitRemaining = r);
                recordRequest(target.toString(), response.status(), attempt, started);
                Optional<URI> next = redirect(target, response);
                if (next.isEmpty()) {
                    break;
                }
                if (redirects >= MAX_REDIRECTS) {
                    throw FlowException.network(
                            "the GitHub API at " + settings.apiUrl() + " redirected " + url + " more than "
                                    + MAX_REDIRECTS + " times; check " + apiSetting() + ".",
                            null);
                }
                target = next.get();
            }
            if (response == null) {
                sleep(wait);
                wait = wait.multipliedBy(2);
                continue;
            }
            int status = response.status();
            if (status == 304 && cached.isPresent()) {
                return new Response(200, cached.get().body(), cached.get().link());
            }
            if (status >= 200 && status < 300) {
                String link = response.headers().firstValue("Link").orElse(null);
                Response ok = new Response(status, response.body(), link);
                if (isJson(ok.body())) {
                    response.headers()
                            .firstValue("ETag")
                            .ifPresent(
                                    etag -> cache.put(url, authenticated, new EtagCache.Entry(etag, link, ok.body())));
                }
                return ok;
            }
            if (status >= 500 && attempt < settings.attempts()) {
                LOG.debug("GitHub answered {} for {}, retrying in {}", status, url, wait);
                sleep(wait);
                wait = wait.multipliedBy(2);
                continue;
            }
            if (status == 404) {
                return new Response(404, "", null);
            }
            throw failure(status, response, url, attempt, reading);
        }
    }

    private HttpRequest request(URI uri, boolean authenticated, Optional<EtagCache.Entry> cached) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(settings.timeout())
                .header("Accept", "application/vnd.github+json")
                .header("X-GitHub-Api-Version", "2022-11-28")
                .header("User-Agent", "flow-upgrade")
                .GET();
        // Only ever called for the API's origin: the first URI is checked by the caller, redirects by redirect().
        if (authenticated) {
            request.header("Authorization", "Bearer " + settings.token());
        }
        cached.ifPresent(entry -> request.header("If-None-Match", entry.etag()));
        return request.build();
    }

    /**
     * Where a redirect leads, if it is one and it stays on the API's origin; a redirect elsewhere is refused, so the
     * token never leaves the origin it was given for.
     */
    private Optional<URI> redirect(URI from, Answer response) {
        int status = response.status();
        if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) {
            return Optional.empty();
        }
        Optional<String> location = response.headers().firstValue("Location");
        if (location.isEmpty()) {
            return Optional.empty();
        }
        URI target;
        try {
            target = from.resolve(location.get().strip());
        } catch (IllegalArgumentException e) {
            throw FlowException.network(
                    "the GitHub API at " + settings.apiUrl() + " redirected " + from + " to an invalid address", null);
        }
        if (!sameOrigin(target)) {
            throw FlowException.network(
                    "the GitHub API at " + settings.apiUrl() + " redirected " + from + " to another origin ("
                            + target.getScheme() + "://" + target.getRawAuthority() + "); refusing to follow it:"
                            + " requests, and the token, go to the " + apiSetting()
                            + " origin only. If the API has moved, give"
                            + " its new address with " + apiSetting() + ".",
                    null);
        }
        return Optional.of(target);
    }

    /** Sends one request and waits for its whole answer until {@code deadline} ({@link System#nanoTime()}). */
    private Answer send(HttpRequest request, long deadline) throws IOException, InterruptedException {
        BoundedBody body = new BoundedBody(MAX_BODY_BYTES);
        CompletableFuture<HttpResponse<byte[]>> future = http.sendAsync(request, body::forResponse);
        CompletableFuture<HttpResponse<byte[]>> answer = new CompletableFuture<>();
        future.whenComplete((response, error) -> {
            if (error != null) {
                answer.completeExceptionally(error);
            } else {
                answer.complete(response);
            }
        });
        InFlight inFlight = new InFlight(body, future, answer);
        IN_FLIGHT.add(inFlight);
        try {
            HttpResponse<byte[]> response = answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return new Answer(
                    response.statusCode(), response.headers(), new String(response.body(), StandardCharsets.UTF_8));
        } catch (CancellationException e) {
            throw new Stopped();
        } catch (TimeoutException e) {
            body.abort(new HttpTimeoutException("cut off at the deadline"));
            future.cancel(true);
            throw new HttpTimeoutException("no complete answer within the timeout");
        } catch (InterruptedException e) {
            body.abort(new IOException("interrupted"));
            future.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof BoundedBody.TooLarge tooLarge) {
                    throw tooLarge;
                }
                if (cause instanceof Stopped stopped) {
                    throw stopped;
                }
                if (cause instanceof HttpTimeoutException timeout) {
                    throw timeout;
                }
            }
            Throwable cause =
                    e.getCause() instanceof CompletionException && e.getCause().getCause() != null
                            ? e.getCause().getCause()
                            : e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(cause);
        } finally {
            IN_FLIGHT.remove(inFlight);
        }
    }

    private FlowException failure(int status, Answer response, String url, int attempts, Reading reading) {
        var headers = response.headers();
        boolean exhausted = headers.firstValue("X-RateLimit-Remaining")
                .flatMap(GitHubClient::integer)
                .map(r -> r == 0)
                .orElse(false);
        Optional<Long> retryAfter = headers.firstValue("Retry-After").flatMap(GitHubClient::longValue);
        if (status == 401) {
            return FlowException.badInput("GitHub rejected the token"
                    + (settings.tokenSource() == null ? "" : " from " + settings.tokenSource())
                    + " (401 Bad credentials) for " + settings.repo() + ". Renew it or fix the variable "
                    + Option.TOKEN.named() + " names"
                    + (reading == Reading.RELEASES
                            ? "; public repositories also work without a token (60 requests an hour)."
                            : " (in a workflow, the job's own token: github.token)."));
        }
        if (status == 429 || (status == 403 && (exhausted || retryAfter.isPresent()))) {
            String when;
            if (retryAfter.isPresent()) {
                when = "retry after " + retryAfter.get() + " s (at "
                        + clock.instant().plusSeconds(retryAfter.get()).truncatedTo(ChronoUnit.SECONDS) + ")";
            } else {
                when = headers.firstValue("X-RateLimit-Reset")
                        .flatMap(GitHubClient::longValue)
                        .map(epoch -> {
                            Instant reset = Instant.ofEpochSecond(epoch);
                            long minutes = Math.max(
                                    0, Duration.between(clock.instant(), reset).toMinutes());
                            return "the limit resets at " + reset + " (in about " + minutes + " min)";
                        })
                        .orElse("wait at least a minute");
            }
            String limit = headers.firstValue("X-RateLimit-Limit").orElse("?");
            return FlowException.network(
                    "GitHub API rate limit exceeded (" + status + ", limit " + limit + " an hour) for " + url + ": "
                            + when + ". "
                            + (settings.token() == null
                                    ? "Give a token with " + Option.TOKEN.named()
                                            + " for 5000 requests an hour, or wait."
                                    : "Wait until then; repeated lookups are cached and cost nothing."),
                    null);
        }
        if (status == 403) {
            return FlowException.badInput("GitHub refused access (403) to " + url + ": " + githubMessage(response)
                    + ". Check that the token"
                    + (settings.tokenSource() == null ? "" : " from " + settings.tokenSource())
                    + (reading == Reading.RELEASES
                            ? " may read releases of " + settings.repo() + "."
                            : " may read the Actions runs of " + settings.repo()
                                    + " (a workflow's token needs permissions: actions: read)."));
        }
        if (status >= 500) {
            return FlowException.network(
                    "GitHub API failed with " + status + " for " + url + " (" + attempts + " tries). "
                            + "GitHub may be having trouble (https://www.githubstatus.com); try again later.",
                    null);
        }
        return FlowException.network(
                "unexpected answer " + status + " from the GitHub API for " + url + ": " + githubMessage(response),
                null);
    }

    private static String githubMessage(Answer response) {
        try {
            JsonNode node = JSON.readTree(response.body());
            if (node != null && node.path("message").isTextual()) {
                return clip(node.path("message").asText());
            }
        } catch (JsonProcessingException e) {
            // fall through to the raw start of the body
        }
        return clip(response.body() == null ? "" : response.body());
    }

    private static String clip(String s) {
        String oneLine = s.replaceAll("[\\p{Cntrl}]", " ").strip();
        return oneLine.length() > 200 ? oneLine.substring(0, 200) + "..." : oneLine;
    }

    private void recordRequest(String url, Object status, int attempt, long startedNanos) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("method", "GET");
        fields.put("url", url);
        fields.put("status", status);
        fields.put("attempt", attempt);
        fields.put("authenticated", settings.token() != null);
        fields.put("durationMs", (System.nanoTime() - startedNanos) / 1_000_000);
        fields.put("rateLimitRemaining", rateLimitRemaining);
        audit.record("github.request", fields);
        LOG.debug("GET {} -> {} (attempt {})", url, status, attempt);
    }

    private JsonNode parse(Response response, URI uri) {
        try {
            JsonNode node = JSON.readTree(response.body());
            if (node == null || node.isMissingNode()) {
                throw malformed(uri, "empty body");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw malformed(uri, e.getOriginalMessage());
        }
    }

    private static boolean isJson(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && (node.isArray() || node.isObject());
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    private FlowException malformed(URI uri, String detail) {
        return FlowException.network(
                "the GitHub API at " + settings.apiUrl() + " answered " + uri + " with something that is not the "
                        + "expected JSON (" + clip(detail == null ? "" : detail) + "). A proxy or captive portal may "
                        + "be in the way; check " + apiSetting() + " and try again.",
                null);
    }

    private GitHubRelease release(JsonNode node, URI uri) {
        if (!node.isObject() || !node.path("tag_name").isTextual()) {
            throw malformed(uri, "a release without tag_name");
        }
        return new GitHubRelease(
                node.path("id").asLong(),
                node.path("tag_name").asText(),
                textOrNull(node.get("name")),
                textOrNull(node.get("body")),
                textOrNull(node.get("html_url")),
                textOrNull(node.get("published_at")),
                node.path("draft").asBoolean(false),
                node.path("prerelease").asBoolean(false));
    }

    /** One entry of a run's review log, as the REST API describes {@code environment-approvals}. */
    private EnvironmentReview review(JsonNode node, URI uri) {
        if (!node.isObject()
                || !node.path("state").isTextual()
                || !node.path("environments").isArray()
                || !node.path("user").path("login").isTextual()) {
            throw malformed(uri, "a review without state, environments or user.login");
        }
        List<String> environments = new ArrayList<>();
        for (JsonNode environment : node.path("environments")) {
            if (!environment.path("name").isTextual()) {
                throw malformed(uri, "a reviewed environment without a name");
            }
            environments.add(environment.path("name").asText());
        }
        return new EnvironmentReview(
                environments,
                node.path("state").asText(),
                node.path("user").path("login").asText(),
                textOrNull(node.get("comment")));
    }

    private static String textOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    /** The {@code rel="next"} target of a {@code Link} header, if it stays on the API's origin. */
    URI nextLink(String link) {
        if (link == null) {
            return null;
        }
        for (String part : link.split(",")) {
            String[] pieces = part.split(";");
            String target = pieces[0].strip();
            if (!target.startsWith("<") || !target.endsWith(">")) {
                continue;
            }
            for (int i = 1; i < pieces.length; i++) {
                if (pieces[i].strip().replace(" ", "").equals("rel=\"next\"")) {
                    URI next = URI.create(target.substring(1, target.length() - 1));
                    if (!sameOrigin(next)) {
                        throw FlowException.network(
                                "GitHub's pagination points away from " + settings.apiUrl() + " (" + next
                                        + "); refusing to follow it.",
                                null);
                    }
                    return next;
                }
            }
        }
        return null;
    }

    private boolean sameOrigin(URI uri) {
        URI base = settings.apiUrl();
        return Objects.equals(base.getScheme(), uri.getScheme())
                && Objects.equals(base.getHost(), uri.getHost())
                && base.getPort() == uri.getPort();
    }

    private static Optional<Integer> integer(String s) {
        try {
            return Optional.of(Integer.parseInt(s.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<Long> longValue(String s) {
        try {
            return Optional.of(Long.parseLong(s.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private String apiSetting() {
        return apiSetting != null ? apiSetting : Option.API_URL.named();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            throw Interruption.stop("waiting to retry a GitHub request");
        }
    }
}

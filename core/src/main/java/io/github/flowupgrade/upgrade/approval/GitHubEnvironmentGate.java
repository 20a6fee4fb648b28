package io.github.flowupgrade.upgrade.approval;

import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.Option;
import io.github.flowupgrade.audit.AuditEvents;
import io.github.flowupgrade.audit.AuditLog;
import io.github.flowupgrade.release.EnvironmentReview;
import io.github.flowupgrade.release.GitHubClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The streaming restart's gate on GitHub Actions: a protected environment with required reviewers holds back the job
 * that targets it until a reviewer approves, and GitHub keeps that review in the run's log ({@code GET
 * /repos/{owner}/{repo}/actions/runs/{run_id}/approvals}). This gate reads that log through the engine's GitHub client
 * (every page, retries, rate limits, ETags, the token kept to the API's origin) and approves only when the environment
 * was approved in this run and never rejected in it. The approvers' logins come from the log, not from an option, so
 * a pipeline cannot name someone who did not approve.
 *
 * <p>{@link #prove()} reads and decides once; a front end calls it before touching any host, so a missing approval
 * refuses the run (exit 3) before anything changes. {@link #ask} answers from that proof.
 */
public final class GitHubEnvironmentGate implements ApprovalGate {
    /** GitHub's rule for environment names: at most 255 characters. */
    private static final int MAX_NAME = 255;

    /** A GitHub login, or an app's bot account ({@code name[bot]}), which custom protection rules review as. */
    private static final Pattern LOGIN =
            Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}(?:\\[bot])?");

    /** The most of one comment kept in the trail and shown in a message. */
    private static final int MAX_COMMENT = 1000;

    private final String environment;
    private final GitHubRun run;
    private final GitHubClient github;
    private final AuditLog audit;
    private final Clock clock;
    private EnvironmentApproval proof;

    /**
     * @param environment the environment's name ({@link #checkEnvironment})
     * @param run the workflow run the approval must be given in
     * @param settings how to reach {@code run}'s API ({@link #settings})
     * @param audit where the requests and the decision are recorded
     */
    public GitHubEnvironmentGate(
            String environment, GitHubRun run, GitHubClient.Settings settings, AuditLog audit, Clock clock) {
        this.environment = checkEnvironment(environment);
        this.run = run;
        if (!settings.repo().equals(run.repository()) || !settings.apiUrl().equals(run.apiUrl())) {
            throw new IllegalArgumentException("settings for another repository or API than " + run.describe());
        }
        this.github = new GitHubClient(settings, GitHubRun.API_URL, audit);
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * How to read {@code run}'s reviews: with {@code token} (required: the run's own token reads its log even where
     * anonymous requests are rate-limited by the runner's shared address), 20 s a request, tried 3 times.
     *
     * @param tokenSource where the token came from, for messages ({@code $FLOW_TOKEN}); never the token
     * @param cacheDir the ETag cache, or null for none
     */
    public static GitHubClient.Settings settings(GitHubRun run, String token, String tokenSource, Path cacheDir) {
        if (token == null || token.isBlank()) {
            throw FlowException.badInput(Option.APPROVAL_ENVIRONMENT.named() + " reads the approvals of "
                    + run.describe() + " from GitHub's API, which needs a token: give "
                    + Option.TOKEN.named() + " naming a variable that holds the job's token (github.token, with"
                    + " permissions: actions: read).");
        }
        run.checkToken(token);
        return new GitHubClient.Settings(
                run.apiUrl(), run.repository(), token, tokenSource, cacheDir, Duration.ofSeconds(20), 3, null);
    }

    /** The name of an environment as GitHub allows it: printable, at most 255 characters; surrounding blanks cut. */
    public static String checkEnvironment(String name) {
        if (name == null
                || name.isBlank()
                || name.length() > MAX_NAME
                || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw FlowException.badInput(Option.APPROVAL_ENVIRONMENT.named()
                    + " needs the name of a GitHub environment (printable, at most " + MAX_NAME + " characters)");
        }
        return name.strip();
    }

    public String environment() {
        return environment;
    }

    public GitHubRun run() {
        return run;
    }

    /**
     * The approval of the environment in the run, read once from GitHub; the decision is recorded ({@code
     * approval.checked}) either way.
     *
     * @throws FlowException {@code REFUSED} when the environment was rejected in the run, not approved yet, or only
     *     other environments were; {@code NETWORK} or {@code BAD_INPUT} when the log cannot be read
     */
    public synchronized EnvironmentApproval prove() {
        if (proof == null) {
            try {
                proof = decide(github.runReviews(run.runId()));
            } finally {
                // One reading per run: its HTTP thread need not outlive it (see GitHubClient#close).
                github.close();
            }
        }
        return proof;
    }

    @Override
    public Answer ask(ApprovalRequest request) {
        EnvironmentApproval approval = prove();
        return new Approved(approval.approvedBy(), clock.instant(), approval.fields());
    }

    private EnvironmentApproval decide(List<EnvironmentReview> reviews) {
        Set<String> approvers = new LinkedHashSet<>();
        List<EnvironmentApproval.Comment> comments = new ArrayList<>();
        Set<String> rejecters = new LinkedHashSet<>();
        List<EnvironmentApproval.Comment> rejections = new ArrayList<>();
        Set<String> others = new TreeSet<>();
        for (EnvironmentReview review : reviews) {
            String login = login(review);
            String comment = clip(review.comment());
            if (!review.covers(environment)) {
                if ("approved".equals(review.state())) {
                    others.addAll(review.environments());
                }
                continue;
            }
            // "pending" is a comment without a decision; a state GitHub may add later decides nothing either.
            if ("approved".equals(review.state())) {
                approvers.add(login);
                if (!comment.isBlank()) {
                    comments.add(new EnvironmentApproval.Comment(login, comment));
                }
            } else if ("rejected".equals(review.state())) {
                rejecters.add(login);
                if (!comment.isBlank()) {
                    rejections.add(new EnvironmentApproval.Comment(login, comment));
                }
            }
        }
        Map<String, Object> checked = new LinkedHashMap<>();
        checked.put("environment", environment);
        checked.put("repository", run.repository());
        checked.put("runId", run.runId());
        checked.put("runAttempt", run.attempt());
        checked.put("reviews", reviews.size());
        if (!rejecters.isEmpty()) {
            checked.put("outcome", "rejected");
            checked.put("reviewers", List.copyOf(rejecters));
            checked.put("comments", said(rejections));
            audit.record(AuditEvents.APPROVAL_CHECKED, checked);
            throw FlowException.refused("the GitHub environment " + environment + " was rejected in " + run.describe()
                    + " by " + String.join(", ", rejecters) + quoted(rejections) + ". A rejection stands for the"
                    + " whole run: start a new run to ask the reviewers again.");
        }
        if (approvers.isEmpty()) {
            checked.put("outcome", "not approved");
            checked.put("otherEnvironments", List.copyOf(others));
            audit.record(AuditEvents.APPROVAL_CHECKED, checked);
            throw FlowException.refused("the GitHub environment " + environment + " was not approved in "
                    + run.describe() + " ("
                    + (others.isEmpty()
                            ? "it has no approval of it yet"
                            : "only other environments were approved in it: " + String.join(", ", others))
                    + "). The job that runs flow must target `environment: " + environment + "`, and that"
                    + " environment must have required reviewers.");
        }
        EnvironmentApproval approval =
                new EnvironmentApproval(environment, run, List.copyOf(approvers), List.copyOf(comments));
        checked.put("outcome", "approved");
        checked.putAll(approval.fields());
        audit.record(AuditEvents.APPROVAL_CHECKED, checked);
        return approval;
    }

    private String login(EnvironmentReview review) {
        if (!LOGIN.matcher(review.login()).matches()) {
            throw FlowException.network(
                    "a review in the log of " + run.describe() + " names no valid GitHub login; the answer is not"
                            + " what GitHub sends. Check " + GitHubRun.API_URL + ".",
                    null);
        }
        return review.login();
    }

    private static List<Object> said(List<EnvironmentApproval.Comment> comments) {
        List<Object> said = new ArrayList<>();
        for (EnvironmentApproval.Comment comment : comments) {
            said.add(Map.of("reviewer", comment.reviewer(), "comment", comment.text()));
        }
        return said;
    }

    private static String quoted(List<EnvironmentApproval.Comment> comments) {
        if (comments.isEmpty()) {
            return "";
        }
        List<String> quotes = new ArrayList<>();
        for (EnvironmentApproval.Comment comment : comments) {
            String text = comment.text().replaceAll("\\s+", " ").strip();
            quotes.add(
                    comment.reviewer() + ": \"" + (text.length() > 200 ? text.substring(0, 200) + "..." : text) + "\"");
        }
        return " (" + String.join("; ", quotes) + ")";
    }

    private static String clip(String comment) {
        String text = comment.strip();
        return text.length() > MAX_COMMENT ? text.substring(0, MAX_COMMENT) + "..." : text;
    }
}

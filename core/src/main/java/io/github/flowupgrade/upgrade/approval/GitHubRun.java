package io.github.flowupgrade.upgrade.approval;

import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.Option;
import io.github.flowupgrade.commands.Inputs;
import io.github.flowupgrade.release.GitHubClient;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;

/**
 * The GitHub Actions workflow run this process is a step of, as the runner describes it in every step's environment:
 * where the run's approvals are read.
 *
 * @param apiUrl {@code GITHUB_API_URL}: {@code https://api.github.com} on github.com, {@code https://HOST/api/v3} on
 *     GitHub Enterprise Server
 * @param repository {@code GITHUB_REPOSITORY}, {@code owner/name}
 * @param runId {@code GITHUB_RUN_ID}
 * @param attempt {@code GITHUB_RUN_ATTEMPT}, or null when the environment does not say
 */
public record GitHubRun(URI apiUrl, String repository, long runId, Integer attempt) {
    public static final String API_URL = "GITHUB_API_URL";
    public static final String REPOSITORY = "GITHUB_REPOSITORY";
    public static final String RUN_ID = "GITHUB_RUN_ID";
    public static final String RUN_ATTEMPT = "GITHUB_RUN_ATTEMPT";

    public GitHubRun {
        Inputs.repo(repository);
        if (runId < 1) {
            throw FlowException.badInput(RUN_ID + " must be a workflow run id, not " + runId);
        }
    }

    /**
     * The run the variables of {@code env} name; refused (exit 2) outside a workflow or with values no runner sets.
     */
    public static GitHubRun fromEnvironment(Map<String, String> env) {
        String repository = env.get(REPOSITORY);
        String runId = env.get(RUN_ID);
        if (blank(repository) || blank(runId)) {
            throw FlowException.badInput(Option.APPROVAL_ENVIRONMENT.named() + " proves an approval given in a GitHub"
                    + " Actions workflow run, named by " + RUN_ID + " and " + REPOSITORY + ", which are not set here:"
                    + " run flow in a step of the job that targets the environment (the runner sets them).");
        }
        if (!runId.matches("[1-9][0-9]{0,18}")) {
            throw FlowException.badInput(RUN_ID + " must be a workflow run id, not " + Inputs.printable(runId));
        }
        String attempt = env.get(RUN_ATTEMPT);
        if (!blank(attempt) && !attempt.matches("[1-9][0-9]{0,8}")) {
            throw FlowException.badInput(RUN_ATTEMPT + " must be a number, not " + Inputs.printable(attempt));
        }
        return new GitHubRun(
                apiUrl(env.get(API_URL)),
                repository.strip(),
                Long.parseLong(runId),
                blank(attempt) ? null : Integer.valueOf(attempt));
    }

    /** The run as people name it: {@code run 4242 attempt 1 of octo-org/config}. */
    public String describe() {
        return "run " + runId + (attempt == null ? "" : " attempt " + attempt) + " of " + repository;
    }

    /**
     * Checks that {@code token} may be sent to this run's API: over https, or over plain http only to this machine.
     */
    public void checkToken(String token) {
        if (token != null
                && "http".equalsIgnoreCase(apiUrl.getScheme())
                && !GitHubClient.isLoopback(apiUrl.getHost())) {
            throw FlowException.badInput("refusing to send the GitHub token over plain http to " + apiUrl.getHost()
                    + " (" + API_URL + "): anyone on the way could read it; plain http is accepted only for this"
                    + " machine.");
        }
    }

    private static URI apiUrl(String value) {
        if (blank(value)) {
            return URI.create("https://api.github.com");
        }
        try {
            URI uri = new URI(value.strip().replaceAll("/+$", ""));
            boolean web = "https".equals(uri.getScheme()) || "http".equals(uri.getScheme());
            if (!web
                    || uri.getHost() == null
                    || uri.getRawUserInfo() != null
                    || uri.getRawQuery() != null
                    || uri.getRawFragment() != null) {
                throw FlowException.badInput(API_URL + " must be an http(s) URL without credentials, query or"
                        + " fragment, not " + Inputs.printable(value));
            }
            return uri;
        } catch (URISyntaxException e) {
            throw FlowException.badInput(API_URL + " is not a URL: " + Inputs.printable(value));
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}

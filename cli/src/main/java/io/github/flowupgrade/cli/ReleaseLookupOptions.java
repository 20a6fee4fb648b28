package io.github.flowupgrade.cli;

import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.app.AppProfile;
import io.github.flowupgrade.release.ReleaseLookupRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Where and how a release is looked up on GitHub: the options {@code fetch-release} and {@code upgrade} share
 * ({@code @Mixin ReleaseLookupOptions lookup;}), and the engine request they make.
 */
final class ReleaseLookupOptions {
    @Option(names = "--repo", paramLabel = "OWNER/NAME", description = "GitHub repository, overriding the profile's.")
    String repo;

    @Option(
            names = "--api-url",
            paramLabel = "URL",
            description =
                    "GitHub API base URL (GitHub Enterprise: https://HOST/api/v3). Default: https://api.github.com")
    String apiUrl;

    @Option(
            names = "--token-env",
            paramLabel = "NAME",
            description = "Environment variable holding a GitHub token (5000 requests an hour instead of 60)."
                    + " The token is never printed or logged.")
    String tokenEnv;

    @Option(names = "--include-prereleases", description = "Count pre-releases (implied when the target is one).")
    boolean includePreReleases;

    @Option(
            names = "--single-hop",
            description = "Go straight to the target even where the profile asks to deploy every minor series.")
    boolean singleHop;

    @Option(
            names = "--git-url",
            paramLabel = "URL",
            description = "Resolve the target tag's commit with git ls-remote on this repository; a checkout must then"
                    + " land on exactly that commit.")
    String gitUrl;

    @Option(
            names = "--cache-dir",
            paramLabel = "DIR",
            description = "ETag cache. Default: $XDG_CACHE_HOME/flow-upgrade/github or ~/.cache/flow-upgrade/github")
    Path cacheDir;

    /** The command this mixin belongs to, whose run's redactor learns the token. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    /**
     * The token in the variable {@code --token-env} names, or null without the option; refused when unset. The run's
     * redactor knows it from then on, so nothing printed or recorded shows it.
     */
    String token() {
        return token(tokenEnv, env, mixee);
    }

    /** Where {@link #token()} came from, for messages ({@code $NAME}), or null. */
    String tokenSource() {
        return tokenEnv == null ? null : "$" + tokenEnv;
    }

    /** The environment the token is read from; tests replace it. */
    Map<String, String> env = System.getenv();

    /**
     * The token in the variable {@code tokenEnv} names (null without one), registered with the redactor of the run
     * {@code spec} belongs to; refused when the name is not a variable name or the variable is unset.
     */
    static String token(String tokenEnv, Map<String, String> env, CommandSpec spec) {
        if (tokenEnv == null) {
            return null;
        }
        if (!tokenEnv.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw FlowException.badInput("--token-env takes the NAME of an environment variable, not a token");
        }
        String token = env.get(tokenEnv);
        if (token == null || token.isBlank()) {
            throw FlowException.badInput("environment variable " + tokenEnv + " (from --token-env) is not set");
        }
        FlowCommand.redactorOf(spec).register(token);
        return token;
    }

    /** The ETag cache: {@code --cache-dir}, else the default one. */
    Path cacheDir() {
        return cacheDir != null ? cacheDir : GitHubCacheDir.defaultDir(env);
    }

    /**
     * The engine request, retried 3 times a second apart.
     *
     * @param token what {@link #token()} returned (the caller checks it first, before its own options)
     * @param latest target the newest release instead of {@code tag}
     */
    ReleaseLookupRequest request(
            AppProfile profile,
            String token,
            String tag,
            boolean latest,
            String from,
            boolean allowDowngrade,
            Duration timeout) {
        return new ReleaseLookupRequest(
                profile,
                repo,
                ReleaseLookupRequest.apiUrl(apiUrl),
                token,
                tokenSource(),
                tag,
                latest,
                from,
                includePreReleases,
                allowDowngrade,
                singleHop,
                gitUrl,
                cacheDir(),
                timeout,
                3,
                Duration.ofSeconds(1));
    }
}

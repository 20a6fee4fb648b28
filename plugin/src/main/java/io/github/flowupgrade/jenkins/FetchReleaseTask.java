package io.github.flowupgrade.jenkins;

import hudson.model.TaskListener;
import io.github.flowupgrade.Console;
import io.github.flowupgrade.release.ReleaseLookup;
import io.github.flowupgrade.release.ReleaseLookupRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** {@code flowFetchRelease} on the agent: the engine's release lookup, as {@code flow fetch-release} runs it. */
final class FetchReleaseTask extends AgentTask {
    private static final long serialVersionUID = 1L;

    private final ReleaseRequest request;
    private final String token;
    private final BuildInfo build;
    private final String flowDir;

    FetchReleaseTask(TaskListener listener, ReleaseRequest request, String token, BuildInfo build, String flowDir) {
        super(listener);
        this.request = request;
        this.token = token;
        this.build = build;
        this.flowDir = flowDir;
    }

    @Override
    protected Map<String, Object> perform(Console buildLog) {
        try (AgentSession session = AgentSession.open(
                request.app(),
                null,
                null,
                build,
                flowDir,
                "fetch-release",
                request.tag(),
                buildLog,
                abortSignal(),
                token)) {
            return session.finishing(() -> new ReleaseLookup(session.audit(), session.console())
                    .run(lookupRequest(request, token, Path.of(flowDir)))
                    .toMap());
        }
    }

    /**
     * The engine request for these parameters, built as {@code flow fetch-release} builds it: no tag means the newest
     * release by version ({@code --latest}), the token comes from a credential, the ETag cache lives in the workspace
     * ({@code flow-upgrade/github-cache}), and a relative JSON profile is read from the workspace.
     */
    static ReleaseLookupRequest lookupRequest(ReleaseRequest request, String token, Path flowDir) {
        return new ReleaseLookupRequest(
                AgentSession.profile(
                        request.app(), null, flowDir.toAbsolutePath().getParent()),
                request.repo(),
                ReleaseLookupRequest.apiUrl(request.apiUrl()),
                token,
                token == null ? null : "the githubCredentialsId credential",
                request.tag(),
                request.tag() == null,
                request.from(),
                request.includePrereleases(),
                false,
                request.singleHop(),
                request.gitUrl(),
                flowDir.resolve("github-cache"),
                Duration.ofSeconds(20),
                3,
                Duration.ofSeconds(1));
    }
}

package io.github.flowupgrade.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flowupgrade.audit.AuditEvent;
import io.github.flowupgrade.testing.FakeGitHub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code flowFetchRelease}'s agent task against the GitHub API fixture, as the agent runs it. */
class FetchReleaseTaskTest {
    private static final String TOKEN = "ghp_test0token0never0printed000000000000";

    @TempDir
    Path workspace;

    private final FakeGitHub github = FakeGitHub.mastodon();
    private final TestListener log = new TestListener();

    @AfterEach
    void stop() {
        github.close();
    }

    @Test
    void returnsTheEnginesLookupResultAndWritesTheAuditTrailInTheWorkspace() throws Exception {
        github.validToken(TOKEN);
        Path flowDir = workspace.resolve("flow-upgrade");
        ReleaseRequest request = new ReleaseRequest(
                "mastodon", null, "v4.6.1", "v4.5.10", github.apiUrl().toString());

        Map<String, Object> result = InProcessAgent.callOnce(new FetchReleaseTask(
                log.listener(),
                request,
                TOKEN,
                new BuildInfo("upgrade#7", "https://ci/job/upgrade/7/"),
                flowDir.toString()));

        assertThat(result)
                .containsEntry("tag", "v4.6.1")
                .containsEntry("from", "v4.5.10")
                .containsKeys("name", "url", "releases", "hops", "plan", "warnings");
        assertThat((List<?>) result.get("releases")).last().isEqualTo("v4.6.1");
        assertThat(result.get("plan")).isInstanceOf(Map.class);
        assertThat(github.authorizations()).isNotEmpty().allMatch(a -> a.endsWith(TOKEN));

        Path trail = flowDir.resolve("audit-release.jsonl");
        List<AuditEvent> events = AuditEvent.readAll(trail);
        assertThat(events.get(0).type()).isEqualTo("run.started");
        assertThat(events.get(0).fields())
                .containsEntry("actor", "jenkins upgrade#7")
                .containsEntry("buildUrl", "https://ci/job/upgrade/7/")
                .containsEntry("operation", "fetch-release");
        assertThat(events.get(events.size() - 1).type()).isEqualTo("run.finished");
        assertThat(events.get(events.size() - 1).fields()).containsEntry("status", "succeeded");
        assertThat(Files.readString(trail)).doesNotContain(TOKEN);
        assertThat(log.log()).doesNotContain(TOKEN);
    }

    @Test
    void mapsTheStepParametersToTheEngineRequestAsTheCliDoes() {
        ReleaseRequest params =
                new ReleaseRequest("flow", "hometown-fork/hometown", null, "v4.2.0", "https://ghe.example/api/v3");

        io.github.flowupgrade.release.ReleaseLookupRequest lookup =
                FetchReleaseTask.lookupRequest(params, TOKEN, workspace.resolve("flow-upgrade"));

        assertThat(lookup.profile().name()).isEqualTo("flow");
        assertThat(lookup.profile().repo()).isEqualTo("hometown-fork/hometown");
        assertThat(lookup.latest()).isTrue();
        assertThat(lookup.tag()).isNull();
        assertThat(lookup.from()).isEqualTo("v4.2.0");
        assertThat(lookup.apiUrl()).hasToString("https://ghe.example/api/v3");
        assertThat(lookup.token()).isEqualTo(TOKEN);
        assertThat(lookup.toString()).doesNotContain(TOKEN);
        assertThat(lookup.cacheDir()).isEqualTo(workspace.resolve("flow-upgrade/github-cache"));
    }

    @Test
    void readsARelativeJsonProfileFromTheWorkspace() throws Exception {
        Files.writeString(
                workspace.resolve("hometown.json"), "{\"name\": \"hometown\", \"repo\": \"hometown-fork/hometown\"}");
        ReleaseRequest params = new ReleaseRequest("hometown.json", null, "v4.3.1", null, null);

        io.github.flowupgrade.release.ReleaseLookupRequest lookup =
                FetchReleaseTask.lookupRequest(params, null, workspace.resolve("flow-upgrade"));

        assertThat(lookup.profile().name()).isEqualTo("hometown");
        assertThat(lookup.profile().repo()).isEqualTo("hometown-fork/hometown");
    }

    @Test
    void anUnknownTagFailsTheStepWithTheEnginesMessageAndClosesTheTrail() throws Exception {
        Path flowDir = workspace.resolve("flow-upgrade");
        ReleaseRequest request = new ReleaseRequest(
                "mastodon", null, "v9.9.9", null, github.apiUrl().toString());
        FetchReleaseTask task = new FetchReleaseTask(
                log.listener(), request, null, new BuildInfo("upgrade#8", null), flowDir.toString());

        org.assertj.core.api.Assertions.assertThatThrownBy(task::call)
                .isInstanceOf(hudson.AbortException.class)
                .hasMessageContaining("v9.9.9");
        List<AuditEvent> events = AuditEvent.readAll(flowDir.resolve("audit-release.jsonl"));
        assertThat(events.get(events.size() - 1).fields()).containsEntry("status", "failed");
    }
}

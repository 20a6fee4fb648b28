package io.github.flowupgrade.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pre-flight's and the migration preview's commands as text: tags only as quoted revisions, a checked marker, few
 * processes. {@code PreflightProbesTest} runs them and reads their output back.
 */
class PreflightCommandsTest {
    private static final String MARKER = "FLOW-FILE-0123456789abcdef";

    private final PreflightCommands commands = new PreflightCommands("/home/mastodon/live");

    @Test
    void everyRevisionsFilesAreReadByOneCatFileAfterAnLsTreeEach() {
        String line = commands.files(Arrays.asList(null, ReleaseTag.of("v4.3.0"), ReleaseTag.of("v4.3.1")), MARKER)
                .line();

        assertThat(line)
                .contains("for r in HEAD 'refs/tags/v4.3.0^{commit}' 'refs/tags/v4.3.1^{commit}'; do")
                .contains("git -C /home/mastodon/live ls-tree \"$r\" -- .ruby-version .nvmrc .node-version package.json"
                        + " .env.production.sample")
                .endsWith("git -C /home/mastodon/live cat-file --batch='" + MARKER + " %(objectsize) %(rest)'");
        // One git process per revision and one for all contents, whatever the number of files.
        assertThat(line.split("git -C ", -1)).hasSize(3);
        assertThat(line).doesNotContain("git show").doesNotContain("cat-file -e");
    }

    @Test
    void aMarkerThatIsNotAPlainRandomWordIsRefusedBeforeItReachesAShell() {
        for (String bad : new String[] {"x; rm -rf /", "short", "FLOW-FILE-0123456789abcdef'", null}) {
            assertThatThrownBy(() -> commands.files(List.of(ReleaseTag.of("v4.3.0")), bad))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> commands.probes(bad)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> commands.files(List.of(), MARKER)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theProbesAreFixedTextWithTheToolchainFirstOnThePath() {
        String line = commands.probes(MARKER).line();

        assertThat(line)
                .startsWith("m=" + MARKER + "; ")
                .contains("grep -E '^(MemTotal|MemAvailable|SwapTotal|SwapFree):' /proc/meminfo")
                .contains("df -P -k /home/mastodon/live")
                .contains("f=/home/mastodon/live/.env.production;")
                .contains("PATH=" + AppToolchain.SEARCH_PATH + "; export PATH;")
                .contains("cd /home/mastodon/live || exit 1;")
                .endsWith("s node; node -v; e node $?");
        for (String section : PreflightCommands.PROBES) {
            assertThat(line).contains("s " + section + ";").contains("e " + section + " ");
        }
        assertThat(new MigrationCommands("/home/mastodon/live", "mastodon_production")
                        .files(ReleaseTag.of("v4.3.1"))
                        .line())
                .isEqualTo("git -C /home/mastodon/live ls-tree --name-only 'refs/tags/v4.3.1^{commit}' --"
                        + " db/migrate/ db/post_migrate/");
    }
}

package io.github.flowupgrade.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flowupgrade.testing.LocalProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pre-flight's and the migration preview's probes: read-only, tags as revisions only, no setting's value out. */
class PreflightCommandsTest {
    @TempDir
    Path dir;

    private final PreflightCommands commands = new PreflightCommands("/home/mastodon/live");

    @Test
    void releaseFilesAreReadFromTheTagWithoutCheckingItOut() {
        ReleaseTag tag = ReleaseTag.of("v4.3.0");
        assertThat(commands.filesPresent(tag).line())
                .isEqualTo("git -C /home/mastodon/live ls-tree --name-only 'refs/tags/v4.3.0^{commit}' --"
                        + " .ruby-version .nvmrc .node-version package.json .env.production.sample");
        assertThat(commands.file(tag, ".ruby-version").line())
                .isEqualTo("git -C /home/mastodon/live show 'refs/tags/v4.3.0^{commit}:.ruby-version'");
        assertThat(commands.file(null, "package.json").line())
                .isEqualTo("git -C /home/mastodon/live show HEAD:package.json");
        assertThatThrownBy(() -> commands.file(tag, ".env.production")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hostProbesAreFixedTextOnTheToolchainsPath() {
        assertThat(PreflightCommands.memory().line())
                .isEqualTo("grep -E '^(MemTotal|MemAvailable|SwapTotal|SwapFree):' /proc/meminfo");
        assertThat(commands.freeSpace().line()).isEqualTo("df -P -k /home/mastodon/live");
        assertThat(commands.rubies().line())
                .startsWith("(cd /home/mastodon/live && env PATH=" + AppToolchain.SEARCH_PATH + " sh -c ");
        assertThat(commands.node().line())
                .isEqualTo("(cd /home/mastodon/live && env PATH=" + AppToolchain.SEARCH_PATH + " node -v)");
        assertThat(new MigrationCommands("/home/mastodon/live", "mastodon_production")
                        .files(ReleaseTag.of("v4.3.1"))
                        .line())
                .isEqualTo("git -C /home/mastodon/live ls-tree --name-only 'refs/tags/v4.3.1^{commit}' --"
                        + " db/migrate/ db/post_migrate/");
    }

    @Test
    void settingNamesNeverCarryAValue() throws Exception {
        Path live = Files.createDirectories(dir.resolve("live"));
        Files.writeString(
                live.resolve(".env.production"),
                "# a comment\nLOCAL_DOMAIN=social.test\nexport SECRET_KEY_BASE=\"s3cr3t-value\"\n  DB_PASS=''\n"
                        + "EMPTY=\n#COMMENTED_OUT=1\nACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY=k3y-value\n");
        String names = LocalProcess.run(
                null,
                Map.of(),
                "/bin/sh",
                "-c",
                new PreflightCommands(live.toString()).settingNames().line());

        assertThat(names).isEqualTo("LOCAL_DOMAIN\nSECRET_KEY_BASE\nACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY\n");
        assertThat(names).doesNotContain("s3cr3t").doesNotContain("k3y");
        LocalProcess.Result missing = LocalProcess.attempt(
                null,
                Map.of(),
                "/bin/sh",
                "-c",
                new PreflightCommands(dir.resolve("none").toString())
                        .settingNames()
                        .line());
        assertThat(missing.exitCode()).isEqualTo(2);
    }

    @Test
    void yarnProbeTellsCorepacksShimFromAPlainYarn() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path dist = Files.createDirectories(dir.resolve("lib/node_modules/corepack/dist"));
        Files.writeString(dist.resolve("yarn.js"), "#!/bin/sh\necho must-not-run\n");
        dist.resolve("yarn.js").toFile().setExecutable(true);
        Files.createSymbolicLink(bin.resolve("yarn"), dist.resolve("yarn.js"));
        Files.writeString(bin.resolve("corepack"), "#!/bin/sh\n");
        bin.resolve("corepack").toFile().setExecutable(true);
        // Only the tools the probe needs, so that a corepack or yarn of this machine cannot answer.
        Path tools = Files.createDirectories(dir.resolve("tools"));
        for (String tool : new String[] {"env", "sh", "readlink"}) {
            Files.createSymbolicLink(
                    tools.resolve(tool),
                    Path.of(LocalProcess.run("/bin/sh", "-c", "command -v " + tool)
                            .strip()));
        }
        Map<String, String> env = Map.of("PATH", bin + ":" + tools, "HOME", dir.toString());

        String shim = LocalProcess.run(
                null, env, "/bin/sh", "-c", PreflightCommands.yarn().line());
        assertThat(shim)
                .isEqualTo("corepack " + bin.resolve("corepack") + "\nyarn "
                        + dist.resolve("yarn.js").toRealPath() + "\n");

        Files.delete(bin.resolve("yarn"));
        Files.delete(bin.resolve("corepack"));
        Files.writeString(bin.resolve("yarn"), "#!/bin/sh\necho 1.22.22\n");
        bin.resolve("yarn").toFile().setExecutable(true);
        String plain = LocalProcess.run(
                null, env, "/bin/sh", "-c", PreflightCommands.yarn().line());
        assertThat(plain).isEqualTo("corepack none\nyarn " + bin.resolve("yarn").toRealPath() + "\nversion 1.22.22\n");
    }
}

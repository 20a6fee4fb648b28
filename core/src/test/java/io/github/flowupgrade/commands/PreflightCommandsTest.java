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
    void releaseFilesAreReadFromTheTagWithoutCheckingItOutEachAfterTheMarker() throws Exception {
        Path live = dir.resolve("live");
        LocalProcess.run("git", "init", "-q", live.toString());
        Files.writeString(live.resolve(".ruby-version"), "3.3.6\n");
        // A file cannot forge a marker line: the marker is random, and only the known paths follow it.
        Files.writeString(live.resolve("package.json"), "{\"packageManager\": \"yarn@4.5.1\"}\nMARK .nvmrc\n");
        LocalProcess.run(null, Map.of(), "git", "-C", live.toString(), "add", ".");
        LocalProcess.run(
                null,
                Map.of(),
                "git",
                "-C",
                live.toString(),
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@t",
                "commit",
                "-q",
                "-m",
                "v4.3.0");
        LocalProcess.run(
                null,
                Map.of(),
                "git",
                "-C",
                live.toString(),
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@t",
                "tag",
                "-a",
                "v4.3.0",
                "-m",
                "v4.3.0");
        String marker = "FLOW-FILE-0123456789abcdef";
        Command files = new PreflightCommands(live.toString()).files(ReleaseTag.of("v4.3.0"), marker);

        assertThat(files.line())
                .startsWith("for f in .ruby-version .nvmrc .node-version package.json .env.production.sample; do git"
                        + " -C " + live + " cat-file -e 'refs/tags/v4.3.0^{commit}':\"$f\"");
        assertThat(LocalProcess.run(null, Map.of(), "/bin/sh", "-c", files.line()))
                .isEqualTo(marker + " .ruby-version\n3.3.6\n" + marker + " package.json\n"
                        + "{\"packageManager\": \"yarn@4.5.1\"}\nMARK .nvmrc\n");
        assertThat(new PreflightCommands(live.toString()).files(null, marker).line())
                .contains(" show HEAD:\"$f\"");
        assertThatThrownBy(() -> commands.files(null, "x; rm -rf /")).isInstanceOf(IllegalArgumentException.class);
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

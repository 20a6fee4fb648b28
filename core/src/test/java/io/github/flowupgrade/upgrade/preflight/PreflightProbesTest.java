package io.github.flowupgrade.upgrade.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flowupgrade.commands.PreflightCommands;
import io.github.flowupgrade.commands.ReleaseTag;
import io.github.flowupgrade.remote.ExecResult;
import io.github.flowupgrade.testing.LocalProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pre-flight's two probe commands run by /bin/sh on this machine, against a real git repository and stand-in
 * tools, and their output read back as the checks read it.
 */
class PreflightProbesTest {
    private static final String MARKER = "FLOW-FILE-0123456789abcdef";

    @TempDir
    Path dir;

    @Test
    void theFilesOfEveryRevisionComeBackExactlyAndAnUnknownTagIsUnreadable() throws Exception {
        Path live = dir.resolve("live");
        git(null, "init", "-q", live.toString());
        Files.writeString(live.resolve(".ruby-version"), "3.2.2\n");
        commit(live, "v4.2.0");
        Files.writeString(live.resolve(".ruby-version"), "3.3.6\n");
        // A line that looks like a marker cannot end the file early: the real marker is random.
        String packageJson =
                "{\"packageManager\": \"yarn@4.5.1\", \"author\": \"Eugen Rochko\u00e9\"}\nMARK 1 .nvmrc\n";
        Files.writeString(live.resolve("package.json"), packageJson);
        Files.writeString(live.resolve(".env.production.sample"), "LOCAL_DOMAIN=\n\n"); // trailing blank line kept
        Files.writeString(live.resolve(".node-version"), "22"); // no final newline
        Files.createDirectories(live.resolve(".nvmrc")).resolve("x").toFile().createNewFile(); // a tree, not a file
        commit(live, "v4.3.0");
        git(live, "checkout", "-q", "v4.2.0");

        String line = new PreflightCommands(live.toString())
                .files(Arrays.asList(null, ReleaseTag.of("v4.3.0"), ReleaseTag.of("v9.9.9")), MARKER)
                .line();
        List<ReleaseFiles> read = ReleaseFiles.parse(List.of("HEAD", "v4.3.0", "v9.9.9"), sh(line, Map.of()), MARKER);

        assertThat(read.get(0).contents()).isEqualTo(Map.of(".ruby-version", "3.2.2\n"));
        assertThat(read.get(1).read()).isTrue();
        assertThat(read.get(1).contents())
                .isEqualTo(Map.of(
                        ".ruby-version", "3.3.6\n",
                        "package.json", packageJson,
                        ".env.production.sample", "LOCAL_DOMAIN=\n\n",
                        ".node-version", "22"));
        assertThat(read.get(1).yarnMajor()).isEqualTo(4);
        assertThat(read.get(2).read()).isFalse();
        assertThat(read.get(2).revision()).isEqualTo("v9.9.9");

        // Output cut right after a blob's header line holds no file, not the output before it.
        String cut = MARKER + " 6 0 .ruby-version\n3.3.6\n\n" + MARKER + " 2 0 .nvmrc";
        assertThat(ReleaseFiles.parse(List.of("HEAD"), new ExecResult(0, cut, "", 0, "", 1, false), MARKER)
                        .get(0)
                        .contents())
                .isEqualTo(Map.of(".ruby-version", "3.3.6\n"));

        // A command that failed as a whole reads as nothing read.
        assertThat(ReleaseFiles.parse(List.of("HEAD"), new ExecResult(128, "", "fatal", 0, "", 1, false), MARKER))
                .containsExactly(ReleaseFiles.unreadable("HEAD"));
    }

    @Test
    void theProbesReadMemoryDiskSettingNamesAndTheToolchainButNeverASettingsValue() throws Exception {
        Path live = Files.createDirectories(dir.resolve("live"));
        Files.writeString(
                live.resolve(".env.production"),
                "# a comment\nLOCAL_DOMAIN=social.test\nexport SECRET_KEY_BASE=\"s3cr3t-value\"\n  DB_PASS=''\n"
                        + "EMPTY=\n#COMMENTED_OUT=1\nACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY=k3y-value\n");
        Path home = dir.resolve("home");
        Path rbenv = Files.createDirectories(home.resolve(".rbenv/bin"));
        tool(
                rbenv.resolve("rbenv"),
                "case \"$1\" in root) echo \"$HOME/.rbenv\" ;; versions) printf '3.3.6\\nsystem\\n"
                        + "3.2.2\\n' ;; esac");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        tool(bin.resolve("ruby"), "echo 'ruby 3.3.6 (2024-11-05 revision 75015d4c1f) [x86_64-linux]'");
        tool(bin.resolve("node"), "echo v22.11.0");
        Path dist = Files.createDirectories(dir.resolve("lib/node_modules/corepack/dist"));
        tool(dist.resolve("yarn.js"), "echo must-not-run");
        Files.createSymbolicLink(bin.resolve("yarn"), dist.resolve("yarn.js"));
        tool(bin.resolve("corepack"), "true");
        Map<String, String> env = env(home, bin);

        ExecResult probed =
                sh(new PreflightCommands(live.toString()).probes(MARKER).line(), env);
        HostFacts facts = HostFacts.parse(probed, MARKER);

        assertThat(probed.stdout())
                .doesNotContain("s3cr3t")
                .doesNotContain("k3y")
                .doesNotContain("must-not-run");
        assertThat(facts.settings())
                .containsExactly("LOCAL_DOMAIN", "SECRET_KEY_BASE", "ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY");
        assertThat(facts.memoryKb()).containsKeys("MemTotal", "MemAvailable");
        assertThat(facts.diskFreeKb()).isPositive();
        assertThat(facts.diskMount()).startsWith("/");
        assertThat(facts.rbenvRoot()).isEqualTo(home + "/.rbenv");
        assertThat(facts.rbenvVersions()).containsExactly("3.3.6", "3.2.2");
        assertThat(facts.ruby()).startsWith("ruby 3.3.6 ");
        assertThat(facts.node()).isEqualTo("v22.11.0");
        assertThat(facts.corepack()).isEqualTo(bin.resolve("corepack").toString());
        assertThat(facts.yarn()).isEqualTo(dist.resolve("yarn.js").toRealPath().toString());
        assertThat(facts.yarnVersion()).isNull();

        // A plain yarn answers its version; without rbenv, without .env.production, each says so on its own.
        Files.delete(bin.resolve("yarn"));
        Files.delete(bin.resolve("corepack"));
        tool(bin.resolve("yarn"), "echo 1.22.22");
        Files.delete(rbenv.resolve("rbenv"));
        Files.delete(live.resolve(".env.production"));
        HostFacts plain = HostFacts.parse(
                sh(new PreflightCommands(live.toString()).probes(MARKER).line(), env), MARKER);
        assertThat(plain.corepack()).isNull();
        assertThat(plain.yarn()).isEqualTo(bin.resolve("yarn").toRealPath().toString());
        assertThat(plain.yarnVersion()).isEqualTo("1.22.22");
        assertThat(plain.rbenvRoot()).isNull();
        assertThat(plain.settings()).isNull();
        assertThat(plain.node()).isEqualTo("v22.11.0");

        // Without the application directory, the toolchain is not probed elsewhere: those sections never close.
        HostFacts gone = HostFacts.parse(
                sh(
                        new PreflightCommands(dir.resolve("gone").toString())
                                .probes(MARKER)
                                .line(),
                        env),
                MARKER);
        assertThat(gone.memoryKb()).isNotEmpty();
        assertThat(gone.diskFreeKb()).isEqualTo(-1);
        assertThat(gone.ruby()).isNull();
        assertThat(gone.node()).isNull();
        assertThat(gone.rbenvRoot()).isNull();
    }

    /** Only the tools the probes need, so that a ruby, node, yarn or rbenv of this machine cannot answer. */
    private Map<String, String> env(Path home, Path bin) throws IOException {
        Path tools = Files.createDirectories(dir.resolve("tools"));
        for (String tool : new String[] {"env", "sh", "readlink", "grep", "df", "awk"}) {
            Files.createSymbolicLink(
                    tools.resolve(tool),
                    Path.of(LocalProcess.run("/bin/sh", "-c", "command -v " + tool)
                            .strip()));
        }
        Map<String, String> env = new HashMap<>();
        env.put("PATH", bin + ":" + tools);
        env.put("HOME", home.toString());
        return env;
    }

    private static void tool(Path path, String body) throws IOException {
        Files.writeString(path, "#!/bin/sh\n" + body + "\n");
        path.toFile().setExecutable(true);
    }

    /** Runs {@code line} as a host would: /bin/sh, standard output kept apart from standard error. */
    private static ExecResult sh(String line, Map<String, String> env) throws Exception {
        ProcessBuilder builder =
                new ProcessBuilder("/bin/sh", "-c", line).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = process.waitFor();
        return new ExecResult(code, out, "", out.length(), "", 1, false);
    }

    private static void git(Path repo, String... args) {
        String[] argv = new String[args.length + (repo == null ? 1 : 3)];
        argv[0] = "git";
        int at = 1;
        if (repo != null) {
            argv[at++] = "-C";
            argv[at++] = repo.toString();
        }
        System.arraycopy(args, 0, argv, at, args.length);
        LocalProcess.run(null, Map.of(), argv);
    }

    private static void commit(Path repo, String tag) {
        git(repo, "add", ".");
        git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", tag);
        git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "tag", "-a", tag, "-m", tag);
    }
}

package io.github.flowupgrade.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppToolchainTest {
    @Test
    void prefixesTheSearchPathExactly() {
        assertThat(AppToolchain.onPath(Command.of("ruby", "-v")).line())
                .isEqualTo("env PATH=\"$HOME/.rbenv/shims:$HOME/.rbenv/bin:/usr/local/bin:$PATH\" ruby -v");
    }

    /** A real shell with a non-interactive environment finds an rbenv shim in the user's home, as on a real host. */
    @Test
    void aRealShellFindsTheRbenvShimsOfTheUsersHome(@TempDir Path home) throws Exception {
        Path shims = Files.createDirectories(home.resolve(".rbenv/shims"));
        Path bundle = shims.resolve("flow-test-bundle");
        Files.writeString(bundle, "#!/bin/sh\necho \"bundle from rbenv: $RAILS_ENV $*\"\n");
        Files.setPosixFilePermissions(bundle, PosixFilePermissions.fromString("rwxr-xr-x"));
        Command task = AppToolchain.onPath(
                        Command.of("flow-test-bundle", "install").withEnv(java.util.Map.of("RAILS_ENV", "production")))
                .in(home.toString());
        ProcessBuilder p = new ProcessBuilder("/bin/sh", "-c", task.line()).redirectErrorStream(true);
        p.environment().put("HOME", home.toString());
        p.environment().put("PATH", "/usr/bin:/bin");
        Process run = p.start();
        String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(run.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(run.exitValue()).as(out).isZero();
        assertThat(out.strip()).isEqualTo("bundle from rbenv: production install");
    }
}

package io.github.flowupgrade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.audit.Redactor;
import io.github.flowupgrade.testing.SshKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's SSH secrets reach neither the console nor the audit trail, whatever echoes them. */
class ConnectionOptionsRedactorTest {
    @TempDir
    Path dir;

    @Test
    void passphraseAndPrivateKeyAreMasked() throws Exception {
        String passphrase = "correct horse 'battery' $(staple)";
        SshKeys key = SshKeys.generate(dir, "id_ed25519", passphrase);
        String keyText = Files.readString(key.privateKey());
        String keyBodyLine = keyText.lines()
                .filter(l -> !l.startsWith("-----") && l.length() > 40)
                .findFirst()
                .orElseThrow();

        ConnectionOptions options = new ConnectionOptions();
        options.identity = key.privateKey();
        options.passphraseEnv = "FLOW_TEST_PASSPHRASE";
        options.env = Map.of("FLOW_TEST_PASSPHRASE", passphrase, "HOME", dir.toString());
        Redactor redactor = options.redactor();

        List<String> seen = new ArrayList<>();
        Console console = redactor.console(new Console() {
            @Override
            public void info(String message) {
                seen.add(message);
            }

            @Override
            public void warn(String message) {
                seen.add(message);
            }
        });
        console.info("remote said: " + passphrase);
        console.warn("debug dump:\n" + keyText);
        console.info("one line of it: " + keyBodyLine);

        assertThat(seen).hasSize(3);
        for (String line : seen) {
            assertThat(line).doesNotContain(passphrase).doesNotContain(keyBodyLine);
        }
        assertThat(seen.get(0)).isEqualTo("remote said: " + Redactor.MASK);
        assertThat(redactor.redact("no secret here")).isEqualTo("no secret here");
    }

    @Test
    void withoutSecretsNothingIsMasked() {
        ConnectionOptions options = new ConnectionOptions();
        options.env = Map.of("HOME", dir.toString());
        assertThat(options.redactor().redact("git -C /home/mastodon/live fetch --tags"))
                .isEqualTo("git -C /home/mastodon/live fetch --tags");
    }

    @Test
    void theKeyFoundInTheHomeDirectoryIsRegisteredToo() throws Exception {
        SshKeys key = SshKeys.generate(dir.resolve(".ssh"), "id_ed25519");
        String keyBodyLine = Files.readString(key.privateKey())
                .lines()
                .filter(l -> !l.startsWith("-----") && l.length() > 40)
                .findFirst()
                .orElseThrow();
        ConnectionOptions options = new ConnectionOptions();
        options.env = Map.of("HOME", dir.toString());
        assertThat(options.redactor().redact("bad key line " + keyBodyLine)).isEqualTo("bad key line ***");
    }
}

package io.github.flowupgrade.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flowupgrade.testing.LocalProcess;
import io.github.flowupgrade.testing.SshKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OpenSSH's host pattern rules (match.c), and hashed names as {@code ssh-keygen -H} writes them. */
class HostPatternsTest {
    @TempDir
    Path dir;

    @Test
    void wildcardsMatchAsOpenSshsMatchPattern() {
        assertThat(HostPatterns.glob("web1.example.org", "web?.example.org")).isTrue();
        assertThat(HostPatterns.glob("web10.example.org", "web?.example.org")).isFalse();
        assertThat(HostPatterns.glob("web1.example.org", "*.example.org")).isTrue();
        assertThat(HostPatterns.glob("example.org", "*.example.org")).isFalse();
        assertThat(HostPatterns.glob("[10.0.0.1]:2222", "[10.0.0.*]:*")).isTrue();
        assertThat(HostPatterns.glob("a", "**a**")).isTrue();
        assertThat(HostPatterns.glob("abcabd", "*abd")).isTrue();
        assertThat(HostPatterns.glob("", "*")).isTrue();
        assertThat(HostPatterns.glob("", "?")).isFalse();
        // Brackets and dots are literal, unlike in a regular expression.
        assertThat(HostPatterns.glob("10x0x0x1", "10.0.0.1")).isFalse();
        assertThat(HostPatterns.glob("[host]:22", "[host]:2?")).isTrue();
    }

    @Test
    void aMatchingNegationTakesTheWholeLineOutAndAListNeedsAPositiveMatch() {
        assertThat(HostPatterns.matches("*.example.org,!db.example.org", "web.example.org"))
                .isTrue();
        assertThat(HostPatterns.matches("*.example.org,!db.example.org", "db.example.org"))
                .isFalse();
        assertThat(HostPatterns.matches("!db.example.org,*.example.org", "db.example.org"))
                .isFalse();
        // A negation alone matches nothing (sshj took it as "every other host").
        assertThat(HostPatterns.matches("!db.example.org", "web.example.org")).isFalse();
        assertThat(HostPatterns.patternList("db.example.org", "*,!db.example.org"))
                .isEqualTo(-1);
        assertThat(HostPatterns.matches("a.example.org,,b.example.org", "b.example.org"))
                .isTrue();
    }

    @Test
    void patternsAndNamesAreComparedWithoutRegardToCase() {
        assertThat(HostPatterns.matches("WEB1.Example.ORG", "web1.example.org")).isTrue();
        assertThat(HostPatterns.matches("web1.example.org", "Web1.Example.Org")).isTrue();
    }

    @Test
    void hashedNamesMatchOnlyTheirHostAndPort() throws Exception {
        SshKeys key = SshKeys.generate(dir, "key");
        Path file = Files.writeString(
                dir.resolve("known_hosts"),
                "web1.example.org " + key.keyPart() + "\n[web1.example.org]:2222 " + key.keyPart() + "\n");
        LocalProcess.run("ssh-keygen", "-q", "-H", "-f", file.toString());
        String[] lines = Files.readString(file).strip().split("\n");
        String bare = lines[0].split(" ")[0];
        String withPort = lines[1].split(" ")[0];
        assertThat(bare).startsWith("|1|");
        assertThat(HostPatterns.matches(bare, "web1.example.org")).isTrue();
        assertThat(HostPatterns.matches(bare, "web2.example.org")).isFalse();
        assertThat(HostPatterns.matches(bare, "[web1.example.org]:2222")).isFalse();
        assertThat(HostPatterns.matches(withPort, "[web1.example.org]:2222")).isTrue();
        assertThat(HostPatterns.matches(withPort, "web1.example.org")).isFalse();
        // A malformed hash matches nothing; it is never read as a pattern.
        assertThat(HostPatterns.matches("|1|not-base64|x", "web1.example.org")).isFalse();
        assertThat(HostPatterns.matches("|2|" + bare.substring(3), "web1.example.org"))
                .isFalse();
    }
}

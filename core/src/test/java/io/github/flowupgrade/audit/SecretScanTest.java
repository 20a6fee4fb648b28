package io.github.flowupgrade.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.flowupgrade.Console;
import io.github.flowupgrade.commands.Command;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feeds known secrets through every path a value takes into the trail and onto the console, then scans everything the
 * run produced for them. Failures name the secret by label only, so a leak never reaches the test report either.
 */
class SecretScanTest {
    @TempDir
    Path dir;

    private static final SecureRandom RANDOM = new SecureRandom();

    record Credentials(String user, String passphrase) {}

    @Test
    void noKnownSecretReachesTheTrailTheTimelineOrTheConsole() throws Exception {
        String privateKey = generatedPrivateKeyPem();
        String passphrase = "correct \"horse\" \\battery' staple " + randomAlnum(8);
        String token = "ghp_" + randomAlnum(36);
        String marked = "user-marked-" + randomAlnum(12);
        // Never registered: only the patterns stand between these and the file.
        String strayToken = "github_pat_" + randomAlnum(22) + "_" + randomAlnum(59);
        String strayKey =
                "-----BEGIN OPENSSH PRIVATE KEY-----\n" + randomBase64Lines(5) + "-----END OPENSSH PRIVATE KEY-----\n";
        String strayPassword = "pw" + randomAlnum(14);

        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("private key", privateKey);
        secrets.put("passphrase", passphrase);
        secrets.put("token", token);
        secrets.put("user-marked value", marked);
        secrets.put("unregistered fine-grained token", strayToken);
        secrets.put("unregistered OpenSSH key", strayKey);
        secrets.put("unregistered password parameter", strayPassword);
        addLines(secrets, "private key", privateKey);
        addLines(secrets, "unregistered OpenSSH key", strayKey);

        Redactor redactor = Redactor.of(privateKey, passphrase, token).register(marked);
        List<Object> payloads = payloads(privateKey, passphrase, token, marked, strayToken, strayKey, strayPassword);

        Path file = dir.resolve("trail.jsonl");
        try (JsonLinesAuditLog log = JsonLinesAuditLog.open(file, "scan", redactor)) {
            log.record(
                    AuditEvents.RUN_STARTED,
                    AuditEvents.runStarted(
                            marked, "https://ci.example/job/1/?token=" + token, "upgrade", "v4.3.1", List.of("h")));
            Map<String, Object> nested = new LinkedHashMap<>();
            for (int i = 0; i < payloads.size(); i++) {
                Object payload = payloads.get(i);
                log.record(AuditEvents.COMMAND, Map.of("field", payload));
                nested.put("k" + i, Map.of("deeper", List.of(Map.of("deepest", payload), payload)));
                log.record(AuditEvents.SERVICE_ACTION, Map.of("key " + payload, "value"));
            }
            log.record(AuditEvents.TASK_COMPLETED, nested);
            log.record(
                    AuditEvents.RUN_FINISHED,
                    AuditEvents.runFinished("failed", 4, "ssh auth failed for " + new Credentials("u", passphrase)));
        }

        List<String> console = new ArrayList<>();
        Console shown = redactor.console(new Console() {
            @Override
            public void info(String message) {
                console.add(message);
            }

            @Override
            public void warn(String message) {
                console.add(message);
            }
        });
        for (Object payload : payloads) {
            String text = payload instanceof Object[] array ? Arrays.deepToString(array) : String.valueOf(payload);
            shown.info(text);
            shown.warn("failed: " + text);
        }

        String trail = Files.readString(file, StandardCharsets.UTF_8);
        String timeline = String.join("\n", AuditTimeline.render(file));
        assertThat(AuditVerifier.verify(file)).isInstanceOf(AuditVerification.Intact.class);
        assertThat(trail.contains("***")).as("the trail shows masks").isTrue();
        // Counted, not listed: a failure message must not print what may be a secret.
        assertThat(console.size()).isEqualTo(payloads.size() * 2);
        assertThat(console.stream().filter(line -> !line.contains("***")).count())
                .as("console lines without a mask")
                .isZero();

        ObjectMapper json = new ObjectMapper();
        for (Map.Entry<String, String> secret : secrets.entrySet()) {
            String raw = secret.getValue();
            String escaped = json.writeValueAsString(raw);
            escaped = escaped.substring(1, escaped.length() - 1);
            assertThat(trail.contains(raw) || trail.contains(escaped))
                    .as("%s found in the audit file", secret.getKey())
                    .isFalse();
            assertThat(timeline.contains(raw) || timeline.contains(escaped))
                    .as("%s found in the timeline", secret.getKey())
                    .isFalse();
            assertThat(String.join("\n", console).contains(raw))
                    .as("%s found on the console", secret.getKey())
                    .isFalse();
        }
    }

    /** Every shape a secret arrives in: raw, in a command line, in an error, in a stack trace, inside objects. */
    private static List<Object> payloads(
            String privateKey,
            String passphrase,
            String token,
            String marked,
            String strayToken,
            String strayKey,
            String strayPassword) {
        String[] keyLines = privateKey.split("\n");
        Exception error = new IllegalStateException("cannot load key " + privateKey + " with " + passphrase);
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        List<Object> payloads = new ArrayList<>();
        payloads.add(privateKey);
        payloads.add(passphrase);
        payloads.add(token);
        payloads.add(marked);
        payloads.add(strayToken);
        payloads.add(strayKey);
        payloads.add("key line: " + keyLines[3]);
        payloads.add(Command.of("git", "clone", "https://x-access-token:" + token + "@github.com/o/r.git")
                .line());
        payloads.add(Command.of("ssh-keygen", "-y", "-P", passphrase).line());
        payloads.add(Command.of("printenv").withEnv(Map.of("SECRET", marked)).line());
        payloads.add("curl -H 'Authorization: Bearer " + strayToken + "' https://api.github.com/");
        payloads.add("GET /login?user=a&password=" + strayPassword);
        payloads.add(error.toString());
        payloads.add(trace.toString());
        payloads.add(List.of(token, List.of(passphrase, Map.of("m", marked))));
        payloads.add(new String[] {strayKey, passphrase});
        payloads.add(new Credentials("u", passphrase));
        return payloads;
    }

    private static String generatedPrivateKeyPem() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        byte[] pkcs8 = generator.generateKeyPair().getPrivate().getEncoded();
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(pkcs8);
        return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
    }

    private static String randomBase64Lines(int lines) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            byte[] bytes = new byte[48];
            RANDOM.nextBytes(bytes);
            s.append(Base64.getEncoder().encodeToString(bytes)).append('\n');
        }
        return s.toString();
    }

    private static String randomAlnum(int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    private static void addLines(Map<String, String> secrets, String label, String key) {
        String[] lines = key.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].startsWith("-----")) {
                secrets.put(label + " line " + (i + 1), lines[i]);
            }
        }
    }
}

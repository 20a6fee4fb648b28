package io.github.flowupgrade.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flowupgrade.Console;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RedactorTest {
    private final Redactor patterns = Redactor.create();

    @Test
    void masksRegisteredValuesWhereverTheyAppear() {
        Redactor r = Redactor.of("pa55-phrase");
        assertThat(r.redact("ssh-keygen -P pa55-phrase; echo pa55-phrase!")).isEqualTo("ssh-keygen -P ***; echo ***!");
        assertThat(r.redact("nothing here")).isEqualTo("nothing here");
    }

    @Test
    void masksTheShellQuotedAndUrlEncodedFormsOfASecret() {
        Redactor r = Redactor.of("it's a secret&more");
        assertThat(r.redact("echo 'it'\\''s a secret&more'")).isEqualTo("echo '***'");
        assertThat(r.redact("https://x/?q=it%27s+a+secret%26more")).isEqualTo("https://x/?q=***");
    }

    @Test
    void masksEachLineOfAMultiLineSecret() {
        String key = "-----BEGIN X-----\nQUJDREVGR0hJSktMTU5PUFFSU1RVVldY\nshort\n-----END X-----\n";
        Redactor r = Redactor.of(key);
        assertThat(r.redact("bad line: QUJDREVGR0hJSktMTU5PUFFSU1RVVldY")).isEqualTo("bad line: ***");
        assertThat(r.redact("short")).isEqualTo("short");
    }

    @Test
    void longerSecretsAreMaskedBeforeTheSecretsTheyContain() {
        Redactor r = Redactor.of("abcd", "abcdefgh");
        assertThat(r.redact("abcdefgh abcd")).isEqualTo("*** ***");
    }

    @Test
    void ignoresBlankSecrets() {
        Redactor r = Redactor.of("", "   ", null);
        assertThat(r.redact("a b c")).isEqualTo("a b c");
    }

    @Test
    void masksPemPrivateKeyBlocksEvenWhenCutOff() {
        assertThat(patterns.redact("key:\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk=\n"
                        + "-----END OPENSSH PRIVATE KEY-----\nafter"))
                .isEqualTo("key:\n***\nafter");
        assertThat(patterns.redact("-----BEGIN RSA PRIVATE KEY-----\nMIIEow")).isEqualTo("***");
        assertThat(patterns.redact("-----BEGIN ENCRYPTED PRIVATE KEY-----\nx\n-----END ENCRYPTED PRIVATE KEY-----"))
                .isEqualTo("***");
        assertThat(patterns.redact("-----BEGIN PUBLIC KEY-----")).isEqualTo("-----BEGIN PUBLIC KEY-----");
    }

    @Test
    void masksGitHubTokens() {
        String classic = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8";
        String oauth = "gho_" + "0123456789abcdefghijABCDEFGHIJ012345";
        String fineGrained = "github_pat_" + "11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789";
        assertThat(patterns.redact("token " + classic + ", " + oauth + " and " + fineGrained))
                .isEqualTo("token ***, *** and ***");
        assertThat(patterns.redact("ghp_short")).isEqualTo("ghp_short");
    }

    @Test
    void masksAuthorizationHeadersAndSecretParameters() {
        assertThat(patterns.redact("Authorization: Bearer abc.def\nAccept: json"))
                .isEqualTo("Authorization: ***\nAccept: json");
        assertThat(patterns.redact("proxy-authorization:Basic Zm9vOmJhcg==")).isEqualTo("proxy-authorization:***");
        assertThat(patterns.redact("GET /x?user=a&password=hunter2&token=t0k#frag"))
                .isEqualTo("GET /x?user=a&password=***&token=***#frag");
        assertThat(patterns.redact("curl 'https://h/api?access_token=xyz'"))
                .isEqualTo("curl 'https://h/api?access_token=***'");
        assertThat(patterns.redact("git clone https://x-access-token:s3cr3t@github.com/o/r.git"))
                .isEqualTo("git clone https://x-access-token:***@github.com/o/r.git");
        assertThat(patterns.redact("see https://github.com/o/r@v1 and user@host:22"))
                .isEqualTo("see https://github.com/o/r@v1 and user@host:22");
    }

    @Test
    void redactsEveryStringOfANestedValueAndSortsMaps() {
        Redactor r = Redactor.of("s3cret");
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("z", "s3cret");
        inner.put("a", List.of("x s3cret", 3, Optional.of("s3cret"), Optional.empty()));
        Map<Object, Object> fields = new LinkedHashMap<>();
        fields.put("nested", inner);
        fields.put("array", new String[] {"s3cret"});
        fields.put("ints", new int[] {1, 2});
        fields.put("nan", Double.NaN);
        fields.put("s3cret-key", true);
        fields.put("obj", new StringBuilder("in toString s3cret"));
        fields.put("null", null);
        Map<String, Object> out = r.redactFields(fields);
        assertThat(new ArrayList<>(out.keySet()))
                .containsExactly("***-key", "array", "ints", "nan", "nested", "null", "obj");
        assertThat(out.get("nested")).isEqualTo(Map.of("a", Arrays.asList("x ***", 3, "***", null), "z", "***"));
        assertThat(out.get("array")).isEqualTo(List.of("***"));
        assertThat(out.get("ints")).isEqualTo(List.of(1, 2));
        assertThat(out.get("nan")).isEqualTo("NaN");
        assertThat(out.get("obj")).isEqualTo("in toString ***");
        assertThat(out).containsEntry("null", null);
    }

    @Test
    void secretsRegisteredLaterAreMaskedFromThenOn() {
        Redactor r = Redactor.create();
        assertThat(r.redact("late-secret")).isEqualTo("late-secret");
        r.register("late-secret");
        assertThat(r.redact("late-secret")).isEqualTo("***");
    }

    @Test
    void theConsoleWrapperMasksInfoAndWarnings() {
        List<String> shown = new ArrayList<>();
        Console console = Redactor.of("s3cret").console(new Console() {
            @Override
            public void info(String message) {
                shown.add("info " + message);
            }

            @Override
            public void warn(String message) {
                shown.add("warn " + message);
            }
        });
        console.info("using s3cret");
        console.warn("Authorization: token abc");
        assertThat(shown).containsExactly("info using ***", "warn Authorization: ***");
    }

    // Issue 16, item 4: a registered secret is found in every encoding an output can give it.
    @Test
    void masksASecretWhateverEncodingTheOutputGivesIt() {
        String secret = "correct horse/battery+St@ple!";
        Redactor r = Redactor.of(secret);
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        List<String> encoded = List.of(
                "correct%20horse%2Fbattery%2BSt%40ple%21", // %20 for the space, upper-case hex
                "correct%20horse%2fbattery%2bst%40ple%21", // lower-case hex (and lower case)
                "correct horse%2Fbattery+St@ple!".replace("+St", "%2BSt"), // partly encoded
                "CORRECT HORSE/BATTERY+ST@PLE!", // upper-cased
                unicodeEscaped(secret), // JSON with every character escaped as its code in hex
                Base64.getEncoder().encodeToString(bytes),
                Base64.getUrlEncoder().withoutPadding().encodeToString(bytes),
                HexFormat.of().formatHex(bytes),
                HexFormat.of().withUpperCase().formatHex(bytes));
        for (String form : encoded) {
            String shown = r.redact("remote said [" + form + "] and stopped");
            assertThat(shown).as("form %s", encoded.indexOf(form)).isEqualTo("remote said [***] and stopped");
        }
        // Inside a longer base64 text (HTTP basic auth, a base64-encoded config), at each of the three alignments.
        for (String prefix : List.of("u:", "ab:", "abc:")) {
            String basic = Base64.getEncoder().encodeToString((prefix + secret).getBytes(StandardCharsets.UTF_8));
            String shown = r.redact("token " + basic);
            assertThat(shown).contains(Redactor.MASK);
            String left = shown.replace("token ", "").replace(Redactor.MASK, "");
            assertThat(left.length())
                    .as("characters of the encoding left around the mask")
                    .isLessThanOrEqualTo(prefix.length() * 4 / 3 + 4);
        }
        assertThat(r.redact("correct horse, battery staple")).isEqualTo("correct horse, battery staple");
    }

    @Test
    void masksQuotedValuesKeyValueLinesAndJsonFields() {
        assertThat(patterns.redact("PASSWORD=\"correct horse battery\" next")).isEqualTo("PASSWORD=\"***\" next");
        assertThat(patterns.redact("export DB_PASS='two words' && go")).isEqualTo("export DB_PASS='***' && go");
        assertThat(patterns.redact("Passphrase: correct horse battery staple\nnext: line"))
                .isEqualTo("Passphrase: ***\nnext: line");
        assertThat(patterns.redact("SECRET_KEY_BASE: 0a1b2c3d\nX-Api-Key: k3y v4lue"))
                .isEqualTo("SECRET_KEY_BASE: ***\nX-Api-Key: ***");
        assertThat(patterns.redact("{\n  \"token\" : \"a b c\",\n  \"client_secret\": 12345,\n  \"n\": 1\n}"))
                .isEqualTo("{\n  \"token\" : \"***\",\n  \"client_secret\": ***,\n  \"n\": 1\n}");
        assertThat(patterns.redact("{\"error\":\"config says password: \\\"a b\\\" here\"}"))
                .isEqualTo("{\"error\":\"config says password: \\\"***\\\" here\"}");
        assertThat(patterns.redact("{\"dbPassword\":\"x\",\"apiToken\": \"y\"}"))
                .isEqualTo("{\"dbPassword\":\"***\",\"apiToken\": \"***\"}");
        // Names that say where a secret is, and words that only contain a keyword, are left alone.
        assertThat(patterns.redact("deploy ALL=(root) NOPASSWD: /usr/bin/systemctl; bypass=1; compass: north"))
                .isEqualTo("deploy ALL=(root) NOPASSWD: /usr/bin/systemctl; bypass=1; compass: north");
        assertThat(patterns.redact("--token-env=GITHUB_TOKEN --identity-passphrase-env=NAME; tests passed: 12"))
                .isEqualTo("--token-env=GITHUB_TOKEN --identity-passphrase-env=NAME; tests passed: 12");
        // Masking twice changes nothing more.
        String once = patterns.redact("password: \"x y\" Authorization: Bearer z");
        assertThat(patterns.redact(once)).isEqualTo(once);
    }

    @Test
    void masksAUrlPasswordThatHoldsAnAt() {
        assertThat(patterns.redact("fatal: unable to access 'https://u:p@ss@host.example/r.git/': 403"))
                .isEqualTo("fatal: unable to access 'https://u:***@host.example/r.git/': 403");
        assertThat(patterns.redact("https://me@example.org:pa@ss@host/x and a@b"))
                .isEqualTo("https://me@example.org:***@host/x and a@b");
        assertThat(patterns.redact("ssh://git@host:22/o/r.git")).isEqualTo("ssh://git@host:22/o/r.git");
    }

    @Test
    void redactsAResultKeepingItsShape() {
        Redactor r = Redactor.of("s3cret-value");
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("z", "s3cret-value");
        result.put("a", List.of("x S3CRET-VALUE", 3, true));
        result.put("n", null);
        result.put("d", 1.5);
        @SuppressWarnings("unchecked")
        Map<String, Object> out = (Map<String, Object>) r.redactResult(result);
        assertThat(new ArrayList<>(out.keySet())).containsExactly("z", "a", "n", "d");
        assertThat(out.get("z")).isEqualTo("***");
        assertThat(out.get("a")).isEqualTo(List.of("x ***", 3, true));
        assertThat(out).containsEntry("n", null).containsEntry("d", 1.5);
        assertThat(r.redactResult("s3cret-value")).isEqualTo("***");
    }

    private static String unicodeEscaped(String s) {
        StringBuilder out = new StringBuilder();
        s.chars().forEach(c -> out.append(String.format("\\u%04X", c)));
        return out.toString();
    }
}

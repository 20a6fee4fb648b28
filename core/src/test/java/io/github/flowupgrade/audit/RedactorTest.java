package io.github.flowupgrade.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flowupgrade.Console;
import java.util.ArrayList;
import java.util.Arrays;
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
}

package io.github.flowupgrade;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TerminalTextTest {
    @Test
    void controlCharactersAreShownNotObeyed() {
        assertThat(TerminalText.safe("a\u001b[2Jb\u0007c\u009b31md\re\u007f"))
                .isEqualTo("a\\u001b[2Jb\\u0007c\\u009b31md\\u000de\\u007f");
        assertThat(TerminalText.safe("line one\r\nline\ttwo\n")).isEqualTo("line one\r\nline\ttwo\n");
        String plain = "plain text, é and ✓";
        assertThat(TerminalText.safe(plain)).isSameAs(plain);
        assertThat(TerminalText.safe(null)).isNull();
    }
}

package io.github.flowupgrade;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleTest {
    @Test
    void warningsOnceSaysEachDistinctWarningOnceAndEveryInfoLine() {
        List<String> lines = new ArrayList<>();
        Console recording = new Console() {
            @Override
            public void info(String message) {
                lines.add("info " + message);
            }

            @Override
            public void warn(String message) {
                lines.add("warn " + message);
            }
        };
        Console once = Console.warningsOnce(recording);

        once.warn("single-hop: going straight to v4.4.0");
        once.info("");
        once.info("");
        once.warn("single-hop: going straight to v4.4.0");
        once.warn("the notes of v4.6.0 have no update steps");

        assertThat(lines)
                .containsExactly(
                        "warn single-hop: going straight to v4.4.0",
                        "info ",
                        "info ",
                        "warn the notes of v4.6.0 have no update steps");
    }
}

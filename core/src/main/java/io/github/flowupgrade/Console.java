package io.github.flowupgrade;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a user should read while an operation runs: the CLI prints it to the terminal, the plugin to the build log.
 * Never given a secret.
 */
public interface Console {
    void info(String message);

    void warn(String message);

    /**
     * {@code console}, with each distinct warning passed on once: parts of one run that warn alike (the release
     * lookups of several ranges) then say it once.
     */
    static Console warningsOnce(Console console) {
        Set<String> warned = ConcurrentHashMap.newKeySet();
        return new Console() {
            @Override
            public void info(String message) {
                console.info(message);
            }

            @Override
            public void warn(String message) {
                if (warned.add(message)) {
                    console.warn(message);
                }
            }
        };
    }

    /** A console that drops everything, for callers that only want results. */
    static Console silent() {
        return new Console() {
            @Override
            public void info(String message) {}

            @Override
            public void warn(String message) {}
        };
    }
}

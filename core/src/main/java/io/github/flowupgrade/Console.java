package io.github.flowupgrade;

/**
 * What a user should read while an operation runs: the CLI prints it to the terminal, the plugin to the build log.
 * Never given a secret.
 */
public interface Console {
    void info(String message);

    void warn(String message);

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

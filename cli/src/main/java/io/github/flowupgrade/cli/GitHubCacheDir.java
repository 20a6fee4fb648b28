package io.github.flowupgrade.cli;

import java.nio.file.Path;
import java.util.Map;

/** Where GitHub responses are cached between runs: {@code $XDG_CACHE_HOME/flow-upgrade/github}, else {@code ~/.cache}. */
final class GitHubCacheDir {
    private GitHubCacheDir() {}

    static Path defaultDir(Map<String, String> env) {
        String xdg = env.get("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
                ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("flow-upgrade").resolve("github");
    }
}

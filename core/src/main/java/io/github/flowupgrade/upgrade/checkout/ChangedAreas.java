package io.github.flowupgrade.upgrade.checkout;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a checkout changed, from the paths {@code git diff --name-only} lists between the previous and the new commit.
 * These feed the restart and task decisions alongside the release notes.
 *
 * @param streaming the streaming server's files or its packages ({@code streaming/})
 * @param migrations database migrations ({@code db/migrate/}, {@code db/post_migrate/})
 * @param rubyDependencies {@code Gemfile}, {@code Gemfile.lock} or {@code .ruby-version}
 * @param nodeDependencies a {@code package.json}, {@code yarn.lock}, {@code .nvmrc} or {@code .node-version}
 * @param assets front-end sources, their build configuration, or the JavaScript packages they are built with
 * @param streamingPaths the changed paths that made {@code streaming} true (at most {@link #MAX_STREAMING_PATHS}),
 *     so a streaming restart decided by the checkout can name them
 */
public record ChangedAreas(
        boolean streaming,
        boolean migrations,
        boolean rubyDependencies,
        boolean nodeDependencies,
        boolean assets,
        List<String> streamingPaths) {

    public static final ChangedAreas NONE = new ChangedAreas(false, false, false, false, false);
    static final int MAX_STREAMING_PATHS = 20;

    public ChangedAreas {
        streamingPaths = List.copyOf(streamingPaths);
    }

    /** Areas without the paths behind them. */
    public ChangedAreas(
            boolean streaming, boolean migrations, boolean rubyDependencies, boolean nodeDependencies, boolean assets) {
        this(streaming, migrations, rubyDependencies, nodeDependencies, assets, List.of());
    }

    private static final List<String> ASSET_PREFIXES =
            List.of("app/javascript/", "app/assets/", "config/webpack/", "config/vite/", "public/");
    private static final List<String> ASSET_FILES = List.of(
            "config/webpacker.yml",
            "vite.config.mts",
            "vite.config.ts",
            "vite.config.js",
            "babel.config.js",
            "postcss.config.js",
            "tsconfig.json",
            "package.json",
            "yarn.lock");

    public static ChangedAreas of(List<String> paths) {
        boolean streaming = false;
        boolean migrations = false;
        boolean ruby = false;
        boolean node = false;
        boolean assets = false;
        List<String> streamingPaths = new ArrayList<>();
        for (String path : paths) {
            String name = path.substring(path.lastIndexOf('/') + 1);
            if (path.startsWith("streaming/")) {
                streaming = true;
                if (streamingPaths.size() < MAX_STREAMING_PATHS) {
                    streamingPaths.add(path);
                }
            }
            migrations |= path.startsWith("db/migrate/") || path.startsWith("db/post_migrate/");
            ruby |= path.equals("Gemfile") || path.equals("Gemfile.lock") || path.equals(".ruby-version");
            node |= name.equals("package.json")
                    || name.equals("yarn.lock")
                    || path.equals(".nvmrc")
                    || path.equals(".node-version");
            assets |= ASSET_PREFIXES.stream().anyMatch(path::startsWith) || ASSET_FILES.contains(path);
        }
        return new ChangedAreas(streaming, migrations, ruby, node, assets, streamingPaths);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("streaming", streaming);
        map.put("migrations", migrations);
        map.put("rubyDependencies", rubyDependencies);
        map.put("nodeDependencies", nodeDependencies);
        map.put("assets", assets);
        map.put("streamingPaths", streamingPaths);
        return map;
    }
}

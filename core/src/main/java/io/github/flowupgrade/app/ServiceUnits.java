package io.github.flowupgrade.app;

import io.github.flowupgrade.commands.Inputs;
import java.util.List;

/**
 * The systemd units of one application, by role. Each role may have several units (some hosts run streaming as
 * templated units such as {@code mastodon-streaming@4000} and {@code @4001}).
 */
public record ServiceUnits(List<String> sidekiq, List<String> web, List<String> streaming) {
    public ServiceUnits {
        sidekiq = validated(sidekiq);
        web = validated(web);
        streaming = validated(streaming);
    }

    public static ServiceUnits forApp(String app) {
        return new ServiceUnits(List.of(app + "-sidekiq"), List.of(app + "-web"), List.of(app + "-streaming"));
    }

    private static List<String> validated(List<String> units) {
        units.forEach(Inputs::unit);
        return List.copyOf(units);
    }
}

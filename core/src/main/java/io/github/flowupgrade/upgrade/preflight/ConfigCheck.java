package io.github.flowupgrade.upgrade.preflight;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Settings a hop's {@code .env.production.sample} requires (see {@link EnvSample}) that the host's
 * {@code .env.production} lacks, reported by name only: their values are never read off the host. Only settings new
 * since the running release's sample fail the check (Mastodon 4.3's {@code ACTIVE_RECORD_ENCRYPTION_*}, without
 * which web does not start); those the host already runs without are listed, as before.
 */
final class ConfigCheck {
    private static final int SHOWN = 8;

    private ConfigCheck() {}

    static PreflightCheck evaluate(List<ReleaseFiles> targets, ReleaseFiles running, HostFacts host) {
        List<ReleaseFiles> withSample =
                targets.stream().filter(t -> t.envSample().isPresent()).toList();
        if (withSample.isEmpty()) {
            return PreflightCheck.pass(
                    PreflightPolicy.CONFIG,
                    "no .env.production.sample in " + RubyCheck.revisions(targets) + ": nothing to check");
        }
        if (host.settings() == null) {
            return PreflightCheck.warn(
                    PreflightPolicy.CONFIG, ".env.production could not be read: its settings were not checked");
        }
        Set<String> before = EnvSample.required(running.envSample().orElse(null));
        Set<String> missingNew = new LinkedHashSet<>();
        Set<String> missingOld = new LinkedHashSet<>();
        List<String> from = new ArrayList<>();
        for (ReleaseFiles target : withSample) {
            for (String name : EnvSample.required(target.envSample().orElseThrow())) {
                if (host.settings().contains(name)) {
                    continue;
                }
                if (before.contains(name)) {
                    missingOld.add(name);
                } else if (missingNew.add(name) && !from.contains(target.revision())) {
                    from.add(target.revision());
                }
            }
        }
        String old = missingOld.isEmpty()
                ? ""
                : "; " + missingOld.size() + " the running release's sample requires too are unset, as before: "
                        + shown(missingOld);
        if (!missingNew.isEmpty()) {
            return PreflightCheck.fail(
                    PreflightPolicy.CONFIG,
                    ".env.production lacks " + missingNew.size() + " setting(s) the .env.production.sample of "
                            + String.join(", ", from) + " requires: " + shown(missingNew)
                            + " (names only; set them as the release notes say before upgrading)" + old);
        }
        return PreflightCheck.pass(
                PreflightPolicy.CONFIG,
                "every setting new in the .env.production.sample of " + RubyCheck.revisions(withSample) + " is set"
                        + old);
    }

    private static String shown(Set<String> names) {
        List<String> list = new ArrayList<>(names);
        return String.join(", ", list.subList(0, Math.min(SHOWN, list.size())))
                + (list.size() > SHOWN ? " and " + (list.size() - SHOWN) + " more" : "");
    }
}

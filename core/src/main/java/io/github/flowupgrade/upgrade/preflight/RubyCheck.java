package io.github.flowupgrade.upgrade.preflight;

import io.github.flowupgrade.Option;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The Ruby each hop's {@code .ruby-version} names, installed for the application user: with rbenv (as Mastodon's guide
 * installs Ruby) among {@code rbenv versions}, else as the {@code ruby} on its path. A new {@code .ruby-version} that
 * is missing is what leaves hosts half-upgraded: {@code bundle install} fails after the checkout. When the policy
 * allows toolchain tasks and rbenv is there, the version is planned for {@code rbenv install} instead of refused.
 */
final class RubyCheck {
    /** What may go into {@code rbenv install}: a Ruby version as ruby-build names them. */
    static final Pattern INSTALLABLE = Pattern.compile("[0-9][0-9A-Za-z._-]{0,31}");

    private RubyCheck() {}

    /** The check, and the versions to install (empty unless the policy allows it). */
    record Outcome(PreflightCheck check, List<PreflightReport.RubyNeed> installs) {}

    static Outcome evaluate(
            List<ReleaseFiles> targets, ReleaseFiles running, HostFacts host, String appUser, boolean allowInstall) {
        Map<String, String> needed = new LinkedHashMap<>(); // version -> the first hop naming it
        for (ReleaseFiles target : targets) {
            target.ruby().ifPresent(v -> needed.putIfAbsent(v, target.revision()));
        }
        if (needed.isEmpty()) {
            return new Outcome(
                    PreflightCheck.pass(
                            PreflightPolicy.RUBY, "no .ruby-version in " + revisions(targets) + ": nothing to check"),
                    List.of());
        }
        String have = host.rbenvRoot() != null
                ? "rbenv has " + (host.rbenvVersions().isEmpty() ? "none" : String.join(", ", host.rbenvVersions()))
                : "no rbenv; ruby -v: " + (host.ruby() == null ? "none" : host.ruby());
        String runningRuby = running.ruby().orElse(null);
        List<String> missingNew = new ArrayList<>();
        List<String> missingOld = new ArrayList<>();
        needed.forEach((version, tag) -> {
            if (!installed(version, host)) {
                (version.equals(runningRuby) ? missingOld : missingNew).add(version);
            }
        });
        if (missingNew.isEmpty() && missingOld.isEmpty()) {
            return new Outcome(
                    PreflightCheck.pass(
                            PreflightPolicy.RUBY, describe(needed) + " installed for " + appUser + " (" + have + ")"),
                    List.of());
        }
        if (missingNew.isEmpty()) {
            return new Outcome(
                    PreflightCheck.warn(
                            PreflightPolicy.RUBY,
                            String.join(", ", missingOld) + " (named by the running"
                                    + " release too) not found for " + appUser + " (" + have + "); the upgrade does not"
                                    + " change it"),
                    List.of());
        }
        String need = describe(filter(needed, missingNew));
        String commands = "git -C " + (host.rbenvRoot() == null ? "~/.rbenv" : host.rbenvRoot())
                + "/plugins/ruby-build pull && RUBY_CONFIGURE_OPTS=--with-jemalloc rbenv install "
                + String.join(" / ", missingNew);
        if (host.rbenvRoot() != null
                && allowInstall
                && missingNew.stream().allMatch(v -> INSTALLABLE.matcher(v).matches())) {
            return new Outcome(
                    PreflightCheck.warn(
                            PreflightPolicy.RUBY,
                            need + " not installed for " + appUser + " (" + have
                                    + "): planned, before anything else changes: update ruby-build, then rbenv install "
                                    + String.join(", ", missingNew) + " (" + Option.ALLOW_TOOLCHAIN_INSTALL.set()
                                    + ")"),
                    missingNew.stream()
                            .map(v -> new PreflightReport.RubyNeed(v, needed.get(v)))
                            .toList());
        }
        String how = host.rbenvRoot() != null
                ? "Give " + Option.ALLOW_TOOLCHAIN_INSTALL.set() + " to let the upgrade update ruby-build and install"
                        + " it with rbenv, or install it as " + appUser + " yourself: " + commands
                : "Install it for " + appUser + " (Mastodon's guide uses rbenv: " + commands + ")";
        return new Outcome(
                PreflightCheck.fail(
                        PreflightPolicy.RUBY,
                        need + " not installed for " + appUser + " (" + have
                                + "): bundle install would fail after the checkout. " + how),
                List.of());
    }

    private static boolean installed(String version, HostFacts host) {
        if (host.rbenvRoot() != null) {
            return host.rbenvVersions().contains(version);
        }
        return host.ruby() != null && host.ruby().matches("ruby " + Pattern.quote(version) + "([^0-9.].*)?");
    }

    private static Map<String, String> filter(Map<String, String> needed, List<String> versions) {
        Map<String, String> out = new LinkedHashMap<>();
        needed.forEach((v, tag) -> {
            if (versions.contains(v)) {
                out.put(v, tag);
            }
        });
        return out;
    }

    /** "Ruby 3.3.6 (.ruby-version of v4.3.0)". */
    private static String describe(Map<String, String> needed) {
        List<String> parts = new ArrayList<>();
        needed.forEach((version, tag) -> parts.add(version + " (.ruby-version of " + tag + ")"));
        return "Ruby " + String.join(", ", parts);
    }

    static String revisions(List<ReleaseFiles> targets) {
        return String.join(", ", targets.stream().map(ReleaseFiles::revision).toList());
    }
}

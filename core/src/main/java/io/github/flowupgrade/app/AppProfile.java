package io.github.flowupgrade.app;

import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.commands.Inputs;

/**
 * Everything that differs between Mastodon and a Mastodon-derived application: who runs it, where it lives, where its
 * releases are published, its services and how to tell they are healthy, and which upgrade path its guide asks for.
 *
 * @param name profile name ({@code mastodon}, {@code flow} or a custom one)
 * @param user the application user that owns the working tree and runs git, bundle, yarn and rails
 * @param dir the working tree, {@code /home/<user>/live} by default
 * @param repo the GitHub repository publishing releases, {@code owner/name}
 * @param gitUrl the upstream the host fetches from (used to resolve tag commits with ls-remote)
 */
public record AppProfile(
        String name,
        String user,
        String dir,
        String repo,
        String gitUrl,
        ServiceUnits services,
        HealthChecks health,
        HopRule hopRule) {

    public AppProfile {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw FlowException.badInput("profile name must be letters, digits, '.', '_' or '-': " + name);
        }
        Inputs.user(user);
        Inputs.dir(dir);
        Inputs.repo(repo);
        if (gitUrl == null || gitUrl.isBlank()) {
            throw FlowException.badInput("profile " + name + ": missing git URL");
        }
        if (services == null || health == null || hopRule == null) {
            throw FlowException.badInput("profile " + name + ": services, health and hop rule are required");
        }
    }

    /** Mastodon as its admin guide installs it; hops through every minor series, as its current guide asks. */
    public static AppProfile mastodon() {
        return preset("mastodon", "mastodon/mastodon", HopRule.EVERY_MINOR_SERIES);
    }

    /** Flow, a Mastodon-derived server that keeps the original guide's single hop. */
    public static AppProfile flow() {
        return preset("flow", "tootsuite/flow", HopRule.SINGLE_HOP);
    }

    private static AppProfile preset(String app, String repo, HopRule rule) {
        return new AppProfile(
                app,
                app,
                "/home/" + app + "/live",
                repo,
                "https://github.com/" + repo + ".git",
                ServiceUnits.forApp(app),
                HealthChecks.mastodonDefaults(),
                rule);
    }

    /**
     * The profile with a user's overrides of the application user and the working tree, the same for every front end:
     * another user moves a working tree still at its default ({@code /home/<user>/live}) to that user's home; an
     * explicit directory always wins.
     *
     * @param appUser the application user, or null for the profile's
     * @param appDir the working tree, or null for the profile's (or the new user's default)
     */
    public AppProfile withOverrides(String appUser, String appDir) {
        AppProfile profile = this;
        if (appUser != null) {
            profile = profile.withUser(Inputs.user(appUser));
            if (appDir == null && dir.equals("/home/" + user + "/live")) {
                profile = profile.withDir("/home/" + appUser + "/live");
            }
        }
        return appDir == null ? profile : profile.withDir(Inputs.dir(appDir));
    }

    public AppProfile withUser(String newUser) {
        return new AppProfile(name, newUser, dir, repo, gitUrl, services, health, hopRule);
    }

    public AppProfile withDir(String newDir) {
        return new AppProfile(name, user, newDir, repo, gitUrl, services, health, hopRule);
    }

    public AppProfile withRepo(String newRepo) {
        return new AppProfile(
                name, user, dir, newRepo, "https://github.com/" + newRepo + ".git", services, health, hopRule);
    }

    public AppProfile withGitUrl(String newGitUrl) {
        return new AppProfile(name, user, dir, repo, newGitUrl, services, health, hopRule);
    }

    public AppProfile withServices(ServiceUnits newServices) {
        return new AppProfile(name, user, dir, repo, gitUrl, newServices, health, hopRule);
    }

    public AppProfile withHealth(HealthChecks newHealth) {
        return new AppProfile(name, user, dir, repo, gitUrl, services, newHealth, hopRule);
    }

    public AppProfile withHopRule(HopRule newRule) {
        return new AppProfile(name, user, dir, repo, gitUrl, services, health, newRule);
    }
}

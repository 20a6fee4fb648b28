package io.github.flowupgrade.jenkins;

import io.github.flowupgrade.Option;

/**
 * The engine's settings as the steps' parameters: {@code hostKey}, {@code forceUnlock: true}. Installed on the
 * controller and on each agent before the engine runs there ({@link #install()}), so an engine message tells a
 * Pipeline author what to write in the Jenkinsfile, not a CLI option. A setting the steps do not offer says so.
 */
final class StepParameterNames implements Option.Naming {
    static final StepParameterNames INSTANCE = new StepParameterNames();

    private StepParameterNames() {}

    /** Makes the engine in this JVM word its settings as step parameters. */
    static void install() {
        Option.use(INSTANCE);
    }

    @Override
    public String name(Option option) {
        return switch (option) {
            case LOGIN -> "the user name of the credentialsId credential";
            case IDENTITY -> "credentialsId";
            case KNOWN_HOSTS -> "knownHostsFile";
            case ACCEPT_ANY_HOST_KEY -> "(nothing: the steps always verify host keys)";
            case TOKEN -> "githubCredentialsId";
            case LATEST -> "(an empty tag: flowFetchRelease then looks up the newest release)";
            case ALLOW_DOWNGRADE -> "(nothing: the steps never downgrade; flow's --allow-downgrade does)";
            case GITHUB_TIMEOUT -> "(nothing: the steps give GitHub 20 s per request, tried 3 times)";
            case AUDIT_HEAD -> "(the head the step prints with its audit trail, for flow audit verify --head)";
            case CACHE_DIR -> "(the workspace's " + Workspaces.FLOW_DIR + "/github-cache)";
            case AUDIT_LOG -> "(the workspace's " + Workspaces.FLOW_DIR + "/ directory)";
            case APPROVED_BY -> "streamingApprovedBy";
            case APPROVAL_ENVIRONMENT ->
                "(nothing: a GitHub environment's approval is for GitHub Actions only; Jenkins approves with an"
                        + " input step)";
            case INCLUDE_PRERELEASES -> "includePrereleases";
            case NO_BACKUP -> "backup";
            default -> camelCase(option.neutral());
        };
    }

    @Override
    public String withValue(Option option, String value) {
        return name(option) + ": '" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    @Override
    public String set(Option option) {
        // The steps name the backup positively: flow's --no-backup is backup: false.
        return name(option) + (option == Option.NO_BACKUP ? ": false" : ": true");
    }

    private static String camelCase(String neutral) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : neutral.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }
}

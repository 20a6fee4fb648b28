package io.github.flowupgrade.cli;

import io.github.flowupgrade.Option;
import io.github.flowupgrade.commands.Shell;

/** The engine's settings as {@code flow}'s options: {@code --host-key}, {@code --force-unlock}. */
final class CliOptionNames implements Option.Naming {
    static final CliOptionNames INSTANCE = new CliOptionNames();

    private CliOptionNames() {}

    @Override
    public String name(Option option) {
        return switch (option) {
            case TOKEN -> "--token-env";
            case ACCEPT_ANY_HOST_KEY -> "--insecure-accept-any-host-key";
            case GITHUB_TIMEOUT -> "--timeout";
            case AUDIT_HEAD -> "--head";
            default -> "--" + option.neutral();
        };
    }

    @Override
    public String withValue(Option option, String value) {
        return name(option) + " " + Shell.quote(value);
    }

    @Override
    public String set(Option option) {
        return name(option);
    }
}

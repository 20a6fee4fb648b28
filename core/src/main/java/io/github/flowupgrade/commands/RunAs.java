package io.github.flowupgrade.commands;

import io.github.flowupgrade.FlowException;
import java.util.List;
import java.util.Locale;

/**
 * How commands reach the application user, and root, from the SSH login.
 *
 * <ul>
 *   <li>{@link Direct}: the login is the application user; root actions go through {@code sudo -n}.
 *   <li>{@link Su}: the login is root; application commands run through {@code su - <user> -c}, root actions
 *       directly.
 *   <li>{@link Sudo}: the login is a deploy user; application commands run through {@code sudo -n -u <user> -H},
 *       root actions through {@code sudo -n}. {@code -n} makes a sudo that wants a password fail at once instead of
 *       waiting for one.
 * </ul>
 */
public sealed interface RunAs {
    /** The user application commands run as. */
    String appUser();

    /** The option value that selects this mode: {@code direct}, {@code su} or {@code sudo}. */
    String mode();

    /** {@code command} as the application user. */
    Command app(Command command);

    /** {@code command}, a simple argv command such as {@code systemctl restart mastodon-web}, as root. */
    Command root(Command command);

    /**
     * The mode for a login when none was chosen: root reaches the application user through {@code su}, as the admin
     * guide does ({@code su - mastodon}); any other login is taken to be the application user itself.
     */
    static RunAs of(String mode, String appUser, String login) {
        if (mode == null) {
            return "root".equals(login) ? new Su(appUser) : new Direct(appUser);
        }
        return of(mode, appUser);
    }

    /** Parses a run-as mode: {@code direct}, {@code su} or {@code sudo}. */
    static RunAs of(String mode, String appUser) {
        Inputs.user(appUser);
        if (mode == null) {
            throw FlowException.badInput("missing run-as mode (direct, su or sudo)");
        }
        return switch (mode.toLowerCase(Locale.ROOT)) {
            case "direct" -> new Direct(appUser);
            case "su" -> new Su(appUser);
            case "sudo" -> new Sudo(appUser);
            default ->
                throw FlowException.badInput(
                        "unknown run-as mode " + Inputs.printable(mode) + ": use direct, su or sudo");
        };
    }

    /** The login is the application user. */
    record Direct(String appUser) implements RunAs {
        public Direct {
            Inputs.user(appUser);
        }

        @Override
        public String mode() {
            return "direct";
        }

        @Override
        public Command app(Command command) {
            return command;
        }

        @Override
        public Command root(Command command) {
            return sudoRoot(command);
        }
    }

    /** The login is root. */
    record Su(String appUser) implements RunAs {
        public Su {
            Inputs.user(appUser);
        }

        @Override
        public String mode() {
            return "su";
        }

        @Override
        public Command app(Command command) {
            String prefix = Shell.join(List.of("su", "-", appUser, "-c")) + " ";
            return new Command(prefix + Shell.quote(command.line()), prefix + Shell.quote(command.redacted()));
        }

        @Override
        public Command root(Command command) {
            return command;
        }
    }

    /** The login is a deploy user allowed to run commands as the application user and root without a password. */
    record Sudo(String appUser) implements RunAs {
        public Sudo {
            Inputs.user(appUser);
        }

        @Override
        public String mode() {
            return "sudo";
        }

        @Override
        public Command app(Command command) {
            String prefix = Shell.join(List.of("sudo", "-n", "-u", appUser, "-H", "sh", "-c")) + " ";
            return new Command(prefix + Shell.quote(command.line()), prefix + Shell.quote(command.redacted()));
        }

        @Override
        public Command root(Command command) {
            return sudoRoot(command);
        }
    }

    /**
     * Root actions are simple argv commands ({@code systemctl restart mastodon-web}), sent to sudo as they are, not
     * through a shell, so narrow sudoers rules naming exact commands match them.
     */
    private static Command sudoRoot(Command command) {
        return new Command("sudo -n " + command.line(), "sudo -n " + command.redacted());
    }

    /** Whether standard error shows that {@code sudo -n} refused because it wanted a password. */
    static boolean sudoWantedPassword(String stderr) {
        return stderr != null
                && (stderr.contains("sudo: a password is required") || stderr.contains("sudo: a terminal is required"));
    }
}

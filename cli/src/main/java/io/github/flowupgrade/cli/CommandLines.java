package io.github.flowupgrade.cli;

import io.github.flowupgrade.commands.Shell;
import java.util.ArrayList;
import java.util.List;

/**
 * Command lines shown to the user (to resume, roll back or approve later) that reach the same host the same way. They
 * carry no secret: keys and passphrases are named by file or environment variable only.
 */
final class CommandLines {
    private CommandLines() {}

    /** {@code flow {command} --host h ...}, with {@code {command}} for the subcommand. */
    static String prefix(ConnectionOptions c, String host) {
        List<String> words = new ArrayList<>(List.of("--host", host));
        if (c.port != 22) {
            words.add("--port");
            words.add(Integer.toString(c.port));
        }
        if (c.login != null) {
            words.add("--login");
            words.add(c.login);
        }
        words.add("--as");
        words.add(c.as);
        if (c.identity != null) {
            words.add("--identity");
            words.add(c.identity.toString());
        }
        if (c.passphraseEnv != null) {
            words.add("--identity-passphrase-env");
            words.add(c.passphraseEnv);
        }
        if (c.knownHosts != null) {
            words.add("--known-hosts");
            words.add(c.knownHosts.toString());
        }
        for (String key : c.hostKeys) {
            words.add("--host-key");
            words.add(key);
        }
        if (!"mastodon".equals(c.app)) {
            words.add("--app");
            words.add(c.app);
        }
        if (c.appUser != null) {
            words.add("--app-user");
            words.add(c.appUser);
        }
        if (c.dir != null) {
            words.add("--dir");
            words.add(c.dir);
        }
        return "flow {command} " + Shell.join(words);
    }
}

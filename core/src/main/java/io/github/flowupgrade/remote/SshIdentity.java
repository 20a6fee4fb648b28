package io.github.flowupgrade.remote;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * The private key a connection authenticates with, from a file or from its content (as a CI credential hands it
 * over), with an optional passphrase. Neither the key content nor the passphrase is ever printed: {@link #toString()}
 * names only the file.
 */
public final class SshIdentity {
    private final Path file;
    private final String content;
    private final char[] passphrase;

    private SshIdentity(Path file, String content, char[] passphrase) {
        this.file = file;
        this.content = content;
        this.passphrase = passphrase == null ? null : passphrase.clone();
    }

    public static SshIdentity fromFile(Path file, char[] passphrase) {
        return new SshIdentity(Objects.requireNonNull(file, "file"), null, passphrase);
    }

    public static SshIdentity fromContent(String privateKey, char[] passphrase) {
        return new SshIdentity(null, Objects.requireNonNull(privateKey, "privateKey"), passphrase);
    }

    /** The key file, or null when the key was given as content. */
    public Path file() {
        return file;
    }

    String content() {
        return content;
    }

    /** A copy of the passphrase (the SSH library blanks what it is given), or null. */
    char[] passphrase() {
        return passphrase == null ? null : passphrase.clone();
    }

    /** Overwrites the passphrase in memory once the connections are made. */
    public void forget() {
        if (passphrase != null) {
            Arrays.fill(passphrase, '\0');
        }
    }

    /** Where the key came from, safe to print. */
    public String describe() {
        return file != null ? "key file " + file : "key given as content";
    }

    @Override
    public String toString() {
        return describe();
    }
}

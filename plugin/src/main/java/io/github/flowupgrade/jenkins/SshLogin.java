package io.github.flowupgrade.jenkins;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The SSH login resolved on the controller from an {@code SSHUserPrivateKey} credential, carried to the agent inside
 * a task: the user name, the private key content and its passphrase. Never printed: {@link #toString()} names the
 * credential id only.
 */
final class SshLogin implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String credentialsId;
    private final String username;
    private final String privateKey;
    private final char[] passphrase;

    SshLogin(String credentialsId, String username, String privateKey, char[] passphrase) {
        this.credentialsId = credentialsId;
        this.username = username;
        this.privateKey = privateKey;
        this.passphrase = passphrase == null ? null : passphrase.clone();
    }

    String credentialsId() {
        return credentialsId;
    }

    String username() {
        return username;
    }

    String privateKey() {
        return privateKey;
    }

    char[] passphrase() {
        return passphrase == null ? null : passphrase.clone();
    }

    /** Overwrites the passphrase once the engine holds its own copy. */
    void forget() {
        if (passphrase != null) {
            Arrays.fill(passphrase, '\0');
        }
    }

    @Override
    public String toString() {
        return "SSH key of credentials " + credentialsId + " (user " + username + ")";
    }
}

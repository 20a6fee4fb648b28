package io.github.flowupgrade.jenkins;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import hudson.AbortException;
import hudson.model.Run;
import hudson.util.Secret;
import java.util.List;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * Resolves credentials by id on the controller, in the context of the build (so folder credentials and the build's
 * authentication apply), and records their use on the build. Only ids ever appear in step arguments.
 */
final class StepCredentials {
    private StepCredentials() {}

    /** The SSH login of an {@code SSHUserPrivateKey} credential; fails the step when it is missing. */
    static SshLogin sshLogin(Run<?, ?> run, String credentialsId) throws AbortException {
        if (credentialsId == null) {
            throw new AbortException(Messages.Check_Required("credentialsId"));
        }
        SSHUserPrivateKey key = CredentialsProvider.findCredentialById(credentialsId, SSHUserPrivateKey.class, run);
        if (key == null) {
            throw new AbortException(Messages.Step_CredentialsNotFound(credentialsId, "SSH Username with private key"));
        }
        CredentialsProvider.track(run, key);
        List<String> keys = key.getPrivateKeys();
        if (keys.isEmpty()) {
            throw new AbortException(Messages.Step_NoKey(credentialsId));
        }
        Secret passphrase = key.getPassphrase();
        String phrase = passphrase == null ? "" : passphrase.getPlainText();
        return new SshLogin(
                credentialsId, key.getUsername(), keys.get(0), phrase.isEmpty() ? null : phrase.toCharArray());
    }

    /** The GitHub token of a secret text credential, or null when no id was given. */
    static String gitHubToken(Run<?, ?> run, String credentialsId) throws AbortException {
        if (credentialsId == null) {
            return null;
        }
        StringCredentials token = CredentialsProvider.findCredentialById(credentialsId, StringCredentials.class, run);
        if (token == null) {
            throw new AbortException(Messages.Step_CredentialsNotFound(credentialsId, "Secret text"));
        }
        CredentialsProvider.track(run, token);
        return token.getSecret().getPlainText();
    }
}

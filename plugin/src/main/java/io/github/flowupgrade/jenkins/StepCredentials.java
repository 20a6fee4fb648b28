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
 * authentication apply) and of where they will be used (credential domains: {@link CredentialDomains}), and records
 * their use on the build. Only ids ever appear in step arguments.
 */
final class StepCredentials {
    private StepCredentials() {}

    /**
     * The SSH login of an {@code SSHUserPrivateKey} credential usable for {@code ssh://host:port}; fails the step when
     * there is none.
     */
    static SshLogin sshLogin(Run<?, ?> run, String credentialsId, String host, int port) throws AbortException {
        if (credentialsId == null) {
            throw new AbortException(Messages.Check_Required("credentialsId"));
        }
        String uri = CredentialDomains.sshUri(host, port);
        SSHUserPrivateKey key = CredentialsProvider.findCredentialById(
                credentialsId, SSHUserPrivateKey.class, run, CredentialDomains.requirements(uri));
        if (key == null) {
            throw new AbortException(
                    Messages.Step_CredentialsNotFound(credentialsId, "SSH Username with private key", uri));
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

    /**
     * The GitHub token of a secret text credential usable for the API at {@code apiUrl} (null: api.github.com), or
     * null when no id was given.
     */
    static String gitHubToken(Run<?, ?> run, String credentialsId, String apiUrl) throws AbortException {
        if (credentialsId == null) {
            return null;
        }
        String uri = CredentialDomains.gitHubUri(apiUrl);
        StringCredentials token = CredentialsProvider.findCredentialById(
                credentialsId, StringCredentials.class, run, CredentialDomains.requirements(uri));
        if (token == null) {
            throw new AbortException(Messages.Step_CredentialsNotFound(credentialsId, "Secret text", uri));
        }
        CredentialsProvider.track(run, token);
        return token.getSecret().getPlainText();
    }
}

package io.github.flowupgrade.jenkins;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import hudson.model.Item;
import hudson.model.Queue;
import hudson.model.queue.Tasks;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import java.util.List;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.springframework.security.core.Authentication;

/**
 * Credential drop-downs and their validation, with the permission checks of the credentials plugin's consumer guide:
 * only users who may configure the item (or use its credentials) see the list; the others see the current value only.
 * Credentials are listed as the build will see them (the job's authentication, or SYSTEM outside a job).
 */
final class CredentialForms {
    private CredentialForms() {}

    /** SSH keys for {@code ssh://host:port} (any host while the host field is empty). */
    static ListBoxModel fillSshKey(Item item, String current, String host, String port) {
        return fill(item, current, SSHUserPrivateKey.class, sshUri(host, port));
    }

    static FormValidation checkSshKey(Item item, String value, String host, String port) {
        return check(item, value, SSHUserPrivateKey.class, sshUri(host, port), true);
    }

    static ListBoxModel fillGitHubToken(Item item, String current, String apiUrl) {
        return fill(item, current, StringCredentials.class, CredentialDomains.gitHubUri(apiUrl));
    }

    static FormValidation checkGitHubToken(Item item, String value, String apiUrl) {
        return check(item, value, StringCredentials.class, CredentialDomains.gitHubUri(apiUrl), false);
    }

    /** The URI the step will look the key up for; the port as the step defaults it when the field is not a number. */
    static String sshUri(String host, String port) {
        String name = Params.trimToNull(host);
        if (name == null) {
            return null;
        }
        int number;
        try {
            number = Params.blank(port) ? HostStep.DEFAULT_PORT : Integer.parseInt(port.trim());
        } catch (NumberFormatException e) {
            number = HostStep.DEFAULT_PORT;
        }
        return CredentialDomains.sshUri(name, number > 0 ? number : HostStep.DEFAULT_PORT);
    }

    private static ListBoxModel fill(Item item, String current, Class<? extends StandardCredentials> type, String uri) {
        StandardListBoxModel result = new StandardListBoxModel();
        String value = current == null ? "" : current;
        if (!mayList(item)) {
            return result.includeCurrentValue(value);
        }
        return result.includeEmptyValue()
                .includeMatchingAs(authentication(item), item, type, requirements(uri), CredentialsMatchers.always())
                .includeCurrentValue(value);
    }

    private static FormValidation check(
            Item item, String value, Class<? extends StandardCredentials> type, String uri, boolean required) {
        if (!mayList(item)) {
            return FormValidation.ok();
        }
        if (Params.blank(value)) {
            return required ? FormValidation.error(Messages.Check_Required("credentialsId")) : FormValidation.ok();
        }
        if (value.startsWith("${") && value.endsWith("}")) {
            return FormValidation.warning(Messages.Check_CredentialsExpression());
        }
        ListBoxModel found = CredentialsProvider.listCredentialsInItem(
                type, item, authentication(item), requirements(uri), CredentialsMatchers.withId(value));
        return found.isEmpty() ? FormValidation.error(Messages.Check_CredentialsNotFound()) : FormValidation.ok();
    }

    private static boolean mayList(Item item) {
        if (item == null) {
            return Jenkins.get().hasPermission(Jenkins.ADMINISTER);
        }
        return item.hasPermission(Item.EXTENDED_READ) || item.hasPermission(CredentialsProvider.USE_ITEM);
    }

    private static Authentication authentication(Item item) {
        return item instanceof Queue.Task task ? Tasks.getAuthenticationOf2(task) : ACL.SYSTEM2;
    }

    private static List<DomainRequirement> requirements(String uri) {
        return CredentialDomains.requirements(uri);
    }
}

package io.github.flowupgrade.upgrade.approval;

import java.util.List;

/**
 * What a human is asked to approve.
 *
 * @param host the host the action runs on
 * @param action what will happen, e.g. {@code restart mastodon-streaming}
 * @param reason why it is needed
 * @param releases the releases that asked for it (may be empty)
 */
public record ApprovalRequest(String host, String action, String reason, List<String> releases) {
    public ApprovalRequest {
        releases = List.copyOf(releases);
    }
}

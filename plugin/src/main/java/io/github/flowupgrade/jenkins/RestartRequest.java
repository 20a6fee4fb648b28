package io.github.flowupgrade.jenkins;

import java.io.Serializable;
import java.util.List;

/**
 * What {@code flowRestartServices} asks the engine for: the roles to restart besides streaming, the streaming policy
 * ({@code never}, {@code if-needed}, {@code always}; null for the engine's default), and the streaming gate's verdict,
 * reached on the controller, how services are restarted, and whether a lock left by a dead run is removed first.
 */
record RestartRequest(
        List<String> roles,
        String streaming,
        ApprovalVerdict approval,
        ServiceStep.Restarts restarts,
        boolean forceUnlock)
        implements Serializable {
    RestartRequest {
        roles = List.copyOf(roles);
    }

    /** A request that leaves a held lock to refuse the run. */
    RestartRequest(List<String> roles, String streaming, ApprovalVerdict approval, ServiceStep.Restarts restarts) {
        this(roles, streaming, approval, restarts, false);
    }
}

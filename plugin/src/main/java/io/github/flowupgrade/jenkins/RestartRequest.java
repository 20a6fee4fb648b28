package io.github.flowupgrade.jenkins;

import java.io.Serializable;
import java.util.List;

/**
 * What {@code flowRestartServices} asks the engine for: the roles to restart besides streaming, the streaming policy
 * ({@code never}, {@code if-needed}, {@code always}; null for the engine's default), and the streaming gate's verdict,
 * reached on the controller, and how services are restarted.
 */
record RestartRequest(List<String> roles, String streaming, ApprovalVerdict approval, ServiceStep.Restarts restarts)
        implements Serializable {
    RestartRequest {
        roles = List.copyOf(roles);
    }
}

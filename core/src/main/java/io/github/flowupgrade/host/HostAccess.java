package io.github.flowupgrade.host;

import io.github.flowupgrade.commands.Inputs;
import io.github.flowupgrade.commands.RunAs;
import io.github.flowupgrade.remote.Transport;
import java.util.Objects;

/**
 * One host as the upgrade operations see it: the transport, the SSH login, how commands reach the application user
 * and root from it, and the application's working tree.
 */
public record HostAccess(Transport transport, String loginUser, RunAs runAs, String appDir) {
    public HostAccess {
        Objects.requireNonNull(transport, "transport");
        Inputs.user(loginUser);
        Objects.requireNonNull(runAs, "runAs");
        Inputs.dir(appDir);
    }

    public String host() {
        return transport.host();
    }

    public String appUser() {
        return runAs.appUser();
    }
}

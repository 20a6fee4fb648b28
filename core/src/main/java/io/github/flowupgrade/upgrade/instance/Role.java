package io.github.flowupgrade.upgrade.instance;

import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.commands.Inputs;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** What a host of an instance runs: Puma (web), the job workers (sidekiq), the streaming server (streaming). */
public enum Role {
    WEB,
    SIDEKIQ,
    STREAMING;

    /** The name in an instance description: {@code web}, {@code sidekiq}, {@code streaming}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code roles} in the order of this enum, so every listing reads the same. */
    static List<Role> valuesInOrder(Set<Role> roles) {
        return Arrays.stream(values()).filter(roles::contains).toList();
    }

    static Role parse(String value, String where) {
        for (Role role : values()) {
            if (role.wireName().equals(value)) {
                return role;
            }
        }
        throw FlowException.badInput(where + " names the role " + Inputs.printable(value)
                + "; the roles are web, sidekiq and streaming (the host that runs the migrations is named by"
                + " migrationHost)");
    }
}

package io.github.flowupgrade.upgrade.instance;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One machine of an instance, as its description names it.
 *
 * @param host the name or address to connect to
 * @param port its SSH port, or null for the run's
 * @param login its SSH login, or null for the run's
 * @param as how the login reaches the application user ({@code direct}, {@code su}, {@code sudo}), or null for the
 *     run's
 * @param hostKeys its pinned SHA256 host key fingerprints; empty for the run's host key settings
 * @param roles what it runs
 */
public record InstanceHost(String host, Integer port, String login, String as, List<String> hostKeys, Set<Role> roles) {
    public InstanceHost {
        hostKeys = List.copyOf(hostKeys);
        roles = Set.copyOf(roles);
    }

    /**
     * How the run names the host in messages, results and the audit trail: {@code host}, or {@code host:port} when
     * the description gives a port ({@code [::1]:2222} for an IPv6 address), so two hosts behind one address stay
     * apart.
     */
    public String label() {
        if (port == null) {
            return host;
        }
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("host", label());
        map.put("roles", Role.valuesInOrder(roles).stream().map(Role::wireName).toList());
        return map;
    }
}

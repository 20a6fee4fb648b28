package io.github.flowupgrade.upgrade.instance;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One Mastodon instance spread over several machines that share one database and Redis (Mastodon's "Scaling up your
 * server"): its hosts with their roles, and the one host that runs the database migrations. Read and validated by
 * {@link InstanceDescriptions}; every host runs the application's code, so every one is checked out.
 *
 * @param name how the instance is called in messages and the approval prompt
 * @param hosts in the order the description lists them: the order web is reloaded in, one host at a time
 * @param migrationHost the label ({@link InstanceHost#label()}) of the host that runs the migrations and the backup
 */
public record InstanceDescription(String name, List<InstanceHost> hosts, String migrationHost) {
    public InstanceDescription {
        hosts = List.copyOf(hosts);
    }

    /** The hosts that have {@code role}, in the description's order. */
    public List<InstanceHost> hostsWith(Role role) {
        return hosts.stream().filter(h -> h.has(role)).toList();
    }

    /** The host that runs the database backup and the migrations. */
    public InstanceHost migrations() {
        return host(migrationHost);
    }

    /** The host of {@code label}. */
    public InstanceHost host(String label) {
        return hosts.stream()
                .filter(h -> h.label().equals(label))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no host " + label + " in " + name));
    }

    public List<String> labels() {
        return hosts.stream().map(InstanceHost::label).toList();
    }

    /**
     * The order the hosts' locks are taken in: by label, whatever the order of the description, so that two runs on
     * the same hosts always contend for the same lock first and the later one is refused before it holds any.
     */
    public List<InstanceHost> lockOrder() {
        List<InstanceHost> sorted = new ArrayList<>(hosts);
        sorted.sort(Comparator.comparing(InstanceHost::label));
        return sorted;
    }

    /** The order the locks are released in: the reverse of {@link #lockOrder()}. */
    public List<InstanceHost> unlockOrder() {
        List<InstanceHost> reversed = new ArrayList<>(lockOrder());
        Collections.reverse(reversed);
        return reversed;
    }

    /** The description as results report it: the name, each host with its roles, the migration host. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", name);
        map.put("hosts", new ArrayList<>(hosts.stream().map(InstanceHost::toMap).toList()));
        map.put("migrationHost", migrationHost);
        return map;
    }
}

package io.github.flowupgrade.upgrade.instance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.commands.Inputs;
import io.github.flowupgrade.commands.RunAs;
import io.github.flowupgrade.remote.HostKeyPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads an instance description from JSON and refuses, before anything runs, anything it cannot stand behind: an
 * unknown field, a host given twice, no migration host or one that is not listed, a role no host has, a host that
 * has nothing to do, and any connection setting a command line option would refuse.
 *
 * <pre>{@code
 * {"name": "social.example.org",
 *  "migrationHost": "web1.example.org",
 *  "hosts": [
 *    {"host": "web1.example.org", "roles": ["web"], "hostKey": "SHA256:..."},
 *    {"host": "web2.example.org", "roles": ["web", "sidekiq"], "port": 2222, "login": "deploy", "as": "sudo"},
 *    {"host": "stream.example.org", "roles": ["streaming"], "hostKey": ["SHA256:...", "SHA256:..."]}]}
 * }</pre>
 */
public final class InstanceDescriptions {
    private static final Set<String> FIELDS = Set.of("name", "hosts", "migrationHost");
    private static final Set<String> HOST_FIELDS = Set.of("host", "roles", "port", "login", "as", "hostKey");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    /** More would be a cluster no single run should walk through one host at a time. */
    static final int MAX_HOSTS = 100;

    private static final int MAX_BYTES = 256 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private InstanceDescriptions() {}

    /** Reads the file {@code file}. */
    public static InstanceDescription fromFile(Path file) {
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw FlowException.badInput("instance description " + file + " is larger than " + MAX_BYTES
                        + " bytes; it lists hosts and their roles only");
            }
            return fromJson(Files.readString(file));
        } catch (IOException e) {
            throw FlowException.badInput("cannot read the instance description " + file + ": " + e.getMessage());
        }
    }

    public static InstanceDescription fromJson(String json) {
        if (json != null && json.length() > MAX_BYTES) {
            throw FlowException.badInput("instance description is larger than " + MAX_BYTES + " characters");
        }
        JsonNode root;
        try {
            root = JSON.readTree(json == null ? "" : json);
        } catch (JsonProcessingException e) {
            throw FlowException.badInput("instance description is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw FlowException.badInput("instance description must be a JSON object with hosts and migrationHost");
        }
        knownFields(root, FIELDS, "instance description");
        List<InstanceHost> hosts = hosts(root.get("hosts"));
        List<String> labels = hosts.stream().map(InstanceHost::label).toList();
        JsonNode migration = root.get("migrationHost");
        if (migration == null || migration.isNull()) {
            throw FlowException.badInput("instance description names no migrationHost: the one host that backs the"
                    + " database up and runs the migrations, once for the whole instance (one of " + labels + ")");
        }
        String migrationHost = text(migration, "migrationHost");
        if (!labels.contains(migrationHost)) {
            throw FlowException.badInput("migrationHost " + Inputs.printable(migrationHost)
                    + " is not one of the instance's hosts " + labels
                    + " (a host with a port is named host:port)");
        }
        for (Role role : Role.values()) {
            if (hosts.stream().noneMatch(h -> h.has(role))) {
                throw FlowException.badInput("no host of the instance has the role " + role.wireName()
                        + ": every instance runs web, sidekiq and streaming somewhere");
            }
        }
        for (InstanceHost host : hosts) {
            if (host.roles().isEmpty() && !host.label().equals(migrationHost)) {
                throw FlowException.badInput("host " + host.label() + " has no role and does not run the"
                        + " migrations: give it roles (web, sidekiq, streaming) or leave it out");
            }
        }
        String name = root.has("name") ? text(root.get("name"), "name") : migrationHost;
        if (!NAME.matcher(name).matches()) {
            throw FlowException.badInput("instance name " + Inputs.printable(name)
                    + " must be 1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return new InstanceDescription(name, hosts, migrationHost);
    }

    private static List<InstanceHost> hosts(JsonNode node) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw FlowException.badInput("instance description must list its hosts: \"hosts\": [{\"host\": ...,"
                    + " \"roles\": [...]}, ...]");
        }
        if (node.size() > MAX_HOSTS) {
            throw FlowException.badInput("instance description lists " + node.size() + " hosts; at most " + MAX_HOSTS);
        }
        List<InstanceHost> hosts = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (int i = 0; i < node.size(); i++) {
            InstanceHost host = host(node.get(i), "hosts[" + i + "]");
            // One machine named twice would be locked, checked out and restarted twice.
            String key = host.host().toLowerCase(Locale.ROOT) + " " + host.port();
            if (!seen.add(key)) {
                throw FlowException.badInput("host " + host.label() + " is listed twice in the instance description");
            }
            hosts.add(host);
        }
        return hosts;
    }

    private static InstanceHost host(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw FlowException.badInput(where + " must be a JSON object such as {\"host\": \"web1.example.org\","
                    + " \"roles\": [\"web\"]}");
        }
        knownFields(node, HOST_FIELDS, where);
        if (!node.has("host")) {
            throw FlowException.badInput(where + " names no host");
        }
        String host = Inputs.host(text(node.get("host"), where + ".host"));
        Integer port = null;
        if (node.has("port")) {
            JsonNode value = node.get("port");
            if (!value.isInt()) {
                throw FlowException.badInput(where + ".port must be a number (1 to 65535)");
            }
            port = Inputs.port(value.intValue());
        }
        String login = node.has("login") ? Inputs.user(text(node.get("login"), where + ".login")) : null;
        String as = null;
        if (node.has("as")) {
            as = text(node.get("as"), where + ".as").toLowerCase(Locale.ROOT);
            RunAs.of(as, "mastodon"); // refuses a mode other than direct, su and sudo
        }
        List<String> hostKeys = hostKeys(node.get("hostKey"), where + ".hostKey");
        return new InstanceHost(host, port, login, as, hostKeys, roles(node.get("roles"), where + ".roles"));
    }

    private static Set<Role> roles(JsonNode node, String where) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        if (node == null) {
            return roles;
        }
        if (!node.isArray()) {
            throw FlowException.badInput(where + " must be a list such as [\"web\", \"sidekiq\"]");
        }
        for (JsonNode item : node) {
            Role role = Role.parse(text(item, where), where);
            if (!roles.add(role)) {
                throw FlowException.badInput(where + " names " + role.wireName() + " twice");
            }
        }
        return roles;
    }

    private static List<String> hostKeys(JsonNode node, String where) {
        if (node == null) {
            return List.of();
        }
        List<String> keys = new ArrayList<>();
        if (node.isArray()) {
            for (JsonNode item : node) {
                keys.add(text(item, where));
            }
        } else {
            keys.add(text(node, where));
        }
        // Checked as --host-key checks it: SHA256: and 43 base64 characters.
        return new HostKeyPolicy.Pinned(keys).fingerprints();
    }

    private static void knownFields(JsonNode node, Set<String> known, String where) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!known.contains(field)) {
                throw FlowException.badInput("unknown field " + Inputs.printable(field) + " in " + where + " (known: "
                        + new TreeSet<>(known) + ")");
            }
        }
    }

    private static String text(JsonNode node, String where) {
        if (node == null || !node.isTextual()) {
            throw FlowException.badInput(where + " must be a string");
        }
        return node.asText();
    }
}

package io.github.flowupgrade.upgrade.instance;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.commands.Command;
import io.github.flowupgrade.commands.RunAs;
import io.github.flowupgrade.remote.ConnectionSettings;
import io.github.flowupgrade.remote.DryRunTransport;
import io.github.flowupgrade.remote.ExecResult;
import io.github.flowupgrade.remote.HostKeyPolicy;
import io.github.flowupgrade.remote.OutputSink;
import io.github.flowupgrade.remote.SshTarget;
import io.github.flowupgrade.remote.SshTransport;
import io.github.flowupgrade.remote.Transport;
import io.github.flowupgrade.remote.TransportFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How the run reaches each host of an instance: the run's own connection settings (port, login, run-as mode, host
 * keys), replaced by whatever the host's description gives. Resolved, and checked, before any connection.
 */
public final class InstanceConnections {
    /**
     * The run's settings, which a host's description may override.
     *
     * @param login the login given for the run, or null for the one the run-as mode implies (root for su, the
     *     application user for direct)
     * @param as the run-as mode given for the run, or null (su for a root login, else direct)
     * @param hostKeys the run's host key policy, for the hosts that pin no key of their own
     */
    public record Defaults(int port, String login, String as, HostKeyPolicy hostKeys, String appUser) {}

    /** One host, resolved: where to connect, which keys it may show, how commands reach the application user. */
    public record Endpoint(String label, SshTarget target, HostKeyPolicy hostKeys, RunAs runAs) {
        public String login() {
            return target.login();
        }
    }

    /** Opens the transport to one host. */
    @FunctionalInterface
    public interface Opener {
        Transport open(Endpoint endpoint);
    }

    private final Map<String, Endpoint> endpoints;
    private final Opener opener;

    private InstanceConnections(Map<String, Endpoint> endpoints, Opener opener) {
        this.endpoints = endpoints;
        this.opener = opener;
    }

    /**
     * @throws FlowException {@code BAD_INPUT} when a host's settings do not make a login (sudo without one), or two
     *     hosts end up at the same address and port once the run's port fills in the ones the description leaves out
     */
    public static InstanceConnections of(InstanceDescription instance, Defaults defaults, Opener opener) {
        Map<String, Endpoint> endpoints = new LinkedHashMap<>();
        Map<String, String> places = new HashMap<>();
        for (InstanceHost host : instance.hosts()) {
            Endpoint endpoint = endpoint(host, defaults);
            String place = host.host().toLowerCase(Locale.ROOT) + ":"
                    + endpoint.target().port();
            String other = places.putIfAbsent(place, host.label());
            if (other != null) {
                throw FlowException.badInput("hosts " + other + " and " + host.label() + " of the instance are the same"
                        + " machine (" + place + "): list it once, with all its roles");
            }
            endpoints.put(host.label(), endpoint);
        }
        return new InstanceConnections(endpoints, opener);
    }

    private static Endpoint endpoint(InstanceHost host, Defaults defaults) {
        String mode = host.as() != null ? host.as() : defaults.as();
        String given = host.login() != null ? host.login() : defaults.login();
        RunAs runAs = RunAs.of(mode, defaults.appUser(), given);
        String login = given;
        if (login == null) {
            if (runAs instanceof RunAs.Sudo) {
                throw FlowException.badInput("host " + host.label() + " reaches " + defaults.appUser()
                        + " with sudo but names no login: give the deploy user that may sudo (\"login\")");
            }
            login = runAs instanceof RunAs.Su ? "root" : runAs.appUser();
        }
        int port = host.port() != null ? host.port() : defaults.port();
        HostKeyPolicy keys =
                host.hostKeys().isEmpty() ? defaults.hostKeys() : new HostKeyPolicy.Pinned(host.hostKeys());
        return new Endpoint(host.label(), new SshTarget(host.host(), port, login), keys, runAs);
    }

    public Endpoint endpoint(String label) {
        Endpoint endpoint = endpoints.get(label);
        if (endpoint == null) {
            throw new IllegalArgumentException("no host " + label + " in the instance");
        }
        return endpoint;
    }

    /** Opens a host by its label. */
    public TransportFactory transports() {
        return label -> opener.open(endpoint(label));
    }

    /**
     * SSH with the run's key, timeouts and keepalive, and each host's own host key policy. A host the description
     * gives a port keeps its label ({@code host:port}) in messages and the audit trail.
     */
    public static Opener ssh(ConnectionSettings settings, Console console) {
        return endpoint -> {
            ConnectionSettings own = new ConnectionSettings(
                    settings.identity(), endpoint.hostKeys(), settings.connectTimeout(), settings.keepAlive());
            Transport transport = SshTransport.connect(endpoint.target(), own, console);
            return endpoint.label().equals(transport.host()) ? transport : new Labeled(endpoint.label(), transport);
        };
    }

    /** A dry run: every command printed under the host's label, none run. */
    public static Opener dryRun(Console console) {
        return endpoint -> new DryRunTransport(endpoint.label(), console);
    }

    /** A transport named by its label rather than by the address it connects to. */
    private record Labeled(String host, Transport transport) implements Transport {
        @Override
        public boolean executes() {
            return transport.executes();
        }

        @Override
        public ExecResult run(Command command, OutputSink sink, Duration timeout) {
            return transport.run(command, sink, timeout);
        }

        @Override
        public void close() {
            transport.close();
        }
    }
}

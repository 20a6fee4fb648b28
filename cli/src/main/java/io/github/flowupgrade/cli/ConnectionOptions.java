package io.github.flowupgrade.cli;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.app.AppProfile;
import io.github.flowupgrade.app.AppProfiles;
import io.github.flowupgrade.audit.Redactor;
import io.github.flowupgrade.commands.Inputs;
import io.github.flowupgrade.commands.RunAs;
import io.github.flowupgrade.host.HostFanOut;
import io.github.flowupgrade.remote.ConnectionSettings;
import io.github.flowupgrade.remote.DryRunTransport;
import io.github.flowupgrade.remote.HostKeyPolicy;
import io.github.flowupgrade.remote.SshIdentity;
import io.github.flowupgrade.remote.SshTarget;
import io.github.flowupgrade.remote.SshTransport;
import io.github.flowupgrade.remote.TransportFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * How to reach the hosts and run commands there: the options every command that acts on hosts shares ({@code @Mixin
 * ConnectionOptions connection;}). Every value is validated by the accessors before any connection is made, so a bad
 * value ends the run with exit code 2 and nothing sent anywhere.
 */
public final class ConnectionOptions {
    @Option(
            names = "--host",
            paramLabel = "HOST",
            description = "A host to act on (name or address); repeat for several.")
    List<String> hosts = new ArrayList<>();

    @Option(
            names = "--port",
            paramLabel = "N",
            defaultValue = "22",
            description = "SSH port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--login",
            paramLabel = "USER",
            description = "SSH login. Default: the application user with --as direct, root with --as su;"
                    + " required with --as sudo.")
    String login;

    @Option(
            names = "--identity",
            paramLabel = "FILE",
            description = "Private key file. Default: ~/.ssh/id_ed25519, else ~/.ssh/id_rsa.")
    Path identity;

    @Option(
            names = "--identity-passphrase-env",
            paramLabel = "NAME",
            description = "Environment variable holding the key's passphrase (never give it on the command line).")
    String passphraseEnv;

    @Option(
            names = "--known-hosts",
            paramLabel = "FILE",
            description = "known_hosts file the host keys are checked against, as OpenSSH's ssh checks them (hashed"
                    + " names, wildcards, !negation, @revoked, @cert-authority). Default: ~/.ssh/known_hosts.")
    Path knownHosts;

    @Option(
            names = "--host-key",
            paramLabel = "SHA256:...",
            description = "Pinned host key fingerprint, as ssh-keygen -lf prints it; repeat to allow several.")
    List<String> hostKeys = new ArrayList<>();

    @Option(
            names = "--insecure-accept-any-host-key",
            description = "Do not verify host keys at all (anyone in between can impersonate the host). Never in"
                    + " production.")
    boolean acceptAnyHostKey;

    @Option(
            names = "--app",
            paramLabel = "mastodon|flow|FILE",
            defaultValue = "mastodon",
            description = "Application profile: mastodon, flow, or a JSON profile file (default: ${DEFAULT-VALUE}).")
    String app;

    @Option(
            names = "--dir",
            paramLabel = "DIR",
            description = "The application's working tree. Default: the profile's (/home/<user>/live).")
    String dir;

    @Option(
            names = "--app-user",
            paramLabel = "USER",
            description = "The application user. Default: the profile's (mastodon for mastodon).")
    String appUser;

    @Option(
            names = "--as",
            paramLabel = "direct|su|sudo",
            description = "How commands reach the application user: direct (the login is that user), su (the login"
                    + " is root), sudo (the login may sudo -n to it). Default: su when --login is root, else direct.")
    String as;

    @Option(
            names = "--connect-timeout",
            paramLabel = "SECONDS",
            defaultValue = "15",
            description = "Limit for connecting and logging in (default: ${DEFAULT-VALUE}).")
    int connectTimeout;

    @Option(
            names = "--command-timeout",
            paramLabel = "SECONDS",
            defaultValue = "600",
            description = "Limit for each remote command; the host stops the command when it passes"
                    + " (default: ${DEFAULT-VALUE}).")
    int commandTimeout;

    @Option(
            names = "--parallel",
            paramLabel = "N",
            defaultValue = "4",
            description = "How many hosts are worked on at once (default: ${DEFAULT-VALUE}).")
    int parallel;

    /** The environment the passphrase and home directory come from; tests replace it. */
    Map<String, String> env = System.getenv();

    /** The command this mixin belongs to, whose run's redactor learns the key and passphrase. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    /** The hosts, validated, without duplicates. */
    public List<String> hosts() {
        if (hosts.isEmpty()) {
            throw FlowException.badInput("missing --host: name at least one host");
        }
        List<String> valid = new ArrayList<>();
        for (String host : hosts) {
            String h = Inputs.host(host);
            if (valid.contains(h)) {
                throw FlowException.badInput("host " + h + " is given twice");
            }
            valid.add(h);
        }
        return valid;
    }

    /** The application profile with {@code --dir} and {@code --app-user} applied. */
    public AppProfile profile() {
        return AppProfiles.resolve(app).withOverrides(appUser, dir);
    }

    public RunAs runAs() {
        return RunAs.of(as, profile().user(), login);
    }

    /** The SSH login: {@code --login}, else what the run-as mode implies. */
    public String login() {
        if (login != null) {
            return Inputs.user(login);
        }
        RunAs runAs = runAs();
        if (runAs instanceof RunAs.Su) {
            return "root";
        }
        if (runAs instanceof RunAs.Sudo) {
            throw FlowException.badInput(
                    "--as sudo needs --login: the deploy user that may sudo to " + runAs.appUser());
        }
        return runAs.appUser();
    }

    public Duration commandTimeout() {
        return io.github.flowupgrade.Option.COMMAND_TIMEOUT.seconds(commandTimeout, 1, 86_400);
    }

    public int parallel() {
        if (parallel < 1 || parallel > HostFanOut.MAX_PARALLEL) {
            throw FlowException.badInput("--parallel must be 1 to " + HostFanOut.MAX_PARALLEL + ", not " + parallel);
        }
        return parallel;
    }

    /** Checks every option that needs no file or secret; a dry run needs only these. */
    public void validate() {
        hosts();
        validateConnection();
        login();
    }

    /**
     * {@link #validate()} without the hosts and the login, for a run whose hosts come from elsewhere (an instance
     * description); the options then hold for every host that does not set its own, and each host's login is checked
     * with its own settings.
     */
    public void validateConnection() {
        Inputs.port(port);
        profile();
        runAs();
        commandTimeout();
        parallel();
        io.github.flowupgrade.Option.CONNECT_TIMEOUT.seconds(connectTimeout, 1, 600);
        hostKeyPolicy();
    }

    /** The key, the host key policy and the timeouts; reads the key's passphrase from its environment variable. */
    public ConnectionSettings settings() {
        return new ConnectionSettings(
                identity(), hostKeyPolicy(), Duration.ofSeconds(connectTimeout), ConnectionSettings.DEFAULT_KEEPALIVE);
    }

    HostKeyPolicy hostKeyPolicy() {
        int chosen = (knownHosts != null ? 1 : 0) + (hostKeys.isEmpty() ? 0 : 1) + (acceptAnyHostKey ? 1 : 0);
        if (chosen > 1) {
            throw FlowException.badInput("choose one of --known-hosts, --host-key and --insecure-accept-any-host-key");
        }
        if (acceptAnyHostKey) {
            return new HostKeyPolicy.AcceptAnyInsecure();
        }
        if (!hostKeys.isEmpty()) {
            return new HostKeyPolicy.Pinned(List.copyOf(new HashSet<>(hostKeys)));
        }
        if (knownHosts != null) {
            if (!Files.isRegularFile(knownHosts)) {
                throw FlowException.badInput("--known-hosts " + knownHosts + " is not a readable file");
            }
            return new HostKeyPolicy.KnownHosts(knownHosts);
        }
        return new HostKeyPolicy.KnownHosts(home().resolve(".ssh/known_hosts"));
    }

    private SshIdentity identity() {
        Path key = keyFile()
                .orElseThrow(() -> FlowException.badInput(
                        "no private key: give --identity FILE (~/.ssh/id_ed25519 and ~/.ssh/id_rsa do not exist)"));
        if (!Files.isReadable(key)) {
            throw FlowException.badInput("--identity " + key + " is not a readable file");
        }
        char[] passphrase = null;
        if (passphraseEnv != null) {
            if (!passphraseEnv.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw FlowException.badInput(
                        "--identity-passphrase-env takes a variable name, not " + Inputs.printable(passphraseEnv));
            }
            String value = env.get(passphraseEnv);
            if (value == null) {
                throw FlowException.badInput(
                        "environment variable " + passphraseEnv + " (--identity-passphrase-env) is not set");
            }
            passphrase = value.toCharArray();
        }
        return SshIdentity.fromFile(key, passphrase);
    }

    /** The private key file: {@code --identity}, else the first of ~/.ssh/id_ed25519 and ~/.ssh/id_rsa that exists. */
    private Optional<Path> keyFile() {
        if (identity != null) {
            return Optional.of(identity);
        }
        return Stream.of("id_ed25519", "id_rsa")
                .map(name -> home().resolve(".ssh").resolve(name))
                .filter(Files::isRegularFile)
                .findFirst();
    }

    /**
     * The run's redactor, now knowing this run's SSH secrets (the key's passphrase and the private key itself, whether
     * named by {@code --identity} or found in ~/.ssh), so neither can reach the console, the JSON output or the audit
     * trail even if a remote program or an exception echoed one.
     */
    public Redactor redactor() {
        Redactor redactor = FlowCommand.redactorOf(mixee);
        if (passphraseEnv != null && passphraseEnv.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            String value = env.get(passphraseEnv);
            if (value != null && !value.isEmpty()) {
                redactor.register(value);
            }
        }
        Optional<Path> key = keyFile().filter(Files::isReadable);
        if (key.isPresent()) {
            try {
                redactor.register(Files.readString(key.get()));
            } catch (IOException | UncheckedIOException e) {
                // identity() reports an unreadable key; nothing to register here
            }
        }
        return redactor;
    }

    private Path home() {
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home);
    }

    /** Opens real SSH connections, or, for a dry run, transports that only print. */
    public TransportFactory transports(boolean dryRun, Console console) {
        if (dryRun) {
            return host -> new DryRunTransport(host, console);
        }
        ConnectionSettings settings = settings();
        String user = login();
        return host -> SshTransport.connect(new SshTarget(host, port, user), settings, console);
    }
}

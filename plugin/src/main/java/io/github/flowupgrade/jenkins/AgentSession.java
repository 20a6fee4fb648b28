package io.github.flowupgrade.jenkins;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.ExitCode;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.Option;
import io.github.flowupgrade.app.AppProfile;
import io.github.flowupgrade.app.AppProfiles;
import io.github.flowupgrade.audit.AuditEvents;
import io.github.flowupgrade.audit.JsonLinesAuditLog;
import io.github.flowupgrade.audit.Redactor;
import io.github.flowupgrade.commands.RunAs;
import io.github.flowupgrade.remote.ConnectionSettings;
import io.github.flowupgrade.remote.DryRunTransport;
import io.github.flowupgrade.remote.HostKeyPolicy;
import io.github.flowupgrade.remote.SshIdentity;
import io.github.flowupgrade.remote.SshTarget;
import io.github.flowupgrade.remote.SshTransport;
import io.github.flowupgrade.remote.TransportFactory;
import io.github.flowupgrade.upgrade.instance.InstanceConnections;
import io.github.flowupgrade.upgrade.instance.InstanceDescription;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One step's use of the engine on the agent, set up the way the CLI sets up one command: the application profile
 * with its overrides, how the login reaches the application user, host key verification, the SSH identity, and an
 * audit trail in the workspace that opens with {@code run.started} and always closes with {@code run.finished}. Every
 * secret the step holds is registered with the redactor before anything is printed or recorded.
 */
final class AgentSession implements AutoCloseable {
    static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(600);
    static final Duration DEFAULT_TASK_TIMEOUT = Duration.ofSeconds(3600);

    private final HostRequest host;
    private final SshLogin login;
    private final AppProfile profile;
    private final Redactor redactor;
    private final Console console;
    private final JsonLinesAuditLog audit;
    private final AgentAborts.AbortSignal abort;
    private final Clock clock = Clock.systemUTC();
    private SshIdentity identity;
    private boolean finished;

    private AgentSession(
            HostRequest host,
            SshLogin login,
            AppProfile profile,
            Redactor redactor,
            Console console,
            JsonLinesAuditLog audit,
            AgentAborts.AbortSignal abort) {
        this.host = host;
        this.login = login;
        this.profile = profile;
        this.redactor = redactor;
        this.console = console;
        this.audit = audit;
        this.abort = abort;
    }

    /**
     * Opens the audit trail {@code flowDir/audit-<host>.jsonl} and records the start of the run.
     *
     * @param host the host, or null for a release lookup (whose profile comes from {@code app})
     * @param login the SSH login, or null for a release lookup
     * @param abort the task's abort signal: tells whether the build was aborted, and when the cleanup starts
     * @param secrets further secret values (a GitHub token) to mask
     */
    static AgentSession open(
            String app,
            HostRequest host,
            SshLogin login,
            BuildInfo build,
            String flowDir,
            String operation,
            String target,
            Console buildLog,
            AgentAborts.AbortSignal abort,
            String... secrets) {
        Redactor redactor = Redactor.create();
        for (String secret : secrets) {
            if (secret != null) {
                redactor.register(secret);
            }
        }
        if (login != null) {
            redactor.register(login.privateKey());
            char[] phrase = login.passphrase();
            if (phrase != null) {
                redactor.register(new String(phrase));
            }
        }
        Console console = redactor.console(buildLog);
        Path workspace = Path.of(flowDir).toAbsolutePath().getParent();
        AppProfile profile = profile(host == null ? app : host.app(), host, workspace);
        String name = host == null ? null : host.host();
        Path file = Path.of(flowDir, Workspaces.auditFileName(name));
        JsonLinesAuditLog audit = JsonLinesAuditLog.open(file, AuditEvents.newRunId(Clock.systemUTC()), redactor);
        audit.record(
                AuditEvents.RUN_STARTED,
                AuditEvents.runStarted(
                        build.actor(),
                        build.buildUrl(),
                        operation,
                        target,
                        name == null ? List.of() : Params.list(name)));
        return new AgentSession(host, login, profile, redactor, console, audit, abort);
    }

    /**
     * The application profile with the step's overrides. A JSON profile given by a relative path is read from the
     * workspace (where the pipeline checked it out), not from the agent's working directory.
     */
    static AppProfile profile(String app, HostRequest host, Path workspace) {
        String name = app == null ? ReleaseRequest.DEFAULT_APP : app;
        if (name.endsWith(".json") && workspace != null && !Path.of(name).isAbsolute()) {
            name = workspace.resolve(name).toString();
        }
        AppProfile profile = AppProfiles.resolve(name);
        return host == null ? profile : profile.withOverrides(host.appUser(), host.dir());
    }

    /** Pinned fingerprints, a known_hosts file on the agent, or the agent user's own known_hosts: never accept-any. */
    static HostKeyPolicy hostKeys(HostRequest host) {
        if (!host.hostKeys().isEmpty()) {
            if (host.knownHostsFile() != null) {
                throw FlowException.badInput(Messages.Check_HostKeyBoth());
            }
            return new HostKeyPolicy.Pinned(host.hostKeys());
        }
        if (host.knownHostsFile() != null) {
            Path file = Path.of(host.knownHostsFile());
            if (!Files.isRegularFile(file)) {
                throw FlowException.badInput("knownHostsFile " + file + " is not a readable file on this agent");
            }
            return new HostKeyPolicy.KnownHosts(file);
        }
        return new HostKeyPolicy.KnownHosts(Path.of(System.getProperty("user.home"), ".ssh", "known_hosts"));
    }

    AppProfile profile() {
        return profile;
    }

    Console console() {
        return console;
    }

    JsonLinesAuditLog audit() {
        return audit;
    }

    Clock clock() {
        return clock;
    }

    Redactor redactor() {
        return redactor;
    }

    /** How the login reaches the application user: the step's {@code as}, else su for root and direct otherwise. */
    RunAs runAs() {
        return RunAs.of(host.as(), profile.user(), login.username());
    }

    /** The limit of a quick command: the step's {@code commandTimeout}, else the CLI's default. */
    Duration commandTimeout() {
        return host.commandTimeout() == 0
                ? DEFAULT_COMMAND_TIMEOUT
                : Option.COMMAND_TIMEOUT.seconds(host.commandTimeout(), 1, 86_400);
    }

    /** The limit of an upgrade task: {@code taskTimeout} seconds, or the CLI's default for 0. */
    static Duration taskTimeout(int taskTimeout) {
        return taskTimeout == 0 ? DEFAULT_TASK_TIMEOUT : Option.TASK_TIMEOUT.seconds(taskTimeout, 1, 86_400);
    }

    /**
     * Opens each host's transport: SSH with the credential's key and the step's host key policy, or a dry run that
     * prints the commands and runs nothing. The key stays in memory until the session closes.
     */
    TransportFactory transports() {
        if (host.dryRun()) {
            return name -> new DryRunTransport(name, console);
        }
        ConnectionSettings settings = settings();
        return name -> SshTransport.connect(new SshTarget(name, host.port(), login.username()), settings, console);
    }

    /**
     * The hosts of an instance: the step's connection settings (port, the credential's user as login, {@code as},
     * host keys), replaced by what each host's description gives; checked before any connection.
     */
    InstanceConnections instance(InstanceDescription description) {
        InstanceConnections.Defaults defaults = new InstanceConnections.Defaults(
                host.port(), login.username(), host.as(), hostKeys(host), profile.user());
        return InstanceConnections.of(
                description,
                defaults,
                host.dryRun() ? InstanceConnections.dryRun(console) : InstanceConnections.ssh(settings(), console));
    }

    /** The credential's key (kept until the session closes), the host key policy and the timeouts. */
    private ConnectionSettings settings() {
        if (identity == null) {
            identity = SshIdentity.fromContent(login.privateKey(), login.passphrase());
        }
        Duration connect = host.connectTimeout() == 0
                ? ConnectionSettings.DEFAULT_CONNECT_TIMEOUT
                : Option.CONNECT_TIMEOUT.seconds(host.connectTimeout(), 1, 600);
        return new ConnectionSettings(identity, hostKeys(host), connect, ConnectionSettings.DEFAULT_KEEPALIVE);
    }

    /**
     * Runs the engine work and records how it ended: {@code run.finished} with the engine's error when it threw one,
     * as a success otherwise (anything else is recorded as an unfinished run by {@link #close()}). What goes back to
     * the controller, the result or the error's message, is redacted as the build log is: a remote program or a server
     * that echoed a secret into an error or an output line never puts it into the Pipeline's variables or the
     * step's failure.
     */
    @SuppressWarnings("unchecked")
    Map<String, Object> finishing(Supplier<Map<String, Object>> work) {
        try {
            Map<String, Object> result = work.get();
            finish(null);
            return (Map<String, Object>) redactor.redactResult(result);
        } catch (FlowException e) {
            finish(e);
            throw new FlowException(e.exitCode(), redactor.redact(e.getMessage()), e);
        }
    }

    /**
     * Records how a run that reports its failures as results (not as exceptions) ended, before it returns: with
     * {@code error} when it failed, as a success when null.
     */
    void finishAs(Throwable error) {
        finish(error);
    }

    /**
     * Records the end of the run: {@code error} is null when it succeeded (as the CLI records it). This is the start of
     * the cleanup: no abort interrupts the thread from here on, and an interruption left on it (sshj leaves one after
     * an abort) is cleared first, as the audit trail writes through an interruptible file channel. A run that failed
     * because the build was aborted is recorded as aborted.
     */
    void finish(Throwable error) {
        if (!finished) {
            finished = true;
            boolean aborted = abort.cleanup();
            audit.record(AuditEvents.RUN_FINISHED, AuditEvents.runFinished(aborted ? aborted(error) : error));
        }
    }

    /** What the audit trail records for a run the build's abort stopped; null when it had succeeded all the same. */
    private static Throwable aborted(Throwable error) {
        if (error == null) {
            return null;
        }
        ExitCode code = error instanceof FlowException flow ? flow.exitCode() : ExitCode.FAILED;
        String cause = error.getMessage() == null ? error.toString() : error.getMessage();
        return new FlowException(code, AgentTask.ABORTED + ": " + cause);
    }

    /**
     * Closes the audit trail. A run that never reached {@link #finish} (the engine threw something else than its own
     * error) is recorded as stopped before it finished: by the build's abort, or by an internal error.
     */
    @Override
    public void close() {
        try {
            if (!finished) {
                finished = true;
                String why = abort.cleanup()
                        ? AgentTask.ABORTED + " before the step finished"
                        : "the step stopped before it finished (an internal error)";
                audit.record(
                        AuditEvents.RUN_FINISHED, AuditEvents.runFinished(new FlowException(ExitCode.FAILED, why)));
            }
        } finally {
            abort.cleanup();
            audit.close();
            if (identity != null) {
                identity.forget();
            }
            if (login != null) {
                login.forget();
            }
        }
        console.info("audit trail: " + audit.file() + " (" + audit.records() + " records, head " + audit.head() + ")");
    }
}

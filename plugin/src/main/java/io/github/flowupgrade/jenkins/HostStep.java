package io.github.flowupgrade.jenkins;

import hudson.AbortException;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.Option;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * The parameters every step that works on a host shares, named as the CLI's options: the host and the
 * {@code SSHUserPrivateKey} credentials id (required, in each step's constructor), how to verify the host key, how the
 * login reaches the application user, the application profile and its overrides, a dry run, and a per-command
 * timeout.
 */
public abstract class HostStep extends FlowStep {
    static final int DEFAULT_PORT = 22;

    private final String host;
    private final String credentialsId;
    private int port = DEFAULT_PORT;
    private String hostKey;
    private String knownHostsFile;
    private String as;
    private String dir;
    private String appUser;
    private boolean dryRun;
    private int connectTimeout;
    private int commandTimeout;

    protected HostStep(String host, String credentialsId) {
        this.host = Params.trimToNull(host);
        this.credentialsId = Params.trimToNull(credentialsId);
    }

    public String getHost() {
        return host;
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    public int getPort() {
        return port;
    }

    @DataBoundSetter
    public void setPort(int port) {
        this.port = port == 0 ? DEFAULT_PORT : port;
    }

    /** SHA256 fingerprints of the host key, separated by commas; the only keys accepted when given. */
    public String getHostKey() {
        return hostKey;
    }

    @DataBoundSetter
    public void setHostKey(String hostKey) {
        this.hostKey = Params.trimToNull(hostKey);
    }

    /** A known_hosts file on the agent; when neither this nor a fingerprint is given, the agent user's own. */
    public String getKnownHostsFile() {
        return knownHostsFile;
    }

    @DataBoundSetter
    public void setKnownHostsFile(String knownHostsFile) {
        this.knownHostsFile = Params.trimToNull(knownHostsFile);
    }

    /**
     * {@code direct}, {@code su} or {@code sudo}: how the SSH login runs commands as the application user; null (the
     * default) for {@code su} when the login is root, else {@code direct}.
     */
    public String getAs() {
        return as;
    }

    @DataBoundSetter
    public void setAs(String as) {
        this.as = Params.trimToNull(as);
    }

    public String getDir() {
        return dir;
    }

    @DataBoundSetter
    public void setDir(String dir) {
        this.dir = Params.trimToNull(dir);
    }

    public String getAppUser() {
        return appUser;
    }

    @DataBoundSetter
    public void setAppUser(String appUser) {
        this.appUser = Params.trimToNull(appUser);
    }

    public boolean isDryRun() {
        return dryRun;
    }

    @DataBoundSetter
    public void setDryRun(boolean dryRun) {
        this.dryRun = dryRun;
    }

    /** Limit for connecting and logging in, in seconds; 0 keeps the engine's default (15). */
    public int getConnectTimeout() {
        return connectTimeout;
    }

    @DataBoundSetter
    public void setConnectTimeout(int connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    /** Limit for each remote command (git, systemctl), in seconds; 0 keeps the engine's default (600). */
    public int getCommandTimeout() {
        return commandTimeout;
    }

    @DataBoundSetter
    public void setCommandTimeout(int commandTimeout) {
        this.commandTimeout = commandTimeout;
    }

    /**
     * Runs this step's task on the agent, made for this host with the SSH login of {@code credentialsId} (resolved on
     * the controller), and lists the host's audit trail in the build's summary.
     */
    Map<String, Object> runOnAgent(StepEnvironment env, HostTaskMaker task) throws IOException, InterruptedException {
        List<String> hosts = Params.list(host);
        if (hosts.isEmpty()) {
            throw new AbortException(Messages.Check_Required("host"));
        }
        if (hosts.size() > 1 && !takesSeveralHosts()) {
            throw new AbortException(Messages.Check_OneHost());
        }
        return runOnAgent(
                env, host, hosts.stream().map(name -> new Endpoint(name, port)).toList(), task);
    }

    /** A host the step's credential is sent to, for its credential domains ({@code ssh://host:port}). */
    record Endpoint(String host, int port) {}

    /**
     * {@link #runOnAgent(StepEnvironment, HostTaskMaker)} for hosts named elsewhere than in {@code host} (an instance
     * description), each at its own port.
     *
     * @param hostList the hosts as the task's request and the audit trail's file name name them
     */
    Map<String, Object> runOnAgent(StepEnvironment env, String hostList, List<Endpoint> endpoints, HostTaskMaker task)
            throws IOException, InterruptedException {
        checkLimits();
        // The credential must be usable for every host it is sent to (its domains), not only the first.
        SshLogin login = null;
        for (Endpoint endpoint : endpoints) {
            SshLogin usable = StepCredentials.sshLogin(env.run(), credentialsId, endpoint.host(), endpoint.port());
            login = login == null ? usable : login;
        }
        Map<String, Object> result = env.call(
                task.make(new HostTarget(env.listener(), hostRequest(hostList), login, env.build(), env.flowDir())));
        FlowUpgradeAction.of(env.run()).recordAuditTrail(Workspaces.auditPath(hostList));
        return result;
    }

    /** Refuses a limit out of range on the controller, before anything is sent to the agent or a host. */
    private void checkLimits() throws AbortException {
        try {
            if (connectTimeout != 0) {
                Option.CONNECT_TIMEOUT.seconds(connectTimeout, 1, 600);
            }
            if (commandTimeout != 0) {
                Option.COMMAND_TIMEOUT.seconds(commandTimeout, 1, 86_400);
            }
        } catch (FlowException e) {
            throw new AbortException(e.getMessage());
        }
    }

    /** Whether {@code host} may name several hosts, worked on one after the other ({@code flowUpgrade}). */
    boolean takesSeveralHosts() {
        return false;
    }

    /** Makes a step's agent task for its host; may resolve further credentials (a GitHub token). */
    @FunctionalInterface
    interface HostTaskMaker {
        HostTask make(HostTarget target) throws IOException;
    }

    /** The host part of the engine request, as plain values that travel to the agent. */
    HostRequest hostRequest() {
        return hostRequest(host);
    }

    /** {@link #hostRequest()} for {@code hosts} named elsewhere (an instance description's). */
    HostRequest hostRequest(String hosts) {
        return new HostRequest(
                getApp(),
                hosts,
                port,
                Params.list(hostKey),
                knownHostsFile,
                as,
                dir,
                appUser,
                dryRun,
                connectTimeout,
                commandTimeout);
    }
}

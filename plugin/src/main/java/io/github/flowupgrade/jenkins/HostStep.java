package io.github.flowupgrade.jenkins;

import hudson.AbortException;
import java.io.IOException;
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
    static final String DEFAULT_AS = "direct";

    private final String host;
    private final String credentialsId;
    private int port = DEFAULT_PORT;
    private String hostKey;
    private String knownHostsFile;
    private String as = DEFAULT_AS;
    private String dir;
    private String appUser;
    private boolean dryRun;
    private int timeoutMinutes;

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

    /** {@code direct}, {@code su} or {@code sudo}: how the SSH login runs commands as the application user. */
    public String getAs() {
        return as;
    }

    @DataBoundSetter
    public void setAs(String as) {
        String value = Params.trimToNull(as);
        this.as = value == null ? DEFAULT_AS : value;
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

    /** Limit for each remote command, in minutes; 0 keeps the engine's default. */
    public int getTimeoutMinutes() {
        return timeoutMinutes;
    }

    @DataBoundSetter
    public void setTimeoutMinutes(int timeoutMinutes) {
        this.timeoutMinutes = Math.max(0, timeoutMinutes);
    }

    /**
     * Runs this step's task on the agent, made for this host with the SSH login of {@code credentialsId} (resolved on
     * the controller), and lists the host's audit trail in the build's summary.
     */
    Map<String, Object> runOnAgent(StepEnvironment env, HostTaskMaker task) throws IOException, InterruptedException {
        if (host == null) {
            throw new AbortException(Messages.Check_Required("host"));
        }
        SshLogin login = StepCredentials.sshLogin(env.run(), credentialsId, host, port);
        Map<String, Object> result =
                env.call(task.make(new HostTarget(env.listener(), hostRequest(), login, env.build(), env.flowDir())));
        FlowUpgradeAction.of(env.run()).recordAuditTrail(Workspaces.auditPath(host));
        return result;
    }

    /** Makes a step's agent task for its host; may resolve further credentials (a GitHub token). */
    @FunctionalInterface
    interface HostTaskMaker {
        HostTask make(HostTarget target) throws IOException;
    }

    /** The host part of the engine request, as plain values that travel to the agent. */
    HostRequest hostRequest() {
        return new HostRequest(
                getApp(), host, port, Params.list(hostKey), knownHostsFile, as, dir, appUser, dryRun, timeoutMinutes);
    }
}

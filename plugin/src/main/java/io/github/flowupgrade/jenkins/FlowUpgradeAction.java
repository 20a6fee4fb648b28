package io.github.flowupgrade.jenkins;

import hudson.model.Run;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jenkins.model.RunAction2;

/**
 * What the flow steps of one build did, shown on the build page ({@code summary.jelly}): the target release, each
 * host's previous and new commit, the services restarted, the approvals, and links to the archived audit trails.
 * Steps in parallel branches record into the same action, hence the synchronization. Persisted with the build (by
 * XStream); Serializable too, holding plain values only, so it can cross a channel or a serialized program state.
 */
public final class FlowUpgradeAction implements RunAction2, Serializable {
    private static final long serialVersionUID = 1L;

    private String releaseTag;
    private String releaseName;
    private String releaseUrl;
    private List<HostEntry> hosts = new ArrayList<>();
    private List<String> servicesRestarted = new ArrayList<>();
    private List<String> approvals = new ArrayList<>();
    private List<String> auditTrails = new ArrayList<>();

    private transient Run<?, ?> run;

    /** The build's action, added on first use. */
    static FlowUpgradeAction of(Run<?, ?> run) {
        synchronized (run) {
            FlowUpgradeAction action = run.getAction(FlowUpgradeAction.class);
            if (action == null) {
                action = new FlowUpgradeAction();
                run.addOrReplaceAction(action);
            }
            return action;
        }
    }

    /** One host's checkout: where it was and where it is now. */
    public static final class HostEntry implements Serializable {
        private static final long serialVersionUID = 1L;

        private final String host;
        private final String tag;
        private final String previousCommit;
        private final String newCommit;
        private final String status;

        HostEntry(String host, String tag, String previousCommit, String newCommit, String status) {
            this.host = host;
            this.tag = tag;
            this.previousCommit = previousCommit;
            this.newCommit = newCommit;
            this.status = status;
        }

        public String getStatus() {
            return status;
        }

        public String getHost() {
            return host;
        }

        public String getTag() {
            return tag;
        }

        public String getPreviousCommit() {
            return previousCommit;
        }

        public String getNewCommit() {
            return newCommit;
        }
    }

    synchronized void recordRelease(Map<String, Object> result) {
        ResultView view = new ResultView(result);
        releaseTag = view.text("tag", releaseTag);
        releaseName = view.text("name", releaseName);
        releaseUrl = view.webUrl("url", releaseUrl);
    }

    /** A checkout's result map ({@code flowCheckout}): the host's previous and current revision. */
    synchronized void recordCheckout(Map<String, Object> result) {
        ResultView view = new ResultView(result);
        String host = view.text("host", "?");
        ResultView previous = new ResultView(view.child("previous"));
        ResultView current = new ResultView(view.child("current"));
        hosts.removeIf(h -> h.host.equals(host));
        hosts.add(new HostEntry(
                host,
                current.text("tag", null),
                previous.text("commit", null),
                current.text("commit", null),
                view.text("status", null)));
        if (releaseTag == null) {
            releaseTag = current.text("tag", null);
        }
    }

    /** A restart's result map ({@code flowRestartServices}): what was restarted and the streaming approval. */
    synchronized void recordRestart(Map<String, Object> result) {
        ResultView view = new ResultView(result);
        recordServices(view.text("host", "?"), view);
    }

    /** The services of one host's result (its {@code services} and {@code streaming} fields), and the approval. */
    private void recordServices(String host, ResultView view) {
        for (Object service : view.list("services")) {
            recordServiceOutcome(host, service);
        }
        ResultView streaming = new ResultView(view.child("streaming"));
        for (Object service : streaming.list("services")) {
            if (!view.list("services").contains(service)) {
                recordServiceOutcome(host, service);
            }
        }
        String approvedBy = streaming.text("approvedBy", null);
        if (approvedBy != null) {
            approvals.add(host + ": streaming restart approved by " + approvedBy);
        } else if (streaming.flag("needed") && !streaming.flag("restarted")) {
            approvals.add(host + ": streaming restart " + streaming.text("status", "not done") + " ("
                    + streaming.text("reason", "") + ")");
        }
    }

    /**
     * An upgrade's result map ({@code flowUpgrade}): each host's commit before its first checkout and after its last,
     * the target, what was restarted and the streaming approval.
     */
    synchronized void recordUpgrade(Map<String, Object> result) {
        ResultView run = new ResultView(result);
        if (releaseTag == null) {
            releaseTag = run.text("tag", null);
        }
        for (Object item : run.list("hosts")) {
            ResultView host = new ResultView(ResultView.asMap(item));
            String name = host.text("host", "?");
            List<?> checkouts = host.list("checkouts");
            ResultView first = new ResultView(ResultView.asMap(checkouts.isEmpty() ? null : checkouts.get(0)));
            ResultView last =
                    new ResultView(ResultView.asMap(checkouts.isEmpty() ? null : checkouts.get(checkouts.size() - 1)));
            hosts.removeIf(h -> h.host.equals(name));
            hosts.add(new HostEntry(
                    name,
                    new ResultView(last.child("current")).text("tag", host.text("target", null)),
                    new ResultView(first.child("previous")).text("commit", null),
                    new ResultView(last.child("current")).text("commit", null),
                    host.text("status", null)));
            recordServices(name, host);
        }
    }

    @SuppressWarnings("unchecked")
    private void recordServiceOutcome(String host, Object service) {
        if (service instanceof Map<?, ?> map) {
            ResultView s = new ResultView((Map<String, Object>) map);
            servicesRestarted.add(
                    host + ": " + s.text("name", "?") + " " + s.text("action", "") + " " + s.text("result", ""));
        }
    }

    synchronized void recordAuditTrail(String workspaceRelativePath) {
        if (!auditTrails.contains(workspaceRelativePath)) {
            auditTrails.add(workspaceRelativePath);
        }
    }

    public synchronized String getReleaseTag() {
        return releaseTag;
    }

    public synchronized String getReleaseName() {
        return releaseName;
    }

    /** The release page, only when it is an http(s) URL (so the summary never renders another scheme as a link). */
    public synchronized String getReleaseUrl() {
        return releaseUrl;
    }

    public synchronized List<HostEntry> getHosts() {
        return List.copyOf(hosts);
    }

    public synchronized List<String> getServicesRestarted() {
        return List.copyOf(servicesRestarted);
    }

    public synchronized List<String> getApprovals() {
        return List.copyOf(approvals);
    }

    /** Workspace-relative paths of the audit trails; the summary links them under the build's artifacts. */
    public synchronized List<String> getAuditTrails() {
        return List.copyOf(auditTrails);
    }

    /**
     * Called by XStream when the build is loaded: empty lists are omitted from build.xml. Synchronized like every
     * other access to the lists, so the build page never reads them half restored.
     */
    private synchronized Object readResolve() {
        hosts = hosts == null ? new ArrayList<>() : hosts;
        servicesRestarted = servicesRestarted == null ? new ArrayList<>() : servicesRestarted;
        approvals = approvals == null ? new ArrayList<>() : approvals;
        auditTrails = auditTrails == null ? new ArrayList<>() : auditTrails;
        return this;
    }

    public Run<?, ?> getRun() {
        return run;
    }

    @Override
    public String getIconFileName() {
        return null;
    }

    @Override
    public String getDisplayName() {
        return Messages.FlowUpgradeAction_DisplayName();
    }

    @Override
    public String getUrlName() {
        return null;
    }

    @Override
    public void onAttached(Run<?, ?> r) {
        this.run = r;
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        this.run = r;
    }
}

package io.github.flowupgrade.jenkins;

import hudson.FilePath;

/**
 * Where the steps keep files in the workspace: {@code flow-upgrade/} holds the audit trail (one file per host, so
 * parallel branches never contend for one file) and the GitHub response cache. The example pipeline archives
 * {@code flow-upgrade/*.jsonl}.
 */
final class Workspaces {
    static final String FLOW_DIR = "flow-upgrade";

    private Workspaces() {}

    /** The directory's path on the agent. */
    static String flowDir(FilePath workspace) {
        return workspace.child(FLOW_DIR).getRemote();
    }

    /** The audit trail of a host, relative to the workspace (as archived). */
    static String auditPath(String host) {
        return FLOW_DIR + "/" + auditFileName(host);
    }

    /** The audit trail file name for a host ({@code audit-<host>.jsonl}), or for release lookups. */
    static String auditFileName(String host) {
        return "audit-" + (host == null ? "release" : host.replaceAll("[^A-Za-z0-9._-]", "_")) + ".jsonl";
    }
}

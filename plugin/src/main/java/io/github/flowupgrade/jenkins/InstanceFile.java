package io.github.flowupgrade.jenkins;

import hudson.AbortException;
import hudson.model.TaskListener;
import io.github.flowupgrade.Console;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.commands.Inputs;
import io.github.flowupgrade.upgrade.instance.InstanceDescription;
import io.github.flowupgrade.upgrade.instance.InstanceDescriptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code flowUpgrade}'s {@code instance}: an instance description given inline (JSON, starting with <code>{</code>)
 * or as a file in the workspace. A file is read on the agent, where the workspace is, by {@link Read}; either way the
 * description is checked on the controller before anything goes to a host, and its hosts are known there, so the
 * credential can be checked for each of them.
 */
final class InstanceFile {
    private InstanceFile() {}

    /** Whether {@code instance} is the description itself rather than the name of a file. */
    static boolean inline(String instance) {
        return instance.startsWith("{");
    }

    /** The description's JSON: {@code instance} itself, or the workspace file it names, read on the agent. */
    static String text(String instance, StepEnvironment env) throws IOException, InterruptedException {
        if (inline(instance)) {
            return instance;
        }
        Object json = env.call(new Read(env.listener(), env.flowDir(), checkedPath(instance)))
                .get("json");
        return String.valueOf(json);
    }

    /** The description, checked as {@code flow upgrade --instance} checks its file. */
    static InstanceDescription parse(String json) throws AbortException {
        try {
            return InstanceDescriptions.fromJson(json);
        } catch (FlowException e) {
            throw new AbortException(e.getMessage());
        }
    }

    /** A path inside the workspace: relative, without {@code ..}. */
    static String checkedPath(String path) throws AbortException {
        Path p = Path.of(path).normalize();
        if (path.length() > 1024
                || p.isAbsolute()
                || p.startsWith("..")
                || p.toString().isEmpty()) {
            throw new AbortException("instance must be an instance description (JSON, starting with '{') or the"
                    + " path of one inside the workspace, not " + Inputs.printable(path));
        }
        return p.toString();
    }

    /** Reads the file on the agent, in the workspace (the parent of the flow-upgrade directory). */
    static final class Read extends AgentTask {
        private static final long serialVersionUID = 1L;
        private static final long MAX_BYTES = 256 * 1024;

        private final String flowDir;
        private final String path;

        Read(TaskListener listener, String flowDir, String path) {
            super(listener);
            this.flowDir = flowDir;
            this.path = path;
        }

        @Override
        protected Map<String, Object> perform(Console console) {
            Path workspace = Path.of(flowDir).toAbsolutePath().getParent();
            if (workspace == null) {
                throw FlowException.badInput("no workspace around " + flowDir + " to read the instance from");
            }
            Path file = workspace.resolve(path).normalize();
            try {
                if (!file.startsWith(workspace) || !Files.isRegularFile(file)) {
                    throw FlowException.badInput("instance " + path + " is not a file in the workspace " + workspace);
                }
                if (Files.size(file) > MAX_BYTES) {
                    throw FlowException.badInput("instance " + path + " is larger than " + MAX_BYTES + " bytes");
                }
                return Map.of("json", Files.readString(file));
            } catch (IOException e) {
                throw FlowException.badInput("cannot read the instance description " + file + ": " + e.getMessage());
            }
        }
    }
}

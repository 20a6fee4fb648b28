package io.github.flowupgrade.jenkins;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code flowUpgrade}'s agent side, alone in a JVM: the step is configured as a Pipeline would configure it, its task is
 * made as the step makes it and sent through serialization to an in-process agent, and the result map is printed as
 * JSON after a marker line. Tests start it inside the test host's network namespace, where the host is reachable.
 *
 * <p>Arguments: HOST PORT LOGIN KEY_FILE KNOWN_HOSTS API_URL WORKSPACE TAG APPROVER
 */
public final class UpgradeTaskMain {
    static final String RESULT = "---- flowUpgrade result ----";

    private UpgradeTaskMain() {}

    public static void main(String[] args) throws Exception {
        FlowUpgradeStep step = new FlowUpgradeStep(args[0], "mastodon-ssh", args[7]);
        step.setPort(Integer.parseInt(args[1]));
        step.setKnownHostsFile(args[4]);
        step.setApiUrl(args[5]);
        step.setConfirmManual(true);
        step.setStreamingApprovedBy(args[8]);
        Path workspace = Path.of(args[6]);
        Files.createDirectories(workspace.resolve(Workspaces.FLOW_DIR));
        TestListener log = new TestListener();
        UpgradeTask task = new UpgradeTask(
                new HostTarget(
                        log.listener(),
                        step.hostRequest(),
                        new SshLogin("mastodon-ssh", args[2], Files.readString(Path.of(args[3])), null),
                        new BuildInfo("upgrade#7", null),
                        workspace.resolve(Workspaces.FLOW_DIR).toString()),
                step.releaseRequest(),
                null,
                // As the controller decides when args[8] approved the input RestartStreaming of the build.
                ApprovalVerdict.approvedBy(args[8], "approved in the input RestartStreaming"),
                step.settings());
        Map<String, Object> result = InProcessAgent.callOnce(task);
        System.out.println(log.log());
        System.out.println(RESULT);
        System.out.println(
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result));
    }
}

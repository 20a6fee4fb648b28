package io.github.flowupgrade.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.model.Action;
import hudson.model.TaskListener;
import hudson.remoting.Callable;
import io.github.flowupgrade.Console;
import io.github.flowupgrade.upgrade.checkout.ChangedAreas;
import io.github.flowupgrade.upgrade.checkout.CheckoutResult;
import io.github.flowupgrade.upgrade.checkout.Revision;
import io.github.flowupgrade.upgrade.services.RestartResult;
import io.github.flowupgrade.upgrade.services.ServiceAction;
import io.github.flowupgrade.upgrade.services.ServiceOutcome;
import io.github.flowupgrade.upgrade.services.StreamingOutcome;
import java.io.NotSerializableException;
import java.io.PrintStream;
import java.io.Serializable;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.junit.jupiter.api.Test;

/**
 * What crosses Java serialization does so whole. Remoting serializes every agent callable (and all it holds: the build
 * log's listener, the requests, the SSH login) to the agent and its result map back; the Pipeline saves each step's
 * execution with its program state. Every such class of the plugin is found by itself (concrete agent callables, step
 * executions, actions); each needs a sample here, filled in completely, which is checked in two ways: its fields'
 * declared types (so a field that is null in the sample is still judged) and an actual round trip.
 *
 * <p>The mirror's {@code TaskListener}, {@code FilePath} and {@code Secret} are {@code Serializable} as the real ones
 * are, so a task holding anything else fails here, offline, as it would fail on a real agent.
 */
class SerializationRoundTripTest {
    private final TestListener log = new TestListener();

    private HostTarget target() {
        return new HostTarget(
                log.listener(),
                new HostRequest(
                        "mastodon",
                        "social.example",
                        2222,
                        List.of("SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8"),
                        null,
                        "sudo",
                        "/home/mastodon/live",
                        "mastodon",
                        true,
                        20,
                        900),
                new SshLogin("mastodon-ssh", "deploy", "-----BEGIN OPENSSH PRIVATE KEY-----\n", "pw".toCharArray()),
                new BuildInfo("upgrade#3", "https://ci.example/job/upgrade/3/"),
                "/ws/flow-upgrade");
    }

    private static ReleaseRequest release() {
        return new ReleaseRequest("mastodon", "mastodon/mastodon", "v4.3.1", "v4.2.10", "https://api.github.com");
    }

    /** A complete sample of every class that crosses serialization; the test fails for a class without one. */
    private Map<Class<?>, Supplier<Object>> samples() {
        Map<Class<?>, Supplier<Object>> samples = new LinkedHashMap<>();
        samples.put(
                CheckoutTask.class,
                () -> new CheckoutTask(target(), "v4.3.1", "1a2b3c4" + "0".repeat(33), false, true, true));
        samples.put(
                FetchReleaseTask.class,
                () -> new FetchReleaseTask(log.listener(), release(), "ghp_token", target().build(), "/ws/fu"));
        samples.put(
                RestartTask.class,
                () -> new RestartTask(
                        target(),
                        new RestartRequest(
                                List.of("sidekiq", "web"),
                                "always",
                                ApprovalVerdict.approvedBy("alice", "ok"),
                                new ServiceStep.Restarts("restart", 90, 20))));
        samples.put(
                UpgradeTask.class,
                () -> new UpgradeTask(
                        target(),
                        new ReleaseRequest(
                                "mastodon", "mastodon/mastodon", "v4.5.2", null, null, true, true, "/srv/mastodon.git"),
                        "ghp_token",
                        ApprovalVerdict.refused("no approval"),
                        new UpgradeTask.Settings(
                                "if-needed",
                                true,
                                false,
                                7200,
                                new ServiceStep.Restarts("reload", 60, 0),
                                true,
                                true,
                                new BackupSettings(true, "/var/backups/mastodon", "rsync \"$FLOW_BACKUP\" vault:/d/"),
                                new PreflightSettings("memory,config", 4096, 1024, true, true)),
                        "{\"migrationHost\": \"web1.example\", \"hosts\": [{\"host\": \"web1.example\","
                                + " \"roles\": [\"web\", \"sidekiq\", \"streaming\"]}]}"));
        samples.put(
                UpgradeTasksTask.class,
                () -> new UpgradeTasksTask(
                        target(),
                        release(),
                        "ghp_token",
                        "after-restart",
                        true,
                        7200,
                        true,
                        new BackupSettings(false, null, null)));
        samples.put(
                RestoreTask.class,
                () -> new RestoreTask(
                        target(),
                        "/home/mastodon/.flow-upgrade/backups/v4.2.0-to-v4.3.1-20261207T021800Z.dump",
                        "0".repeat(64),
                        600));
        samples.put(
                InstanceFile.Read.class,
                () -> new InstanceFile.Read(log.listener(), "/ws/flow-upgrade", "deploy/instance.json"));
        samples.put(AbortAgentTask.class, () -> new AbortAgentTask("4b1c0b2e-task"));
        samples.put(FlowStep.Execution.class, () -> new FlowStep.Execution(steps().get(0), null));
        samples.put(FlowUpgradeAction.class, SerializationRoundTripTest::action);
        return samples;
    }

    /** One step of each kind, every parameter set; each one's execution must serialize. */
    private static List<FlowStep> steps() {
        FlowCheckoutStep checkout = new FlowCheckoutStep("social.example", "mastodon-ssh", "v4.3.1");
        checkout.setExpectCommit("1a2b3c4" + "0".repeat(33));
        FlowRestartServicesStep restart = new FlowRestartServicesStep("social.example", "mastodon-ssh");
        restart.setStreaming("always");
        restart.setStreamingApprovedBy("alice");
        FlowRunUpgradeTasksStep tasks = new FlowRunUpgradeTasksStep("social.example", "mastodon-ssh", "v4.3.1");
        tasks.setGithubCredentialsId("github-token");
        FlowFetchReleaseStep fetch = new FlowFetchReleaseStep();
        fetch.setTag("v4.3.1");
        FlowUpgradeStep upgrade = new FlowUpgradeStep("web1.example, web2.example", "mastodon-ssh", "v4.5.2");
        upgrade.setStreamingApprovedBy("alice");
        upgrade.setConfirmManual(true);
        upgrade.setGithubCredentialsId("github-token");
        FlowRestoreStep restore = new FlowRestoreStep(
                "social.example",
                "mastodon-ssh",
                "/home/mastodon/.flow-upgrade/backups/v4.2.0-to-v4.3.1-20261207T021800Z.dump");
        restore.setConfirmRestore("social.example");
        restore.setExpectSha256("0".repeat(64));
        return List.of(checkout, restart, tasks, fetch, upgrade, restore);
    }

    private static FlowUpgradeAction action() {
        FlowUpgradeAction action = new FlowUpgradeAction();
        action.recordRelease(Map.of("tag", "v4.3.1", "name", "v4.3.1", "url", "https://github.com/m/m/releases/1"));
        action.recordCheckout(checkoutResult());
        action.recordRestart(restartResult());
        action.recordAuditTrail("flow-upgrade/audit-social.example.jsonl");
        return action;
    }

    private static Map<String, Object> checkoutResult() {
        return PlainValues.map(new CheckoutResult(
                        "social.example",
                        new Revision("1111111aaaaaaa", "v4.2.10"),
                        new Revision("2222222bbbbbbb", "v4.3.1"),
                        ChangedAreas.NONE,
                        1200,
                        "checked-out",
                        null,
                        0)
                .toMap());
    }

    private static Map<String, Object> restartResult() {
        ServiceOutcome streaming = new ServiceOutcome(
                "mastodon-streaming", "streaming", ServiceAction.RESTART, "restarted", 200L, 201L, true, 1500);
        StreamingOutcome approved = new StreamingOutcome(
                true,
                "--streaming always",
                true,
                "alice",
                Instant.parse("2026-11-23T12:00:00Z"),
                true,
                StreamingOutcome.RESTARTED,
                List.of(streaming));
        return PlainValues.map(new RestartResult("social.example", List.of(), approved, 2400, "done").toMap());
    }

    /** The plugin's classes that cross serialization: agent callables, step executions, actions. */
    private static List<Class<?>> crossing() {
        List<Class<?>> classes = new ArrayList<>();
        classes.addAll(PluginClasses.concrete(Callable.class));
        classes.addAll(PluginClasses.concrete(StepExecution.class));
        classes.addAll(PluginClasses.concrete(Action.class));
        return classes;
    }

    @Test
    void everyClassThatCrossesSerializationHasASample() {
        assertThat(crossing())
                .contains(CheckoutTask.class, AbortAgentTask.class, FlowStep.Execution.class, FlowUpgradeAction.class);
        assertThat(samples().keySet()).containsAll(crossing());
    }

    @Test
    void everyFieldThatIsSerializedHasASerializableType() {
        List<String> problems = new ArrayList<>();
        for (Class<?> type : crossing()) {
            problems.addAll(SerializableFields.problems(type));
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everySampleSurvivesARoundTripWhole() throws Exception {
        for (Map.Entry<Class<?>, Supplier<Object>> sample : samples().entrySet()) {
            Object value = sample.getValue().get();
            assertThat(value).isExactlyInstanceOf(sample.getKey());
            byte[] bytes = InProcessAgent.serialize(value);

            Object copy = InProcessAgent.deserialize(bytes);

            assertThat(copy).isExactlyInstanceOf(sample.getKey());
            assertThat(InProcessAgent.serialize(copy))
                    .as(sample.getKey().getSimpleName() + " serialized again")
                    .isEqualTo(bytes);
        }
    }

    @Test
    void everyStepsExecutionSerializes() throws Exception {
        for (FlowStep step : steps()) {
            StepExecution execution = step.start(null);
            assertThat(InProcessAgent.roundTrip(execution)).isExactlyInstanceOf(FlowStep.Execution.class);
        }
        assertThat(steps().stream().map(Object::getClass).toList())
                .containsExactlyInAnyOrderElementsOf(PluginClasses.concrete(FlowStep.class));
    }

    @Test
    void resultMapsComeBackEqualAndOfPlainTypes() throws Exception {
        for (Map<String, Object> result : List.of(checkoutResult(), restartResult())) {
            Map<String, Object> copy = InProcessAgent.roundTrip(result);

            assertThat(copy).isEqualTo(result).isExactlyInstanceOf(LinkedHashMap.class);
            assertThat(InProcessAgent.serialize(copy)).isEqualTo(InProcessAgent.serialize(result));
        }
    }

    @Test
    void anActionRecordsTheSameAfterARoundTrip() throws Exception {
        FlowUpgradeAction copy = InProcessAgent.roundTrip(action());

        assertThat(copy.getHosts())
                .singleElement()
                .satisfies(h -> assertThat(h.getNewCommit()).isEqualTo("2222222bbbbbbb"));
        assertThat(copy.getApprovals()).containsExactly("social.example: streaming restart approved by alice");
        assertThat(copy.getAuditTrails()).containsExactly("flow-upgrade/audit-social.example.jsonl");
    }

    /** A task that holds a build log's PrintStream instead of its listener: what this test exists to catch. */
    static final class TaskHoldingAStream extends AgentTask {
        private static final long serialVersionUID = 1L;

        private final PrintStream log;

        TaskHoldingAStream(TaskListener listener) {
            super(listener);
            this.log = listener.getLogger();
        }

        @Override
        protected Map<String, Object> perform(Console console) {
            log.println("never");
            return Map.of();
        }
    }

    @Test
    void aTaskHoldingSomethingNotSerializableIsCaughtBothWays() {
        assertThat(SerializableFields.problems(TaskHoldingAStream.class))
                .containsExactly("TaskHoldingAStream.log: java.io.PrintStream is not Serializable");
        assertThatThrownBy(() -> InProcessAgent.serialize(new TaskHoldingAStream(log.listener())))
                .isInstanceOf(NotSerializableException.class);
    }

    /** Judges the declared types of the fields Java serialization writes, through the plugin's own types. */
    static final class SerializableFields {
        private SerializableFields() {}

        static List<String> problems(Class<?> type) {
            List<String> problems = new ArrayList<>();
            if (!Serializable.class.isAssignableFrom(type)) {
                problems.add(type.getSimpleName() + " is not Serializable");
                return problems;
            }
            visit(type, type.getSimpleName(), new HashSet<>(), problems);
            return problems;
        }

        private static void visit(Class<?> type, String path, Set<Class<?>> seen, List<String> problems) {
            if (!seen.add(type)) {
                return;
            }
            for (Class<?> c = type; c != null && Serializable.class.isAssignableFrom(c); c = c.getSuperclass()) {
                for (Field field : c.getDeclaredFields()) {
                    int modifiers = field.getModifiers();
                    if (Modifier.isStatic(modifiers) || Modifier.isTransient(modifiers)) {
                        continue;
                    }
                    Class<?> fieldType = field.getType();
                    while (fieldType.isArray()) {
                        fieldType = fieldType.getComponentType();
                    }
                    String fieldPath = path + "." + field.getName();
                    if (fieldType.isPrimitive()) {
                        continue;
                    }
                    if (Serializable.class.isAssignableFrom(fieldType)) {
                        if (fieldType.getPackageName().equals(PluginClasses.PACKAGE)) {
                            visit(fieldType, fieldPath, seen, problems);
                        }
                    } else if (!fieldType.isInterface() && !Modifier.isAbstract(fieldType.getModifiers())) {
                        // An interface or abstract type (List, Map) is judged by the sample's round trip.
                        problems.add(fieldPath + ": " + fieldType.getName() + " is not Serializable");
                    }
                }
            }
        }
    }
}

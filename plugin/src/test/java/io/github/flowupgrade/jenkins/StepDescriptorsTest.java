package io.github.flowupgrade.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.util.Set;
import java.util.stream.Stream;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each step's descriptor: the Pipeline function name, its display name, and that it runs inside {@code node}. */
class StepDescriptorsTest {
    static Stream<Arguments> descriptors() {
        return Stream.of(
                Arguments.of(
                        new FlowFetchReleaseStep.DescriptorImpl(),
                        "flowFetchRelease",
                        "Look up a Mastodon release and plan the upgrade"),
                Arguments.of(
                        new FlowCheckoutStep.DescriptorImpl(),
                        "flowCheckout",
                        "Check out a Mastodon release on a host"),
                Arguments.of(
                        new FlowRunUpgradeTasksStep.DescriptorImpl(),
                        "flowRunUpgradeTasks",
                        "Run the upgrade tasks of a Mastodon release on a host"),
                Arguments.of(
                        new FlowRestartServicesStep.DescriptorImpl(),
                        "flowRestartServices",
                        "Restart Mastodon services on a host"));
    }

    @ParameterizedTest
    @MethodSource("descriptors")
    void namesTheFunctionAndNeedsTheAgentOfANode(StepDescriptor descriptor, String function, String displayName) {
        assertThat(descriptor.getFunctionName()).isEqualTo(function).matches("[a-z][A-Za-z0-9_]*");
        assertThat(descriptor.getDisplayName()).isEqualTo(displayName);
        assertThat(Set.<Class<?>>copyOf(descriptor.getRequiredContext()))
                .containsExactlyInAnyOrder(
                        FilePath.class, Launcher.class, TaskListener.class, Run.class, EnvVars.class);
    }
}

package io.github.flowupgrade.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.junit.jupiter.api.Test;

/**
 * {@code Jenkinsfile.example} calls only steps that exist, with parameters they bind: a Pipeline passes named
 * arguments to the step's {@code @DataBoundConstructor} parameters and {@code @DataBoundSetter}s by name (structs
 * plugin, {@code DescribableModel}), and an unknown one fails the build. A renamed parameter must not leave the example
 * behind.
 */
class JenkinsfileExampleTest {
    private static final Pattern CALL = Pattern.compile("\\b(flow[A-Z]\\w*)\\(");
    private static final Pattern ARGUMENT = Pattern.compile("(?:^|[(,])\\s*(\\w+)\\s*:");

    @Test
    void everyFlowStepCallUsesParametersThatStepHas() throws Exception {
        String example = Files.readString(repositoryRoot().resolve("Jenkinsfile.example"));
        Map<String, Class<?>> steps = new TreeMap<>();
        for (Class<?> step : PluginClasses.concrete(FlowStep.class)) {
            steps.put(functionName(step), step);
        }
        List<String> calls = new ArrayList<>();
        Matcher call = CALL.matcher(example);
        while (call.find()) {
            String function = call.group(1);
            assertThat(steps).as("a step named " + function).containsKey(function);
            String arguments = arguments(example, call.end());
            Matcher argument = ARGUMENT.matcher(arguments);
            while (argument.find()) {
                assertThat(bound(steps.get(function), argument.group(1)))
                        .as(function + " binds " + argument.group(1))
                        .isTrue();
            }
            calls.add(function);
        }
        assertThat(calls).contains("flowUpgrade");
        // The example upgrades one instance of three hosts, described inline, and the description holds.
        assertThat(example).contains("flowUpgrade(instance: INSTANCE");
        String opening = "def INSTANCE = " + "'".repeat(3);
        int start = example.indexOf(opening) + opening.length();
        String description = example.substring(start, example.indexOf("'".repeat(3), start));
        assertThat(InstanceFile.parse(description).hosts()).hasSize(3);
    }

    /** The text between the call's parentheses, nested ones included, with strings and GStrings blanked. */
    private static String arguments(String text, int from) {
        int depth = 1;
        StringBuilder out = new StringBuilder();
        boolean inString = false;
        char quote = 0;
        for (int i = from; i < text.length() && depth > 0; i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == quote) {
                    inString = false;
                }
                out.append(' ');
                continue;
            }
            if (c == '\'' || c == '"') {
                inString = true;
                quote = c;
                out.append(' ');
                continue;
            }
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (depth > 0) {
                // Only the call's own level: named arguments of nested calls or maps are not this step's.
                out.append(depth == 1 ? c : ' ');
            }
        }
        return out.toString();
    }

    private static boolean bound(Class<?> step, String parameter) {
        String suffix = Character.toUpperCase(parameter.charAt(0)) + parameter.substring(1);
        for (Class<?> c = step; c != null; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (m.getName().equals("set" + suffix)
                        && m.isAnnotationPresent(org.kohsuke.stapler.DataBoundSetter.class)) {
                    return true;
                }
                if (m.getName().equals("get" + suffix) || m.getName().equals("is" + suffix)) {
                    // A constructor parameter: it has a getter and no setter.
                    return true;
                }
            }
        }
        return false;
    }

    private static String functionName(Class<?> step) throws Exception {
        for (Class<?> nested : step.getDeclaredClasses()) {
            if (StepDescriptor.class.isAssignableFrom(nested)) {
                StepDescriptor descriptor =
                        (StepDescriptor) nested.getDeclaredConstructor().newInstance();
                return descriptor.getFunctionName();
            }
        }
        throw new AssertionError("no descriptor in " + step);
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("Jenkinsfile.example"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("the repository root, holding Jenkinsfile.example").isNotNull();
        return dir;
    }
}

package io.github.flowupgrade.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import java.beans.Introspector;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Snippet Generator can offer every parameter: each step has a {@code help.html}, and each parameter (each
 * property with a getter) a field in the step's form and a {@code help-<name>.html}, in the step's resource folder or
 * in the shared {@code HostStep} one.
 */
class StepFormsTest {
    @ParameterizedTest
    @ValueSource(
            classes = {
                FlowFetchReleaseStep.class,
                FlowCheckoutStep.class,
                FlowRunUpgradeTasksStep.class,
                FlowRestartServicesStep.class
            })
    void everyParameterHasAFieldAndHelp(Class<?> step) throws IOException {
        assertThat(resource(step, "help.html"))
                .as(step.getSimpleName() + "/help.html")
                .isNotNull();
        String form = resource(step, "config.jelly");
        assertThat(form).isNotNull();
        if (HostStep.class.isAssignableFrom(step)) {
            assertThat(form).contains("<st:include page=\"host-config.jelly\"");
            form += resource(HostStep.class, "host-config.jelly");
        }
        for (String property : properties(step)) {
            assertThat(form)
                    .as("field " + property + " of " + step.getSimpleName())
                    .contains("field=\"" + property + "\"");
            String help = "help-" + property + ".html";
            String text = resource(step, help) != null ? resource(step, help) : resource(HostStep.class, help);
            assertThat(text)
                    .as(help + " of " + step.getSimpleName())
                    .isNotNull()
                    .contains("<div>");
        }
    }

    private static Set<String> properties(Class<?> step) {
        Set<String> names = new TreeSet<>();
        for (Method m : step.getMethods()) {
            String name = m.getName();
            boolean getter = m.getParameterCount() == 0
                    && (name.startsWith("get") && name.length() > 3 || name.startsWith("is") && name.length() > 2);
            if (getter && !List.of("getClass", "getDescriptor").contains(name)) {
                names.add(Introspector.decapitalize(name.substring(name.startsWith("is") ? 2 : 3)));
            }
        }
        return names;
    }

    private static String resource(Class<?> owner, String name) throws IOException {
        try (InputStream in = owner.getResourceAsStream(owner.getSimpleName() + "/" + name)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}

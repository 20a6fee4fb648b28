package io.github.flowupgrade.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code Messages.properties} and the {@code Messages} class agree as the Jenkins localizer makes them agree: one
 * static String method per key (dots as underscores), one argument per placeholder. Offline this checks the
 * hand-written stand-in; under -Pjenkins, the generated class.
 */
class MessagesTest {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\d+)}");

    @Test
    void everyKeyHasAMethodWithOneArgumentPerPlaceholderAndNoMethodLacksAKey() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Messages.class.getResourceAsStream("Messages.properties")) {
            assertThat(in).isNotNull();
            properties.load(in);
        }
        Set<String> expected = new TreeSet<>();
        for (String key : properties.stringPropertyNames()) {
            int arity = 0;
            Matcher m = PLACEHOLDER.matcher(properties.getProperty(key));
            while (m.find()) {
                arity = Math.max(arity, Integer.parseInt(m.group(1)) + 1);
            }
            expected.add(key.replace('.', '_') + "/" + arity);
        }
        Set<String> actual = Arrays.stream(Messages.class.getDeclaredMethods())
                .filter(method -> Modifier.isPublic(method.getModifiers())
                        && Modifier.isStatic(method.getModifiers())
                        && method.getReturnType() == String.class
                        && !method.getName().startsWith("_"))
                .map(MessagesTest::signature)
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void formatsPlaceholdersAndQuotes() {
        assertThat(Messages.Step_CredentialsNotFound(
                        "mastodon-ssh", "SSH Username with private key", "ssh://social.example:22"))
                .isEqualTo("No credentials with id 'mastodon-ssh' of type SSH Username with private key are available"
                        + " to this build for ssh://social.example:22.");
        assertThat(Messages.Check_Seconds(600))
                .isEqualTo("A whole number of seconds from 1 to 600, or 0 for the engine's default.");
        assertThat(Messages.Check_Required("host")).isEqualTo("host is required.");
    }

    private static String signature(Method method) {
        return method.getName() + "/" + method.getParameterCount();
    }
}

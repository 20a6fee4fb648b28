package io.github.flowupgrade.jenkins;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The plugin's own classes and resources, found where the build put them (the classes directory of the plugin's main
 * code), so that the rule and serialization tests cover every step, task, action and view without a list to keep up.
 */
final class PluginClasses {
    static final String PACKAGE = FlowStep.class.getPackageName();

    private PluginClasses() {}

    /** The classes directory that holds the plugin's main classes and resources. */
    static Path root() {
        try {
            return Path.of(FlowStep.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The plugin package's directory in {@link #root()}. */
    static Path packageDir() {
        return root().resolve(PACKAGE.replace('.', '/'));
    }

    /** Every class of the plugin's package (nested ones too), in name order. */
    static List<Class<?>> all() {
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> files = Files.list(packageDir())) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".class") && !name.equals("package-info.class")) {
                    classes.add(Class.forName(
                            PACKAGE + "." + name.substring(0, name.length() - 6),
                            false,
                            FlowStep.class.getClassLoader()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        classes.sort(Comparator.comparing(Class::getName));
        return classes;
    }

    /** The concrete classes of the package that are {@code type}s. */
    static <T> List<Class<? extends T>> concrete(Class<T> type) {
        List<Class<? extends T>> found = new ArrayList<>();
        for (Class<?> c : all()) {
            if (type.isAssignableFrom(c) && !c.isInterface() && !Modifier.isAbstract(c.getModifiers())) {
                found.add(c.asSubclass(type));
            }
        }
        return found;
    }
}

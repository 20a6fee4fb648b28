package io.github.flowupgrade;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version of flow-upgrade, from the build, for {@code --version} and the audit trail. */
public final class FlowVersion {
    private FlowVersion() {}

    public static String get() {
        try (InputStream in = FlowVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

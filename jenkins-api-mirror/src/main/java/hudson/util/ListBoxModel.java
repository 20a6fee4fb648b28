// Mirrors org.jenkins-ci.main:jenkins-core 2.541.3, type hudson.util.ListBoxModel.
// Compile-only stand-in: same package, name and signatures as the real type; no behaviour (see README.md).
package hudson.util;

import java.util.ArrayList;

public class ListBoxModel extends ArrayList<ListBoxModel.Option> {
    public ListBoxModel() {}

    public void add(String displayName, String value) {
        throw new UnsupportedOperationException("compile-only mirror of the Jenkins API");
    }

    public static final class Option {
        private Option() {}
    }
}

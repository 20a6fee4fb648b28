package io.github.flowupgrade.commands;

import io.github.flowupgrade.FlowException;
import java.util.regex.Pattern;

/**
 * A release tag, validated once, where it enters the engine: an option or step parameter, a GitHub release, the host's
 * checkout history. Code that builds commands from a tag takes this type, so it never sees an unchecked string.
 *
 * @param name as spelt: an optional {@code v}, a semver core, an optional pre-release and build metadata (forks such as
 *     Hometown use it), at most 128 characters
 */
public record ReleaseTag(String name) {
    private static final Pattern TAG =
            Pattern.compile("v?(0|[1-9][0-9]{0,8})\\.(0|[1-9][0-9]{0,8})\\.(0|[1-9][0-9]{0,8})"
                    + "(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?(\\+[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?");

    public ReleaseTag {
        if (name == null || name.isEmpty()) {
            throw FlowException.badInput("missing tag");
        }
        if (!isValid(name)) {
            throw FlowException.badInput("not a release tag: " + Inputs.printable(name)
                    + " (expected a version such as v4.3.1, v4.4.0-rc.1 or v4.0.15+hometown-1.1.1)");
        }
    }

    public static ReleaseTag of(String name) {
        return new ReleaseTag(name);
    }

    /** The tag, or null for null (an optional tag that was not given). */
    public static ReleaseTag ofNullable(String name) {
        return name == null ? null : new ReleaseTag(name);
    }

    public static boolean isValid(String name) {
        return name != null && name.length() <= 128 && TAG.matcher(name).matches();
    }

    /** The revision of the commit it names: {@code refs/tags/<name>^{commit}}, through an annotated tag object. */
    public String commitRevision() {
        return "refs/tags/" + name + "^{commit}";
    }

    @Override
    public String toString() {
        return name;
    }
}

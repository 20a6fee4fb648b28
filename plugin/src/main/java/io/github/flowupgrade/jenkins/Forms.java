package io.github.flowupgrade.jenkins;

import hudson.util.FormValidation;

/** Turns a {@link Check} into the form validation Jenkins shows next to a field. */
final class Forms {
    private Forms() {}

    static FormValidation of(Check check) {
        return switch (check.kind()) {
            case OK -> FormValidation.ok();
            case WARNING -> FormValidation.warning(check.message());
            case ERROR -> FormValidation.error(check.message());
        };
    }
}

package io.github.flowupgrade.jenkins;

import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import java.util.List;

/** Turns plain values into what Jenkins' forms show: a {@link Check} next to a field, choices in a drop-down list. */
final class Forms {
    private Forms() {}

    static FormValidation of(Check check) {
        return switch (check.kind()) {
            case OK -> FormValidation.ok();
            case WARNING -> FormValidation.warning(check.message());
            case ERROR -> FormValidation.error(check.message());
        };
    }

    static ListBoxModel listBox(List<FieldChoices.Choice> choices) {
        ListBoxModel model = new ListBoxModel();
        for (FieldChoices.Choice choice : choices) {
            model.add(choice.label(), choice.value());
        }
        return model;
    }
}

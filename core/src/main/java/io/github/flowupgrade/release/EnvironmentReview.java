package io.github.flowupgrade.release;

import java.util.List;

/**
 * One entry of a workflow run's deployment review log, as GitHub's REST API lists it ({@code environment-approvals}):
 * the environments the review covered, its state ({@code approved}, {@code rejected}, or {@code pending} for a
 * comment without a decision), the reviewer's login and the comment.
 *
 * @param comment the reviewer's comment; empty when GitHub sends none
 */
public record EnvironmentReview(List<String> environments, String state, String login, String comment) {
    public EnvironmentReview {
        environments = List.copyOf(environments);
        comment = comment == null ? "" : comment;
    }

    /** Whether it covers {@code environment}; GitHub's environment names ignore case. */
    public boolean covers(String environment) {
        return environments.stream().anyMatch(name -> name.equalsIgnoreCase(environment));
    }
}

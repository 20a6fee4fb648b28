package io.github.flowupgrade.upgrade.approval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The proof that a GitHub environment was approved in a workflow run: read from the run's review log, it names the
 * reviewers who approved it and what they wrote.
 *
 * @param environment the environment as the user named it
 * @param run the run it was approved in
 * @param reviewers the logins of those who approved it, in the order GitHub lists them
 * @param comments the approving reviewers' comments that are not empty
 */
public record EnvironmentApproval(String environment, GitHubRun run, List<String> reviewers, List<Comment> comments) {
    /** A reviewer's comment on the approval. */
    public record Comment(String reviewer, String text) {}

    public EnvironmentApproval {
        reviewers = List.copyOf(reviewers);
        comments = List.copyOf(comments);
        if (reviewers.isEmpty()) {
            throw new IllegalArgumentException("an approval has at least one reviewer");
        }
    }

    /** Who approved, as the audit trail's {@code by} and the result's {@code approvedBy} name them. */
    public String approvedBy() {
        return String.join(", ", reviewers);
    }

    /** The audit fields of the proof: the environment, the run, the reviewers and their comments. */
    public Map<String, Object> fields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("environment", environment);
        fields.put("repository", run.repository());
        fields.put("runId", run.runId());
        fields.put("runAttempt", run.attempt());
        fields.put("reviewers", reviewers);
        List<Object> said = new ArrayList<>();
        for (Comment comment : comments) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("reviewer", comment.reviewer());
            one.put("comment", comment.text());
            said.add(one);
        }
        fields.put("comments", said);
        return fields;
    }
}

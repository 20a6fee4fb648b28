package io.github.flowupgrade.jenkins;

import io.github.flowupgrade.Option;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@code flowUpgrade} result on the controller, and what to tell the Pipeline author about it, in step parameters:
 * the streaming restarts that wait for an approval, and after a failure how to resume or roll back. The engine returns
 * these as data ({@code resume}, {@code rollbackTo}); this is their wording for a Jenkinsfile, as {@code flow upgrade}
 * words them as command lines.
 */
final class UpgradeOutcome {
    private final ResultView result;

    UpgradeOutcome(Map<String, Object> result) {
        this.result = new ResultView(result);
    }

    boolean succeeded() {
        return instance() ? result.number("exitCode") == 0 : failedHost() == null;
    }

    /** Whether the result is an instance's ({@code instance}), which resumes and approves as one. */
    private boolean instance() {
        return !result.child("instance").isEmpty();
    }

    /** Prints, for each host whose streaming restart waits for an approval, how the pipeline finishes it. */
    void warnPending(PrintStream log) {
        if (instance()) {
            ResultView streaming = new ResultView(result.child("streaming"));
            if ("pending approval".equals(streaming.text("status", null))) {
                String tag = result.text("tag", "?");
                log.println("Streaming of the instance waits for an approval (" + streaming.text("reason", "")
                        + "). Ask with input(id: '" + InputApprovals.DEFAULT_INPUT_ID + "', submitterParameter:"
                        + " 'approver', ...), then run flowUpgrade again with the same instance, "
                        + Option.FROM.withValue(tag) + ", " + Option.STREAMING.withValue("always") + ", "
                        + Option.APPROVED_BY.named() + ": approver (already on " + tag + ": only streaming is"
                        + " restarted, on the streaming hosts).");
            }
            return;
        }
        for (ResultView host : hosts()) {
            ResultView streaming = new ResultView(host.child("streaming"));
            if ("pending approval".equals(streaming.text("status", null))) {
                log.println("Streaming on " + host.text("host", "?") + " waits for an approval ("
                        + streaming.text("reason", "") + "). Ask with input(id: '" + InputApprovals.DEFAULT_INPUT_ID
                        + "', submitterParameter: 'approver', ...), then run flowRestartServices("
                        + Option.HOST.withValue(host.text("host", "?")) + ", services: 'none', "
                        + Option.STREAMING.withValue("always") + ", " + Option.APPROVED_BY.named()
                        + ": approver) with the same connection parameters.");
            }
        }
    }

    /** The failed host's error, what completed (in the engine's report), and how to resume or roll back. */
    String failureMessage() {
        if (instance()) {
            return instanceFailure();
        }
        ResultView failed = failedHost();
        String name = failed.text("host", "?");
        StringBuilder message = new StringBuilder(failed.text("error", "the upgrade failed on " + name));
        message.append(" [exit code ").append(failed.number("exitCode")).append(']');
        ResultView resume = new ResultView(failed.child("resume"));
        List<String> words = new ArrayList<>();
        words.add(Option.HOST.withValue(name));
        String from = resume.text("from", null);
        if (from != null) {
            words.add(Option.FROM.withValue(from));
        }
        if (resume.flag("forceUnlock")) {
            words.add(Option.FORCE_UNLOCK.set());
        }
        message.append("\nTo resume (completed steps are safe to repeat): run flowUpgrade again with ")
                .append(String.join(", ", words))
                .append(" and the other parameters as before.");
        List<?> notRun = result.list("notRun");
        if (!notRun.isEmpty()) {
            message.append("\nThen the hosts not reached, each from the release it runs: ")
                    .append(Option.HOST.withValue(String.join(
                            ", ", notRun.stream().map(String::valueOf).toList())))
                    .append('.');
        }
        String rollbackTo = failed.text("rollbackTo", null);
        if (rollbackTo != null) {
            message.append("\nTo roll the code back to ")
                    .append(rollbackTo)
                    .append(" instead: flowCheckout(")
                    .append(Option.HOST.withValue(name))
                    .append(", ")
                    .append(Option.TAG.withValue(rollbackTo))
                    .append(", ...) with the same connection parameters, then flowRestartServices (database"
                            + " migrations that ran are not undone).");
        }
        return message.toString();
    }

    /** An instance resumes as one: the same instance, from the release it ran before. */
    private String instanceFailure() {
        StringBuilder message = new StringBuilder(result.text("error", "the upgrade of the instance failed"));
        message.append(" [exit code ").append(result.number("exitCode")).append(']');
        ResultView resume = new ResultView(result.child("resume"));
        List<String> words = new ArrayList<>();
        String from = resume.text("from", null);
        if (from != null) {
            words.add(Option.FROM.withValue(from));
        }
        if (resume.flag("forceUnlock")) {
            words.add(Option.FORCE_UNLOCK.set());
        }
        message.append("\nTo resume (completed steps are safe to repeat): run flowUpgrade again with the same ")
                .append(Option.INSTANCE.named())
                .append(words.isEmpty() ? "" : ", " + String.join(", ", words))
                .append(" and the other parameters as before.");
        String rollbackTo = result.text("rollbackTo", null);
        if (rollbackTo != null) {
            message.append("\nTo roll the code back to ")
                    .append(rollbackTo)
                    .append(" instead: flowCheckout(")
                    .append(Option.TAG.withValue(rollbackTo))
                    .append(", ...) on each host of the instance, then flowRestartServices (no migration had"
                            + " started).");
        }
        return message.toString();
    }

    private ResultView failedHost() {
        for (ResultView host : hosts()) {
            if (host.number("exitCode") != 0) {
                return host;
            }
        }
        return null;
    }

    private List<ResultView> hosts() {
        List<ResultView> hosts = new ArrayList<>();
        for (Object host : result.list("hosts")) {
            hosts.add(new ResultView(ResultView.asMap(host)));
        }
        return hosts;
    }
}

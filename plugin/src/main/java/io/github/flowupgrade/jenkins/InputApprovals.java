package io.github.flowupgrade.jenkins;

import hudson.model.Run;
import hudson.model.User;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiPredicate;
import jenkins.model.IdStrategy;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.workflow.actions.ArgumentsAction;
import org.jenkinsci.plugins.workflow.flow.FlowExecution;
import org.jenkinsci.plugins.workflow.flow.FlowExecutionOwner;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.support.steps.input.InputSubmittedAction;

/**
 * The gate in front of a disruptive action, decided on the controller: does this build carry an approval of the
 * {@code input} step with id {@code inputId}, given by the user named {@code approvedBy}? Used by
 * {@code flowRestartServices} for streaming; any step that needs a human's go-ahead can use it the same way.
 *
 * <p>Where the approvals are: when someone approves an {@code input}, pipeline-input-step adds an
 * {@code InputSubmittedAction} holding the approver's user id ({@code User.current()}, none when nobody is signed in)
 * to that step's flow node, whose recorded arguments hold the {@code id} the Pipeline gave it
 * ({@code InputStepExecution.proceed}). A rejection adds nothing. User ids are compared as Jenkins compares them
 * ({@code User.idStrategy()}): {@code submitterParameter} returns the name the user signed in with, which can differ
 * from the stored id in case under a case-insensitive security realm.
 *
 * <p>With security off ({@code Jenkins.isUseSecurity()} false) nobody is signed in, so an approval carries no user:
 * the gate then accepts an approval of the named {@code input} by anyone and records it as such (see the README's
 * "The streaming gate"). With security on, an approval without a user is refused.
 */
final class InputApprovals {
    /** The {@code input} id {@code Jenkinsfile.example} gives the streaming approval. */
    static final String DEFAULT_INPUT_ID = "RestartStreaming";

    static final String ANONYMOUS = "anonymous (Jenkins security is off)";

    /** One approval of an {@code input} step: its id argument (null when it had none) and the approver's user id. */
    record RecordedApproval(String inputId, String approverId) {}

    private final BiPredicate<String, String> sameUser;
    private final boolean securityOn;

    /**
     * @param sameUser whether two user ids name the same user
     * @param securityOn whether Jenkins has security on (users sign in)
     */
    InputApprovals(BiPredicate<String, String> sameUser, boolean securityOn) {
        this.sameUser = sameUser;
        this.securityOn = securityOn;
    }

    /** The gate as this Jenkins decides it: its user id strategy and its security setting. */
    static InputApprovals ofJenkins() {
        IdStrategy ids = User.idStrategy();
        return new InputApprovals(ids::equals, Jenkins.get().isUseSecurity());
    }

    /** The verdict for {@code run}: see {@link #decide(String, String, List)}. */
    ApprovalVerdict decide(Run<?, ?> run, String approvedBy, String inputId) {
        return decide(approvedBy, inputId, recorded(run));
    }

    /**
     * Approved when {@code approvedBy} names a user who approved an {@code input} step with id {@code inputId} (ids as
     * {@code input} normalizes them), or, with security off, when that {@code input} was approved at all.
     */
    ApprovalVerdict decide(String approvedBy, String inputId, List<RecordedApproval> approvals) {
        String name = Params.trimToNull(approvedBy);
        String id = inputStepId(inputId);
        if (name == null) {
            return ApprovalVerdict.refused(Messages.Gate_NoApprover(id));
        }
        List<String> approvers = new ArrayList<>();
        boolean unattributed = false;
        for (RecordedApproval approval : approvals) {
            if (approval.inputId() == null || !inputStepId(approval.inputId()).equals(id)) {
                continue;
            }
            String approver = approval.approverId();
            if (approver == null) {
                unattributed = true;
                approvers.add("anonymous");
            } else if (sameUser.test(approver, name)) {
                return ApprovalVerdict.approvedBy(approver, Messages.Gate_Approved(approver, id));
            } else {
                approvers.add(approver);
            }
        }
        if (unattributed && !securityOn) {
            return ApprovalVerdict.approvedBy(ANONYMOUS, Messages.Gate_ApprovedWithoutSecurity(id));
        }
        if (approvers.isEmpty()) {
            return ApprovalVerdict.refused(Messages.Gate_InputNotApproved(id));
        }
        return ApprovalVerdict.refused(Messages.Gate_NotApproved(name, id, String.join(", ", approvers)));
    }

    /**
     * The approvals recorded on the {@code input} steps of the build's flow graph, from its current heads back to its
     * start; none for a build that is not a Pipeline.
     */
    static List<RecordedApproval> recorded(Run<?, ?> run) {
        List<RecordedApproval> approvals = new ArrayList<>();
        if (!(run instanceof FlowExecutionOwner.Executable executable)) {
            return approvals;
        }
        FlowExecution execution = executable.asFlowExecutionOwner().getOrNull();
        if (execution == null) {
            return approvals;
        }
        Deque<FlowNode> pending = new ArrayDeque<>(execution.getCurrentHeads());
        Set<String> seen = new HashSet<>();
        while (!pending.isEmpty()) {
            FlowNode node = pending.pop();
            if (!seen.add(node.getId())) {
                continue;
            }
            InputSubmittedAction submitted = node.getAction(InputSubmittedAction.class);
            if (submitted != null) {
                ArgumentsAction arguments = node.getAction(ArgumentsAction.class);
                Object id = arguments == null ? null : arguments.getArgumentValue("id");
                approvals.add(new RecordedApproval(id instanceof String s ? s : null, submitted.getApprover()));
            }
            pending.addAll(node.getParents());
        }
        return approvals;
    }

    /**
     * An id as the {@code input} step keeps it: trimmed, a leading lower-case ASCII letter made upper-case
     * ({@code InputStep.setId}), so {@code 'restartStreaming'} and {@code 'RestartStreaming'} are the same prompt; null
     * or blank is {@link #DEFAULT_INPUT_ID}.
     */
    static String inputStepId(String id) {
        String value = Params.trimToNull(id);
        if (value == null) {
            return DEFAULT_INPUT_ID;
        }
        char first = value.charAt(0);
        return first >= 'a' && first <= 'z' ? Character.toUpperCase(first) + value.substring(1) : value;
    }
}

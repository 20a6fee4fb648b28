package io.github.flowupgrade.jenkins;

import java.io.IOException;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * What every flow step shares: the application profile parameter ({@code mastodon}, {@code flow} or a JSON file), and
 * one way to run: off the Pipeline's thread, the step's {@link #run(StepEnvironment)} turns its parameters into an
 * engine request on the agent and returns the engine's result map.
 */
public abstract class FlowStep extends Step {
    private String app = ReleaseRequest.DEFAULT_APP;

    public String getApp() {
        return app;
    }

    @DataBoundSetter
    public void setApp(String app) {
        String value = Params.trimToNull(app);
        this.app = value == null ? ReleaseRequest.DEFAULT_APP : value;
    }

    @Override
    public final StepExecution start(StepContext context) {
        return new Execution(this, context);
    }

    /** The step's work: resolves its credentials, runs its task on the agent, records the result on the build. */
    abstract Map<String, Object> run(StepEnvironment env) throws IOException, InterruptedException;

    /** Runs a step once; like every synchronous step it is not resumed after a controller restart. */
    static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;

        private final transient FlowStep step;

        Execution(FlowStep step, StepContext context) {
            super(context);
            this.step = step;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            return step.run(StepEnvironment.of(getContext()));
        }
    }
}

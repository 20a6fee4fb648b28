package io.github.flowupgrade.jenkins;

import hudson.security.ACL;
import hudson.security.ACLContext;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousResumeNotSupportedException;
import org.kohsuke.stapler.DataBoundSetter;
import org.springframework.security.core.Authentication;

/**
 * What every flow step shares: the application profile parameter ({@code mastodon}, {@code flow} or a JSON file), and
 * one way to run: off the Pipeline's thread, the step's {@link #run(StepEnvironment)} turns its parameters into an
 * engine request on the agent and returns the engine's result map.
 */
public abstract class FlowStep extends Step {
    static {
        // The engine's messages on the controller (the steps' own checks) name step parameters.
        StepParameterNames.install();
    }

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

    /**
     * Runs a step once, synchronously (the Pipeline waits for its result) and off the Pipeline's thread, as
     * {@code SynchronousNonBlockingStepExecution} does, with one difference: a stop (the build aborted, a
     * {@code timeout} expired) ends the step only once the agent has cleaned up ({@link StepRun}). Like every
     * synchronous step it is not resumed after a controller restart: it fails, saying so.
     */
    static final class Execution extends StepExecution {
        private static final long serialVersionUID = 1L;

        private static final ExecutorService THREADS = Executors.newCachedThreadPool(new StepThreads());

        private final transient FlowStep step;
        private transient volatile StepRun stepRun;

        Execution(FlowStep step, StepContext context) {
            super(context);
            this.step = step;
        }

        @Override
        public boolean start() {
            Authentication authentication = Jenkins.getAuthentication2();
            StepRun run = new StepRun();
            stepRun = run;
            run.start(
                    THREADS,
                    r -> {
                        try (ACLContext as = ACL.as2(authentication)) {
                            return step.run(StepEnvironment.of(getContext(), r));
                        }
                    },
                    new StepRun.Outcome() {
                        @Override
                        public void succeeded(Map<String, Object> result) {
                            getContext().onSuccess(result);
                        }

                        @Override
                        public void failed(Throwable cause) {
                            getContext().onFailure(cause);
                        }
                    });
            return false;
        }

        @Override
        public void stop(Throwable cause) {
            StepRun run = stepRun;
            if (run == null) {
                getContext().onFailure(cause);
            } else {
                run.stop(cause, THREADS); // ends the step itself, once the agent has returned
            }
        }

        /** After a controller restart the work is lost; fail with the message {@code retry(nonresumable())} knows. */
        @Override
        public void onResume() {
            getContext().onFailure(new SynchronousResumeNotSupportedException(getContext()));
        }

        @Override
        public String getStatus() {
            StepRun run = stepRun;
            return run == null ? "not started" : run.status();
        }

        @Override
        public boolean blocksRestart() {
            StepRun run = stepRun;
            return run != null && run.running();
        }
    }

    /** Daemon threads named after the plugin, with the plugin's class loader (not that of whoever made them). */
    private static final class StepThreads implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "flow-upgrade step " + count.incrementAndGet());
            thread.setDaemon(true);
            thread.setContextClassLoader(FlowStep.class.getClassLoader());
            return thread;
        }
    }
}

package io.github.flowupgrade.jenkins;

import hudson.remoting.Callable;
import hudson.remoting.VirtualChannel;
import java.io.IOException;

/** The way to an agent: a step's channel to the agent of its {@code node}, or an in-process stand-in in tests. */
interface AgentLink {
    /** Runs {@code task} on the agent and returns what it returned there. */
    <V> V call(Callable<V, IOException> task) throws IOException, InterruptedException;

    /** The agent behind a remoting channel. */
    static AgentLink of(VirtualChannel channel) {
        return new AgentLink() {
            @Override
            public <V> V call(Callable<V, IOException> task) throws IOException, InterruptedException {
                return channel.call(task);
            }

            @Override
            public String toString() {
                return "channel " + channel;
            }
        };
    }
}

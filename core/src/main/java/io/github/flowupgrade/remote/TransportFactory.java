package io.github.flowupgrade.remote;

/** Opens the transport to one host; a run opens one per host and closes it at the end. */
@FunctionalInterface
public interface TransportFactory {
    /**
     * @throws io.github.flowupgrade.FlowException {@code NETWORK} when the host cannot be reached, {@code REFUSED} when
     *     its host key is not trusted
     */
    Transport open(String host);
}

package io.github.flowupgrade.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes several test hosts reachable side by side, each at its own loopback address, for the demo of an instance:
 * started in a client network namespace of its own ({@code ip netns exec CLIENT java -cp ... PortForwardMain ...}),
 * it listens on each {@code ADDRESS:PORT} given and pipes every connection to 127.0.0.1:{@code TARGET} inside the
 * host's namespace (through {@code ip netns exec}, as {@link PortForward} does). Prints {@code FORWARDING} once every
 * address listens, then forwards until its standard input closes or it is killed.
 *
 * <pre>{@code java -cp CLASSPATH io.github.flowupgrade.testing.PortForwardMain 127.0.0.11:22=flowth-demo-i1:22 ...}</pre>
 */
public final class PortForwardMain {
    private static final Pattern FORWARD = Pattern.compile("(127\\.\\d+\\.\\d+\\.\\d+):(\\d+)=([a-z0-9-]+):(\\d+)");

    private PortForwardMain() {}

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: PortForwardMain ADDRESS:PORT=NAMESPACE:PORT...");
            System.exit(2);
        }
        List<PortForward> forwards = new ArrayList<>();
        try {
            for (String arg : args) {
                Matcher m = FORWARD.matcher(arg);
                if (!m.matches()) {
                    System.err.println("not ADDRESS:PORT=NAMESPACE:PORT on a loopback address: " + arg);
                    System.exit(2);
                }
                forwards.add(PortForward.start(
                        InetAddress.getByName(m.group(1)),
                        Integer.parseInt(m.group(2)),
                        m.group(3),
                        Integer.parseInt(m.group(4))));
            }
            System.out.println("FORWARDING");
            System.out.flush();
            while (System.in.read() >= 0) {
                // ignore input
            }
        } finally {
            forwards.forEach(PortForward::close);
        }
    }
}

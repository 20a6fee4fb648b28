package io.github.flowupgrade.upgrade.services;

import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.Option;
import io.github.flowupgrade.commands.Inputs;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which services a restart acts on, read the same way from the CLI's {@code --services} and the plugin's
 * {@code services}: roles separated by commas or spaces, in order, any case; {@code none} for no role. Naming
 * {@code streaming} there asks for the streaming restart, which still passes its approval gate.
 *
 * @param roles sidekiq and web, in the order given
 * @param streaming when streaming is restarted
 */
public record ServiceSelection(List<String> roles, StreamingPolicy streaming) {
    public static final String DEFAULT = "sidekiq, web";

    public ServiceSelection {
        roles = List.copyOf(roles);
    }

    /**
     * @param services the list as given, or null for {@value #DEFAULT}
     * @param streaming the streaming policy as given, or null for the default ({@code if-needed}, or {@code always}
     *     when the list names streaming)
     */
    public static ServiceSelection parse(String services, String streaming) {
        List<String> roles = new ArrayList<>();
        boolean streamingNamed = false;
        String list = services == null ? DEFAULT : services.strip();
        if (!list.equalsIgnoreCase("none")) {
            for (String item : list.split("[,\\s]+")) {
                if (item.isEmpty()) {
                    continue;
                }
                String role = item.toLowerCase(Locale.ROOT);
                if (!role.equals(ServiceRestarts.SIDEKIQ)
                        && !role.equals(ServiceRestarts.WEB)
                        && !role.equals("streaming")) {
                    throw FlowException.badInput(Option.SERVICES.named() + " takes sidekiq, web and streaming (or"
                            + " none), not " + Inputs.printable(item));
                }
                if (roles.contains(role) || (role.equals("streaming") && streamingNamed)) {
                    throw FlowException.badInput(Option.SERVICES.named() + " names " + role + " twice");
                }
                if (role.equals("streaming")) {
                    streamingNamed = true;
                } else {
                    roles.add(role);
                }
            }
        }
        StreamingPolicy policy = StreamingPolicy.parse(streaming);
        if (streamingNamed) {
            if (streaming != null && policy != StreamingPolicy.ALWAYS) {
                throw FlowException.badInput(Option.SERVICES.named() + " names streaming but "
                        + Option.STREAMING.named() + " is " + policy.spelling() + ": give one or the other");
            }
            policy = StreamingPolicy.ALWAYS;
        }
        return new ServiceSelection(roles, policy);
    }
}

package io.github.flowupgrade.remote;

import io.github.flowupgrade.FlowException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/** Which host keys a connection accepts. Verification is on unless the user explicitly asks for {@link AcceptAnyInsecure}. */
public sealed interface HostKeyPolicy {
    /**
     * Keys an OpenSSH {@code known_hosts} file vouches for, by the rules of OpenSSH's {@code ssh} (plain or hashed
     * names, wildcards, negation, {@code [host]:port}, {@code @revoked}, host certificates from {@code @cert-authority}
     * lines): see {@link KnownHostsCheck}.
     */
    record KnownHosts(Path file) implements HostKeyPolicy {}

    /**
     * Keys whose {@code SHA256:} fingerprint (as {@code ssh-keygen -lf} prints it) is one of these; a host certificate
     * is accepted by the fingerprint of its key.
     */
    record Pinned(List<String> fingerprints) implements HostKeyPolicy {
        private static final Pattern SHA256 = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}=?");

        public Pinned {
            if (fingerprints == null || fingerprints.isEmpty()) {
                throw FlowException.badInput("no host key fingerprint given");
            }
            fingerprints = fingerprints.stream()
                    .map(f -> {
                        if (f == null || !SHA256.matcher(f).matches()) {
                            throw FlowException.badInput("not a SHA256 host key fingerprint: "
                                    + (f == null ? "null" : io.github.flowupgrade.commands.Inputs.printable(f))
                                    + " (expected SHA256: and 43 base64 characters, as ssh-keygen -lf prints it)");
                        }
                        return f.endsWith("=") ? f.substring(0, f.length() - 1) : f;
                    })
                    .toList();
        }
    }

    /** Any key at all: open to a man in the middle. Only on explicit request, and always warned about. */
    record AcceptAnyInsecure() implements HostKeyPolicy {}
}

package io.github.flowupgrade.remote;

import io.github.flowupgrade.FlowException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;

/**
 * Verifies the key a server offers against a {@link HostKeyPolicy} and remembers why it refused one, so the
 * connection error can show the offered fingerprint and how to trust it. Nothing is ever written to known_hosts.
 */
final class HostKeyCheck implements HostKeyVerifier {
    private final SshTarget target;
    private final HostKeyPolicy policy;
    private final HostKeyVerifier knownHosts;
    private volatile FlowException refusal;

    HostKeyCheck(SshTarget target, HostKeyPolicy policy) {
        this.target = target;
        this.policy = policy;
        this.knownHosts = policy instanceof HostKeyPolicy.KnownHosts k ? load(k.file()) : null;
    }

    /** Why the last offered key was refused, or null. */
    FlowException refusal() {
        return refusal;
    }

    @Override
    public boolean verify(String hostname, int port, PublicKey key) {
        String offered = HostKeyFingerprint.typeOf(key) + " " + HostKeyFingerprint.of(key);
        if (policy instanceof HostKeyPolicy.AcceptAnyInsecure) {
            return true;
        }
        if (policy instanceof HostKeyPolicy.Pinned pinned) {
            if (pinned.fingerprints().contains(HostKeyFingerprint.of(key))) {
                return true;
            }
            refusal = FlowException.refused("host key of " + target.display()
                    + " does not match the pinned fingerprint " + String.join(" or ", pinned.fingerprints())
                    + ": the server offered " + offered
                    + ". Refusing to connect (this can be a man-in-the-middle attack). If the host key was"
                    + " really replaced, check the new one on the host (ssh-keygen -lf"
                    + " /etc/ssh/ssh_host_ed25519_key.pub) and pin it with --host-key "
                    + HostKeyFingerprint.of(key));
            return false;
        }
        return knownHosts.verify(hostname, port, key);
    }

    @Override
    public List<String> findExistingAlgorithms(String hostname, int port) {
        return knownHosts == null ? List.of() : knownHosts.findExistingAlgorithms(hostname, port);
    }

    private HostKeyVerifier load(Path file) {
        try {
            boolean exists = Files.isRegularFile(file);
            String where = file + (exists ? "" : " (that file does not exist)");
            String text = exists ? Files.readString(file) : "";
            return new OpenSSHKnownHosts(new StringReader(text)) {
                @Override
                protected boolean hostKeyUnverifiableAction(String hostname, PublicKey key) {
                    String fp = HostKeyFingerprint.of(key);
                    refusal = FlowException.refused("host key of " + target.display() + " is not known: it is not in "
                            + where + ". The server offered " + HostKeyFingerprint.typeOf(key) + " " + fp
                            + ". Check that fingerprint on the host (ssh-keygen -lf"
                            + " /etc/ssh/ssh_host_ed25519_key.pub); if it matches, pin it with --host-key " + fp
                            + " or add the host's key to " + file + " (ssh-keyscan" + portOption()
                            + " " + target.host() + ", after checking it)");
                    return false;
                }

                @Override
                protected boolean hostKeyChangedAction(String hostname, PublicKey key) {
                    String fp = HostKeyFingerprint.of(key);
                    refusal = FlowException.refused("host key of " + target.display() + " has CHANGED: the server"
                            + " offered " + HostKeyFingerprint.typeOf(key) + " " + fp
                            + ", which is not the key " + file + " records for it. Refusing to connect (this can be"
                            + " a man-in-the-middle attack). If the host key was really replaced, check the new"
                            + " fingerprint on the host, then remove the old entry (ssh-keygen -R "
                            + knownHostsName() + " -f " + file + ") and add the new key, or pin it with --host-key "
                            + fp);
                    return false;
                }
            };
        } catch (IOException e) {
            throw FlowException.badInput("cannot read known_hosts file " + file + ": " + e.getMessage());
        }
    }

    private String portOption() {
        return target.port() == 22 ? "" : " -p " + target.port();
    }

    private String knownHostsName() {
        return target.port() == 22 ? target.host() : "'[" + target.host() + "]:" + target.port() + "'";
    }
}

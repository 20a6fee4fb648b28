package io.github.flowupgrade.remote;

import com.hierynomus.sshj.key.KeyAlgorithm;
import com.hierynomus.sshj.userauth.certificate.Certificate;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.Option;
import io.github.flowupgrade.remote.KnownHostsCheck.Verdict;
import io.github.flowupgrade.remote.KnownHostsFile.Line;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.Factory;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies the key a server offers against a {@link HostKeyPolicy} and remembers why it refused one, so the
 * connection error can show the offered fingerprint and how to trust it. known_hosts files are judged as OpenSSH judges
 * them ({@link KnownHostsCheck}); sshj's own reading and certificate checks are not used (they accept keys OpenSSH
 * refuses). Nothing is ever written to known_hosts.
 */
final class HostKeyCheck implements HostKeyVerifier {
    private static final Logger LOG = LoggerFactory.getLogger(HostKeyCheck.class);

    private final SshTarget target;
    private final HostKeyPolicy policy;
    private final List<Factory.Named<KeyAlgorithm>> algorithms;
    private final Clock clock;
    private final KnownHostsFile knownHosts;
    private final KnownHostsCheck knownHostsCheck;
    private volatile FlowException refusal;
    /** The key accepted at the first key exchange: a re-key offering it again is not judged again (as in ssh). */
    private volatile byte[] acceptedKey;

    /** @param algorithms the host key algorithms the client offers, in its order */
    HostKeyCheck(SshTarget target, HostKeyPolicy policy, List<Factory.Named<KeyAlgorithm>> algorithms, Clock clock) {
        this.target = target;
        this.policy = policy;
        this.algorithms = algorithms;
        this.clock = clock;
        this.knownHosts = policy instanceof HostKeyPolicy.KnownHosts k ? load(k.file()) : null;
        this.knownHostsCheck =
                knownHosts == null ? null : new KnownHostsCheck(knownHosts, target.host(), target.port());
    }

    /** Why the last offered key was refused, or null. */
    FlowException refusal() {
        return refusal;
    }

    @Override
    public boolean verify(String hostname, int port, PublicKey key) {
        byte[] encoded = new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
        if (acceptedKey != null && Arrays.equals(acceptedKey, encoded)) {
            return true;
        }
        if (judge(key)) {
            acceptedKey = encoded;
            return true;
        }
        return false;
    }

    private boolean judge(PublicKey key) {
        if (policy instanceof HostKeyPolicy.AcceptAnyInsecure) {
            return true;
        }
        if (key instanceof Certificate<?> certificate) {
            String forgery = HostCertificates.forgery(certificate);
            if (forgery != null) {
                return refuse("host certificate of " + target.display() + " is not genuine: " + forgery
                        + ". The server offered " + HostKeyFingerprint.describe(key)
                        + ". Refusing to connect (OpenSSH drops such a connection too).");
            }
        }
        if (policy instanceof HostKeyPolicy.Pinned pinned) {
            if (pinned.fingerprints().contains(HostKeyFingerprint.of(key))) {
                return true;
            }
            return refuse("host key of " + target.display()
                    + " does not match the pinned fingerprint " + String.join(" or ", pinned.fingerprints())
                    + ": the server offered " + HostKeyFingerprint.describe(key)
                    + ". Refusing to connect (this can be a man-in-the-middle attack). If the host key was"
                    + " really replaced, check the new one on the host (ssh-keygen -lf"
                    + " /etc/ssh/ssh_host_ed25519_key.pub) and pin it with " + Option.HOST_KEY.named() + " "
                    + HostKeyFingerprint.of(key));
        }
        Verdict verdict = knownHostsCheck.verify(key, clock.instant());
        if (verdict instanceof Verdict.Accepted ok) {
            LOG.debug("host key of {} accepted: {}", target.display(), ok.how());
            return true;
        }
        return refuse(message((Verdict.Refused) verdict, key));
    }

    @Override
    public List<String> findExistingAlgorithms(String hostname, int port) {
        return knownHosts == null
                ? List.of()
                : HostKeyAlgorithms.preferred(algorithms, knownHosts.forName(knownHostsCheck.lookupName()));
    }

    private boolean refuse(String message) {
        refusal = FlowException.refused(message);
        return false;
    }

    private String message(Verdict.Refused refused, PublicKey key) {
        String fp = HostKeyFingerprint.of(key);
        String offered = HostKeyFingerprint.describe(key);
        String file = knownHosts.source();
        String notes = refused.notes().isEmpty() ? "" : "; " + String.join("; ", refused.notes());
        return switch (refused.kind()) {
            case REVOKED ->
                "host key of " + target.display() + " is REVOKED: the server offered " + offered + notes
                        + ". Refusing to connect: a revoked key may be stolen and used to impersonate the host. Ask the"
                        + " host's administrator for its current key.";
            case CHANGED ->
                "host key of " + target.display() + " has CHANGED: the server offered " + offered
                        + notes + ". That is not the key " + file + " records for it ("
                        + recorded(refused.recorded())
                        + "). Refusing to connect (this can be a man-in-the-middle attack). If the host key was"
                        + " really replaced, check the new fingerprint on the host, then remove the old entry"
                        + " (ssh-keygen -R " + knownHostsName() + " -f " + file + ") and add the new key, or pin it"
                        + " with " + Option.HOST_KEY.named() + " " + fp;
            case UNKNOWN ->
                "host key of " + target.display() + " is not known: it is not in " + file
                        + ". The server offered " + offered + notes
                        + ". Check that fingerprint on the host (ssh-keygen -lf"
                        + " /etc/ssh/ssh_host_ed25519_key.pub); if it matches, pin it with " + Option.HOST_KEY.named()
                        + " " + fp
                        + " or add the host's key to " + file + " (ssh-keyscan" + portOption() + " "
                        + target.host() + ", after checking it)";
        };
    }

    private static String recorded(List<Line> lines) {
        return lines.stream()
                .map(l -> "line " + l.number() + ": " + l.type() + " " + l.fingerprint())
                .collect(Collectors.joining(", "));
    }

    private static KnownHostsFile load(Path file) {
        try {
            return KnownHostsFile.read(file);
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

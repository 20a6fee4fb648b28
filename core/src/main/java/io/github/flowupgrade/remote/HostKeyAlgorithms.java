package io.github.flowupgrade.remote;

import com.hierynomus.sshj.key.KeyAlgorithm;
import com.hierynomus.sshj.key.KeyAlgorithms;
import io.github.flowupgrade.remote.KnownHostsFile.Line;
import io.github.flowupgrade.remote.KnownHostsFile.Marker;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import net.schmizz.sshj.common.Factory;
import net.schmizz.sshj.common.KeyType;

/**
 * Which host key algorithms the client asks for, and in which order, as OpenSSH's {@code ssh} does: the server then
 * offers the same key (or certificate) to flow as to {@code ssh}, so both decide on the same thing.
 */
final class HostKeyAlgorithms {
    /** OpenSSH's default HostKeyAlgorithms (myproposal.h), restricted to what sshj implements; the rest follow. */
    private static final List<String> OPENSSH_ORDER = List.of(
            "ssh-ed25519-cert-v01@openssh.com",
            "ecdsa-sha2-nistp256-cert-v01@openssh.com",
            "ecdsa-sha2-nistp384-cert-v01@openssh.com",
            "ecdsa-sha2-nistp521-cert-v01@openssh.com",
            "ssh-ed25519",
            "ecdsa-sha2-nistp256",
            "ecdsa-sha2-nistp384",
            "ecdsa-sha2-nistp521",
            "rsa-sha2-512",
            "rsa-sha2-256");

    private HostKeyAlgorithms() {}

    /** {@code algorithms} in OpenSSH's order; algorithms OpenSSH does not offer by default keep their order after. */
    static List<Factory.Named<KeyAlgorithm>> inOpenSshOrder(List<Factory.Named<KeyAlgorithm>> algorithms) {
        List<Factory.Named<KeyAlgorithm>> sorted = new ArrayList<>(algorithms);
        sorted.sort(Comparator.comparingInt(a -> {
            int rank = OPENSSH_ORDER.indexOf(a.getName());
            return rank < 0 ? OPENSSH_ORDER.size() : rank;
        }));
        return sorted;
    }

    /**
     * The algorithms to put first for a host whose known_hosts lines are {@code lines} (sshconnect2.c
     * {@code order_hostkeyalgs}): none (the order as is) when the file holds a key of the first algorithm's type;
     * otherwise every certificate algorithm if a {@code @cert-authority} line names the host, and every algorithm
     * (certificate or not) of a key type the file holds for it.
     */
    static List<String> preferred(List<Factory.Named<KeyAlgorithm>> ordered, List<Line> lines) {
        if (ordered.isEmpty() || knows(lines, plainType(ordered.get(0)))) {
            return List.of();
        }
        boolean hasCa = lines.stream().anyMatch(l -> l.marker() == Marker.CERT_AUTHORITY);
        List<String> preferred = new ArrayList<>();
        for (Factory.Named<KeyAlgorithm> algorithm : ordered) {
            if ((hasCa && isCertificate(algorithm)) || knows(lines, plainType(algorithm))) {
                preferred.add(algorithm.getName());
            }
        }
        return preferred;
    }

    /** Whether the first host key line of {@code type} exists and is not also revoked (lookup_key_in_hostkeys_by_type). */
    private static boolean knows(List<Line> lines, String type) {
        if (type == null) {
            return false;
        }
        return lines.stream()
                .filter(l -> l.marker() == Marker.NONE && l.type().equals(type))
                .findFirst()
                .filter(found -> lines.stream()
                        .noneMatch(l -> l.marker() == Marker.REVOKED && Arrays.equals(l.key(), found.key())))
                .isPresent();
    }

    private static boolean isCertificate(Factory.Named<KeyAlgorithm> algorithm) {
        return algorithm instanceof KeyAlgorithms.Factory f && f.getKeyType().getParent() != null;
    }

    private static String plainType(Factory.Named<KeyAlgorithm> algorithm) {
        if (!(algorithm instanceof KeyAlgorithms.Factory f)) {
            return null;
        }
        KeyType type = f.getKeyType();
        return (type.getParent() != null ? type.getParent() : type).toString();
    }
}

package io.github.flowupgrade.remote;

import com.hierynomus.sshj.userauth.certificate.Certificate;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Set;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.Factory;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.signature.Signature;

/**
 * The checks a host certificate must pass before a {@code @cert-authority} line may vouch for it, as OpenSSH's
 * {@code sshkey_cert_check_host} makes them (PROTOCOL.certkeys), plus one more: the certificate must name the host
 * among its principals (OpenSSH takes a certificate without principals as valid for every host; flow does not).
 */
final class HostCertificates {
    static final long USER_TYPE = 1;
    static final long HOST_TYPE = 2;

    /** OpenSSH's default CASignatureAlgorithms, less the security-key ones this client cannot verify. */
    private static final Set<String> CA_SIGNATURE_ALGORITHMS = Set.of(
            "ssh-ed25519",
            "ecdsa-sha2-nistp256",
            "ecdsa-sha2-nistp384",
            "ecdsa-sha2-nistp521",
            "rsa-sha2-512",
            "rsa-sha2-256");

    private HostCertificates() {}

    /** The CA key that signed {@code certificate}, as messages show it: {@code ssh-ed25519 SHA256:...}. */
    static String caOf(Certificate<?> certificate) {
        return typeOfBlob(certificate.getSignatureKey()) + " " + HostKeyFingerprint.ofBlob(caKey(certificate));
    }

    /**
     * The wire encoding of the CA key that signed {@code certificate}, encoded again as known_hosts lines are, so the
     * two compare byte for byte.
     */
    static byte[] caKey(Certificate<?> certificate) {
        try {
            return HostKeyFingerprint.plainBlob(new Buffer.PlainBuffer(certificate.getSignatureKey()).readPublicKey());
        } catch (Buffer.BufferException | RuntimeException e) {
            return certificate.getSignatureKey();
        }
    }

    /**
     * Why {@code certificate} is not signed as it claims, or null when its signature verifies against the CA key it
     * carries. OpenSSH checks this while reading the server's key and drops the connection on failure, whatever
     * known_hosts says; so does flow.
     */
    static String forgery(Certificate<?> certificate) {
        try {
            PublicKey ca = new Buffer.PlainBuffer(certificate.getSignatureKey()).readPublicKey();
            if (ca instanceof Certificate<?>) {
                return "its CA key is itself a certificate";
            }
            String algorithm = new Buffer.PlainBuffer(certificate.getSignature()).readString();
            Signature signature = Factory.Named.Util.create(KeyType.CertUtils.ALL_SIGNATURES, algorithm);
            if (signature == null) {
                return "it is signed with " + algorithm + ", which this client cannot verify";
            }
            // The signed part is the whole encoding but the signature (a length-prefixed string at the end). sshj
            // hands over the parsed certificate, so it is encoded again: the same bytes, except validity ends past
            // the year 292 million, which sshj reads as "forever" (and so does this check).
            byte[] encoded = new Buffer.PlainBuffer().putPublicKey(certificate).getCompactData();
            signature.initVerify(ca);
            signature.update(encoded, 0, encoded.length - certificate.getSignature().length - 4);
            return signature.verify(certificate.getSignature())
                    ? null
                    : "its signature does not verify against its CA key";
        } catch (Buffer.BufferException | RuntimeException e) {
            return "its signature cannot be checked (" + e.getClass().getSimpleName() + ")";
        }
    }

    /**
     * Why {@code certificate} does not make its key a host key of {@code host} at {@code now}, or null when it does.
     * The signature is checked separately ({@link #forgery}).
     *
     * @param host the host name as the user gave it, in lower case (never with the port)
     */
    static String problem(Certificate<?> certificate, String host, Instant now) {
        if (certificate.getType() == USER_TYPE) {
            return "it is a user certificate, not a host certificate (signed without ssh-keygen -h)";
        }
        if (certificate.getType() != HOST_TYPE) {
            return "it is not a host certificate (type " + certificate.getType() + ")";
        }
        long seconds = now.getEpochSecond();
        if (certificate.getValidAfter() != null
                && seconds < certificate.getValidAfter().getTime() / 1000) {
            return "it is not valid yet (valid from "
                    + certificate.getValidAfter().toInstant() + ")";
        }
        if (certificate.getValidBefore() != null
                && seconds >= certificate.getValidBefore().getTime() / 1000) {
            return "it has expired (valid until " + certificate.getValidBefore().toInstant() + ")";
        }
        if (certificate.getValidPrincipals() == null
                || certificate.getValidPrincipals().isEmpty()) {
            return "it names no principals: flow requires the host name " + host + " among them (OpenSSH would take"
                    + " it as valid for any host)";
        }
        if (!certificate.getValidPrincipals().contains(host)) {
            return "the host name " + host + " is not among its principals ("
                    + String.join(", ", certificate.getValidPrincipals()) + ")";
        }
        if (certificate.getCritOptions() != null
                && !certificate.getCritOptions().isEmpty()) {
            return "it has critical options, which no host certificate may have ("
                    + String.join(", ", certificate.getCritOptions().keySet()) + ")";
        }
        String algorithm;
        try {
            algorithm = new Buffer.PlainBuffer(certificate.getSignature()).readString();
        } catch (Buffer.BufferException e) {
            return "its signature cannot be read";
        }
        if (!CA_SIGNATURE_ALGORITHMS.contains(algorithm)) {
            return "it is signed with " + algorithm + ", which OpenSSH no longer accepts for certificates"
                    + " (CASignatureAlgorithms)";
        }
        return null;
    }

    private static String typeOfBlob(byte[] blob) {
        try {
            return new Buffer.PlainBuffer(blob).readString();
        } catch (Buffer.BufferException e) {
            return "unreadable";
        }
    }
}

package io.github.flowupgrade.remote;

import com.hierynomus.sshj.userauth.certificate.Certificate;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;

/**
 * SHA256 fingerprints of SSH public keys, in the form {@code ssh-keygen -lf} prints: {@code SHA256:<base64>}. Like
 * OpenSSH, the fingerprint of a certificate is that of its key, so a host with a host certificate is pinned with the
 * fingerprint of its host key.
 */
public final class HostKeyFingerprint {
    private HostKeyFingerprint() {}

    public static String of(PublicKey key) {
        return ofBlob(plainBlob(key));
    }

    /** The SSH wire encoding of {@code key}, or of the certificate's key when {@code key} is a certificate. */
    static byte[] plainBlob(PublicKey key) {
        PublicKey plain = key instanceof Certificate<?> certificate ? certificate.getKey() : key;
        return new Buffer.PlainBuffer().putPublicKey(plain).getCompactData();
    }

    /** The fingerprint of a key in its SSH wire encoding (the base64 part of a {@code .pub} line, decoded). */
    public static String ofBlob(byte[] blob) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The fingerprint of an OpenSSH public key line ({@code ssh-ed25519 AAAA... comment}). */
    public static String ofPublicKeyLine(String line) {
        String[] parts = line.trim().split("\\s+");
        if (parts.length < 2) {
            throw new IllegalArgumentException("not an OpenSSH public key line");
        }
        return ofBlob(Base64.getDecoder().decode(parts[1].getBytes(StandardCharsets.US_ASCII)));
    }

    /** The key type name as SSH names it, such as {@code ssh-ed25519}; for a certificate, that of its key. */
    public static String typeOf(PublicKey key) {
        return KeyType.fromKey(key instanceof Certificate<?> certificate ? certificate.getKey() : key)
                .toString();
    }

    /**
     * The key as messages show it: {@code ssh-ed25519 SHA256:...}, and for a certificate whether it is a host or a user
     * certificate and the fingerprint of the CA that signed it.
     */
    static String describe(PublicKey key) {
        String plain = typeOf(key) + " " + of(key);
        if (!(key instanceof Certificate<?> certificate)) {
            return plain;
        }
        String kind = certificate.getType() == HostCertificates.HOST_TYPE
                ? "host"
                : certificate.getType() == HostCertificates.USER_TYPE ? "user" : "unknown-type";
        return plain + ", in a " + kind + " certificate signed by CA " + HostCertificates.caOf(certificate);
    }
}

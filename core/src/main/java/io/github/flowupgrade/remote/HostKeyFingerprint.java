package io.github.flowupgrade.remote;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;

/** SHA256 fingerprints of SSH public keys, in the form {@code ssh-keygen -lf} prints: {@code SHA256:<base64>}. */
public final class HostKeyFingerprint {
    private HostKeyFingerprint() {}

    public static String of(PublicKey key) {
        return ofBlob(new Buffer.PlainBuffer().putPublicKey(key).getCompactData());
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

    /** The key type name as SSH names it, such as {@code ssh-ed25519}. */
    public static String typeOf(PublicKey key) {
        return KeyType.fromKey(key).toString();
    }
}

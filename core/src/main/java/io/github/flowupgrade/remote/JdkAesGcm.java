package io.github.flowupgrade.remote;

import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.Security;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import net.schmizz.sshj.common.Factory;
import net.schmizz.sshj.common.SSHRuntimeException;
import net.schmizz.sshj.transport.cipher.Cipher;

/**
 * The SSH ciphers {@code aes128-gcm@openssh.com} and {@code aes256-gcm@openssh.com} (RFC 5647 as OpenSSH speaks it)
 * computed by the JDK's own AES-GCM. sshj asks its registered provider, BouncyCastle, for every cipher, and
 * BouncyCastle's AES and GHASH are plain Java; the JDK's SunJCE runs them on the AES-NI and carry-less multiply
 * instructions, several times faster, which is what lets a command's bulk output through at OpenSSH's pace.
 *
 * <p>One instance serves one direction of one connection. The packet length is authenticated, not encrypted; each
 * packet is sealed under a 12-byte nonce: 4 fixed bytes from the key exchange and an 8-byte big-endian counter that
 * starts at the exchanged value and goes up by one per packet. The JCE's GCM takes a nonce only at init, so the cipher
 * is initialised again for every packet.
 */
public final class JdkAesGcm implements Cipher {
    static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BYTES = 16;

    private final int keyBytes;
    private javax.crypto.Cipher cipher;
    private int opmode;
    private SecretKeySpec key;
    private final byte[] nonce = new byte[NONCE_BYTES];
    private long counter;
    /** Whether {@link #cipher} is initialised for the current packet's nonce. */
    private boolean ready;

    private JdkAesGcm(int keyBytes) {
        this.keyBytes = keyBytes;
    }

    /** {@code aes128-gcm@openssh.com} on the JDK's AES-GCM. */
    public static Factory.Named<Cipher> aes128() {
        return new Named("aes128-gcm@openssh.com", 16);
    }

    /** {@code aes256-gcm@openssh.com} on the JDK's AES-GCM. */
    public static Factory.Named<Cipher> aes256() {
        return new Named("aes256-gcm@openssh.com", 32);
    }

    /**
     * {@code others} with the JDK-backed AES-GCM ciphers in front, the AES-128 one first (fastest), and any other
     * implementation of the same two names dropped: sshj creates a negotiated cipher from the first factory of that
     * name, so a second one would never be used. The rest keep their order, for servers that offer no AES-GCM.
     */
    public static List<Factory.Named<Cipher>> inFrontOf(List<Factory.Named<Cipher>> others) {
        List<Factory.Named<Cipher>> ciphers = new ArrayList<>(List.of(aes128(), aes256()));
        for (Factory.Named<Cipher> other : others) {
            if (ciphers.stream().noneMatch(c -> c.getName().equals(other.getName()))) {
                ciphers.add(other);
            }
        }
        return ciphers;
    }

    /**
     * The JDK provider of AES-GCM: SunJCE when present (sshj appends BouncyCastle to the provider list, so asking
     * without a name would normally find SunJCE too, but only by position).
     */
    static javax.crypto.Cipher newJdkCipher() throws GeneralSecurityException {
        Provider sunJce = Security.getProvider("SunJCE");
        return sunJce != null
                ? javax.crypto.Cipher.getInstance(TRANSFORMATION, sunJce)
                : javax.crypto.Cipher.getInstance(TRANSFORMATION);
    }

    /** The key length in bytes: sshj sizes the derived key by this. */
    @Override
    public int getBlockSize() {
        return keyBytes;
    }

    @Override
    public int getIVSize() {
        return NONCE_BYTES;
    }

    @Override
    public int getAuthenticationTagSize() {
        return TAG_BYTES;
    }

    @Override
    public void init(Mode mode, byte[] keyMaterial, byte[] iv) {
        if (keyMaterial.length < keyBytes || iv.length < NONCE_BYTES) {
            throw new IllegalArgumentException("AES-GCM needs a " + keyBytes + "-byte key and a 12-byte nonce");
        }
        try {
            cipher = newJdkCipher();
        } catch (GeneralSecurityException e) {
            throw new SSHRuntimeException("the JDK has no " + TRANSFORMATION, e);
        }
        opmode = mode == Mode.Encrypt ? javax.crypto.Cipher.ENCRYPT_MODE : javax.crypto.Cipher.DECRYPT_MODE;
        key = new SecretKeySpec(keyMaterial, 0, keyBytes, "AES");
        System.arraycopy(iv, 0, nonce, 0, NONCE_BYTES);
        counter = 0;
        for (int i = 4; i < NONCE_BYTES; i++) {
            counter = (counter << 8) | (iv[i] & 0xff);
        }
        ready = false;
    }

    /** Initialises the JCE cipher for the current packet's nonce unless that was done already. */
    private javax.crypto.Cipher forThisPacket() throws GeneralSecurityException {
        if (!ready) {
            for (int i = NONCE_BYTES - 1; i >= 4; i--) {
                nonce[i] = (byte) (counter >>> (8 * (NONCE_BYTES - 1 - i)));
            }
            // GCMParameterSpec copies the nonce, so the array is reused for the next packet.
            cipher.init(opmode, key, new GCMParameterSpec(TAG_BYTES * Byte.SIZE, nonce));
            ready = true;
        }
        return cipher;
    }

    @Override
    public void updateAAD(byte[] data, int offset, int length) {
        try {
            forThisPacket().updateAAD(data, offset, length);
        } catch (GeneralSecurityException e) {
            throw new SSHRuntimeException("AES-GCM failed on the packet length", e);
        }
    }

    @Override
    public void updateAAD(byte[] data) {
        updateAAD(data, 0, data.length);
    }

    /**
     * Seals or opens one packet body in place. Decrypting, the tag follows the {@code length} bytes and is checked (a
     * mismatch fails the connection); encrypting, the tag is written after them.
     */
    @Override
    public void update(byte[] data, int offset, int length) {
        int input = opmode == javax.crypto.Cipher.DECRYPT_MODE ? length + TAG_BYTES : length;
        try {
            forThisPacket().doFinal(data, offset, input, data, offset);
        } catch (GeneralSecurityException e) {
            throw new SSHRuntimeException("AES-GCM failed on a packet (corrupted or forged?)", e);
        } finally {
            counter++;
            ready = false;
        }
    }

    @Override
    public void updateWithAAD(byte[] data, int offset, int aadLength, int length) {
        updateAAD(data, offset, aadLength);
        update(data, offset + aadLength, length);
    }

    /** The nonce counts packets itself; the transport's sequence number is not needed. */
    @Override
    public void setSequenceNumber(long sequence) {}

    private record Named(String name, int keyBytes) implements Factory.Named<Cipher> {
        @Override
        public Cipher create() {
            return new JdkAesGcm(keyBytes);
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public String toString() {
            return name;
        }
    }
}

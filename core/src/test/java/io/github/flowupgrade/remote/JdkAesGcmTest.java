package io.github.flowupgrade.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hierynomus.sshj.transport.cipher.GcmCiphers;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.common.Factory;
import net.schmizz.sshj.common.SSHRuntimeException;
import net.schmizz.sshj.transport.cipher.Cipher;
import org.junit.jupiter.api.Test;

/**
 * The JDK-backed AES-GCM against sshj's own (BouncyCastle) implementation of the same SSH cipher: packets sealed by
 * one open with the other, in both directions and over several packets, so the nonce counter, the authenticated
 * packet length and the tag placement agree with what sshj (and so OpenSSH) expects.
 */
class JdkAesGcmTest {
    private static final int TAG = 16;

    @Test
    void packetsSealedByTheJdkCipherOpenWithSshjsAndTheOtherWayRound() {
        for (int keyBytes : new int[] {16, 32}) {
            Factory.Named<Cipher> jdk = keyBytes == 16 ? JdkAesGcm.aes128() : JdkAesGcm.aes256();
            Factory.Named<Cipher> sshj = keyBytes == 16 ? GcmCiphers.AES128GCM() : GcmCiphers.AES256GCM();
            assertThat(jdk.getName()).isEqualTo(sshj.getName());
            assertThat(jdk.create().getBlockSize()).isEqualTo(sshj.create().getBlockSize());
            roundTrip(jdk, sshj, keyBytes);
            roundTrip(sshj, jdk, keyBytes);
        }
    }

    /** Ten packets of different sizes sealed by {@code sealer}, each opened by {@code opener}. */
    private static void roundTrip(Factory.Named<Cipher> sealer, Factory.Named<Cipher> opener, int keyBytes) {
        Random random = new Random(keyBytes);
        byte[] key = new byte[keyBytes + 7]; // sshj hands over a longer key: only its first bytes count
        byte[] iv = new byte[20];
        random.nextBytes(key);
        random.nextBytes(iv);
        iv[11] = (byte) 0xfe; // the counter carries into the next byte within these ten packets
        Cipher seal = sealer.create();
        Cipher open = opener.create();
        seal.init(Cipher.Mode.Encrypt, key, iv);
        open.init(Cipher.Mode.Decrypt, key, iv);
        for (int i = 0; i < 10; i++) {
            byte[] body = new byte[16 * (1 + random.nextInt(2048))];
            random.nextBytes(body);
            byte[] packet = packet(body);
            seal.updateWithAAD(packet, 0, 4, body.length);
            assertThat(Arrays.copyOfRange(packet, 4, 4 + body.length)).isNotEqualTo(body);
            open.updateAAD(packet, 0, 4);
            open.update(packet, 4, body.length);
            assertThat(Arrays.copyOfRange(packet, 4, 4 + body.length))
                    .as("packet %d from %s to %s", i, sealer.getClass(), opener.getClass())
                    .isEqualTo(body);
        }
    }

    /** The 4-byte length, then the body, then room for the tag. */
    private static byte[] packet(byte[] body) {
        byte[] packet = new byte[4 + body.length + TAG];
        packet[0] = (byte) (body.length >>> 24);
        packet[1] = (byte) (body.length >>> 16);
        packet[2] = (byte) (body.length >>> 8);
        packet[3] = (byte) body.length;
        System.arraycopy(body, 0, packet, 4, body.length);
        return packet;
    }

    @Test
    void aChangedLengthBodyOrTagFailsTheConnection() {
        byte[] key = new byte[16];
        byte[] iv = new byte[12];
        byte[] body = "sixteen bytes!!!".getBytes(StandardCharsets.US_ASCII);
        for (int tampered : new int[] {2, 4 + 3, 4 + body.length + 5}) {
            Cipher seal = JdkAesGcm.aes128().create();
            Cipher open = JdkAesGcm.aes128().create();
            seal.init(Cipher.Mode.Encrypt, key, iv);
            open.init(Cipher.Mode.Decrypt, key, iv);
            byte[] packet = packet(body);
            seal.updateWithAAD(packet, 0, 4, body.length);
            packet[tampered] ^= 1;
            open.updateAAD(packet, 0, 4);
            assertThatThrownBy(() -> open.update(packet, 4, body.length))
                    .isInstanceOf(SSHRuntimeException.class)
                    .hasMessageContaining("AES-GCM");
        }
    }

    @Test
    void aPacketOpenedUnderTheWrongCounterFails() {
        byte[] key = new byte[32];
        byte[] iv = new byte[12];
        byte[] body = new byte[64];
        Cipher seal = JdkAesGcm.aes256().create();
        Cipher open = JdkAesGcm.aes256().create();
        seal.init(Cipher.Mode.Encrypt, key, iv);
        open.init(Cipher.Mode.Decrypt, key, iv);
        byte[] first = packet(body);
        byte[] second = packet(body);
        seal.updateWithAAD(first, 0, 4, body.length);
        seal.updateWithAAD(second, 0, 4, body.length);
        open.updateAAD(second, 0, 4);
        assertThatThrownBy(() -> open.update(second, 4, body.length)).isInstanceOf(SSHRuntimeException.class);
    }

    @Test
    void putsTheJdkCiphersFirstAndKeepsTheOthersInOrderWithoutDuplicateNames() {
        List<Factory.Named<Cipher>> defaults = new DefaultConfig().getCipherFactories();
        List<Factory.Named<Cipher>> ciphers = JdkAesGcm.inFrontOf(defaults);
        List<String> names = ciphers.stream().map(Factory.Named::getName).toList();
        assertThat(names).startsWith("aes128-gcm@openssh.com", "aes256-gcm@openssh.com");
        assertThat(names).doesNotHaveDuplicates();
        assertThat(ciphers.get(0).create()).isInstanceOf(JdkAesGcm.class);
        assertThat(ciphers.get(1).create()).isInstanceOf(JdkAesGcm.class);
        List<String> others = defaults.stream()
                .map(Factory.Named::getName)
                .filter(name -> !name.endsWith("-gcm@openssh.com"))
                .toList();
        assertThat(names.subList(2, names.size())).isEqualTo(others);
        assertThat(others).contains("chacha20-poly1305@openssh.com", "aes128-ctr");
        // The cipher sshj creates for a negotiated name is the first of that name.
        assertThat(Factory.Named.Util.create(ciphers, "aes256-gcm@openssh.com")).isInstanceOf(JdkAesGcm.class);
    }

    @Test
    void usesTheJdksOwnProviderNotBouncyCastle() throws Exception {
        new DefaultConfig(); // sshj registers BouncyCastle when first used
        assertThat(JdkAesGcm.newJdkCipher().getProvider().getName()).isEqualTo("SunJCE");
    }
}

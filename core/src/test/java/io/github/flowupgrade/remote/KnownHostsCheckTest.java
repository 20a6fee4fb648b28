package io.github.flowupgrade.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.hierynomus.sshj.userauth.certificate.Certificate;
import io.github.flowupgrade.ExitCode;
import io.github.flowupgrade.remote.KnownHostsCheck.Kind;
import io.github.flowupgrade.remote.KnownHostsCheck.Verdict;
import io.github.flowupgrade.testing.LocalProcess;
import io.github.flowupgrade.testing.SshKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.common.Buffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The known_hosts decisions, on keys and certificates made by {@code ssh-keygen}, without a server. Each case here is
 * also decided by the real {@code ssh} client in {@link HostKeyDecisionsMatchOpenSshTest}; these run in the fast build.
 */
class KnownHostsCheckTest {
    private static final String HOST = "web1.example.org";
    private static final Instant NOW = Instant.now();

    @TempDir
    static Path dir;

    static SshKeys host;
    static SshKeys ca;
    static SshKeys other;
    static PublicKey hostKey;
    static PublicKey caKey;

    @BeforeAll
    static void keys() {
        host = SshKeys.generate(dir.resolve("host"), "host_key");
        ca = SshKeys.generate(dir.resolve("ca"), "ca_key");
        other = SshKeys.generate(dir.resolve("other"), "other_key");
        hostKey = read(host.publicKey());
        caKey = read(ca.publicKey());
    }

    static PublicKey read(Path pub) {
        try {
            String line = Files.readString(pub).strip();
            return new Buffer.PlainBuffer(Base64.getDecoder().decode(line.split(" ")[1])).readPublicKey();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Verdict verify(String knownHosts, int port, PublicKey offered) {
        return new KnownHostsCheck(KnownHostsFile.parse(knownHosts, "known_hosts"), HOST, port).verify(offered, NOW);
    }

    static Certificate<?> certificate(String name, String... options) {
        return (Certificate<?>) read(host.certificate(ca, name, options));
    }

    @Test
    void aListedKeyIsAcceptedAnUnlistedOneIsUnknownAnotherOneIsAChangeNamingBoth() {
        assertThat(verify(HOST + " " + host.keyPart(), 22, hostKey)).isInstanceOf(Verdict.Accepted.class);
        assertThat(verify("# nothing\n", 22, hostKey))
                .isEqualTo(new Verdict.Refused(Kind.UNKNOWN, null, List.of(), List.of()));
        Verdict changed = verify("\n" + HOST + " " + other.keyPart() + " comment\n", 22, hostKey);
        assertThat(changed).isInstanceOfSatisfying(Verdict.Refused.class, r -> {
            assertThat(r.kind()).isEqualTo(Kind.CHANGED);
            assertThat(r.recorded()).singleElement().satisfies(l -> {
                assertThat(l.number()).isEqualTo(2);
                assertThat(l.fingerprint()).isEqualTo(other.fingerprint());
            });
        });
    }

    @Test
    void aRevokedKeyIsRefusedWhateverElseTheFileSaysButOnlyForTheHostsItsLineNames() {
        String listed = HOST + " " + host.keyPart() + "\n";
        assertThat(verify(listed + "@revoked * " + host.keyPart(), 22, hostKey))
                .isInstanceOfSatisfying(Verdict.Refused.class, r -> {
                    assertThat(r.kind()).isEqualTo(Kind.REVOKED);
                    assertThat(r.revoked().number()).isEqualTo(2);
                });
        assertThat(verify("@revoked " + HOST + " " + host.keyPart() + "\n" + listed, 22, hostKey))
                .isInstanceOf(Verdict.Refused.class);
        assertThat(verify("@revoked db.example.org " + host.keyPart() + "\n" + listed, 22, hostKey))
                .isInstanceOf(Verdict.Accepted.class);
    }

    @Test
    void negatedWildcardHashedAndPortNamesFollowOpenSsh() throws Exception {
        assertThat(verify("*.example.org,!" + HOST + " " + host.keyPart(), 22, hostKey))
                .isInstanceOf(Verdict.Refused.class);
        assertThat(verify("!db.example.org " + host.keyPart(), 22, hostKey)).isInstanceOf(Verdict.Refused.class);
        assertThat(verify("web?.EXAMPLE.org " + host.keyPart(), 22, hostKey)).isInstanceOf(Verdict.Accepted.class);
        assertThat(verify("[" + HOST + "]:2222 " + host.keyPart(), 2222, hostKey))
                .isInstanceOf(Verdict.Accepted.class);
        assertThat(verify("[" + HOST + "]:2222 " + host.keyPart(), 22, hostKey)).isInstanceOf(Verdict.Refused.class);
        // ssh tries the bare name for another port only when nothing names [host]:port.
        assertThat(verify(HOST + " " + host.keyPart(), 2222, hostKey)).isInstanceOf(Verdict.Accepted.class);
        assertThat(verify("[" + HOST + "]:2222 " + other.keyPart() + "\n" + HOST + " " + host.keyPart(), 2222, hostKey))
                .isInstanceOfSatisfying(
                        Verdict.Refused.class, r -> assertThat(r.kind()).isEqualTo(Kind.CHANGED));
        Path hashed = Files.writeString(dir.resolve("hashed"), "[" + HOST + "]:2222 " + host.keyPart() + "\n");
        LocalProcess.run("ssh-keygen", "-q", "-H", "-f", hashed.toString());
        assertThat(verify(Files.readString(hashed), 2222, hostKey)).isInstanceOf(Verdict.Accepted.class);
        assertThat(verify(Files.readString(hashed), 22, hostKey)).isInstanceOf(Verdict.Refused.class);
    }

    @Test
    void linesOpenSshWouldNotLoadAreSkipped() {
        String key = host.keyPart();
        String base64 = key.split(" ")[1];
        for (String bad : List.of(
                "@trusted " + HOST + " " + key,
                "@revoked @cert-authority " + HOST + " " + key,
                HOST + " ssh-rsa " + base64,
                HOST + " " + key.split(" ")[0] + " " + base64.substring(0, 20),
                HOST + " " + key.split(" ")[0],
                HOST)) {
            assertThat(KnownHostsFile.parse(bad, "f").forName(HOST)).as(bad).isEmpty();
        }
        assertThat(KnownHostsFile.parse("  \t" + HOST + "\t" + key + " c\r\n", "f")
                        .forName(HOST))
                .singleElement()
                .satisfies(l -> assertThat(l.fingerprint()).isEqualTo(host.fingerprint()));
    }

    /** A security-key host key line (sshj cannot read such keys; OpenSSH can). */
    static String securityKeyLine(String name) {
        byte[] point = new byte[32];
        new java.security.SecureRandom().nextBytes(point);
        byte[] blob = new Buffer.PlainBuffer()
                .putString("sk-ssh-ed25519@openssh.com")
                .putBytes(point)
                .putString("ssh:")
                .getCompactData();
        return name + " sk-ssh-ed25519@openssh.com " + Base64.getEncoder().encodeToString(blob);
    }

    @Test
    void aKeyOfATypeOnlyOpenSshReadsStillListsAnotherKeyForTheHost() {
        assertThat(verify(securityKeyLine(HOST), 22, hostKey))
                .isInstanceOfSatisfying(
                        Verdict.Refused.class, r -> assertThat(r.kind()).isEqualTo(Kind.CHANGED));
        assertThat(verify(securityKeyLine("[" + HOST + "]:2222") + "\n" + HOST + " " + host.keyPart(), 2222, hostKey))
                .isInstanceOf(Verdict.Refused.class);
    }

    @Test
    void aCaKeyIsNeverAcceptedAsAPlainHostKey() {
        assertThat(verify("@cert-authority " + HOST + " " + ca.keyPart(), 22, caKey))
                .isInstanceOfSatisfying(Verdict.Refused.class, r -> {
                    assertThat(r.kind()).isEqualTo(Kind.UNKNOWN);
                    assertThat(r.notes()).singleElement().asString().contains("only as @cert-authority");
                });
    }

    @Test
    void aHostCertificateIsAcceptedOnlyFromAListedCaForItsHostWhenValidForTheHostNow() {
        String caLine = "@cert-authority *.example.org " + ca.keyPart() + "\n";
        Certificate<?> valid = certificate("valid", "-h", "-n", HOST + ",web1");
        assertThat(HostCertificates.forgery(valid)).isNull();
        assertThat(verify(caLine, 22, valid)).isInstanceOf(Verdict.Accepted.class);
        assertThat(verify(caLine, 2222, valid)).isInstanceOf(Verdict.Accepted.class);
        assertThat(verify("@cert-authority db.example.org " + ca.keyPart(), 22, valid))
                .isInstanceOfSatisfying(
                        Verdict.Refused.class,
                        r -> assertThat(r.notes()).anySatisfy(n -> assertThat(n).contains("no @cert-authority line")));
        assertThat(verify("@cert-authority *.example.org,!" + HOST + " " + ca.keyPart(), 22, valid))
                .isInstanceOf(Verdict.Refused.class);
        assertThat(verify("@cert-authority " + HOST + " " + other.keyPart(), 22, valid))
                .isInstanceOf(Verdict.Refused.class);

        assertRefusedBecause(caLine, certificate("user", "-n", HOST), "user certificate");
        assertRefusedBecause(caLine, certificate("expired", "-h", "-n", HOST, "-V", "20200101:20200102"), "expired");
        assertRefusedBecause(caLine, certificate("future", "-h", "-n", HOST, "-V", "+52w:+53w"), "not valid yet");
        assertRefusedBecause(
                caLine, certificate("principal", "-h", "-n", "db.example.org"), "not among its principals");
        assertRefusedBecause(caLine, certificate("wildcard", "-h", "-n", "*.example.org"), "not among its principals");
        assertRefusedBecause(caLine, certificate("none", "-h"), "names no principals");
    }

    @Test
    void aRevokedCaOrCertificateKeyIsRefusedWithoutFallingBackToThePlainKey() {
        Certificate<?> valid = certificate("revoked", "-h", "-n", HOST);
        String lines = "@cert-authority * " + ca.keyPart() + "\n" + HOST + " " + host.keyPart() + "\n";
        assertThat(verify(lines + "@revoked * " + ca.keyPart(), 22, valid))
                .isInstanceOfSatisfying(Verdict.Refused.class, r -> {
                    assertThat(r.kind()).isEqualTo(Kind.REVOKED);
                    assertThat(r.notes()).singleElement().asString().contains("the CA that signed");
                });
        assertThat(verify(lines + "@revoked * " + host.keyPart(), 22, valid))
                .isInstanceOfSatisfying(
                        Verdict.Refused.class, r -> assertThat(r.kind()).isEqualTo(Kind.REVOKED));
    }

    @Test
    void aRefusedCertificateFallsBackToItsKeyAsOpenSshDoes() {
        String plain = HOST + " " + host.keyPart() + "\n";
        assertThat(verify(plain, 22, certificate("fallback-host", "-h", "-n", HOST)))
                .isInstanceOf(Verdict.Accepted.class);
        assertThat(verify(plain + "@cert-authority * " + ca.keyPart(), 22, certificate("fallback-user", "-n", HOST)))
                .isInstanceOf(Verdict.Accepted.class);
        // A CA key on a line without marker is a (different) host key, not a CA.
        assertThat(verify(HOST + " " + ca.keyPart(), 22, certificate("ca-as-plain", "-h", "-n", HOST)))
                .isInstanceOfSatisfying(
                        Verdict.Refused.class, r -> assertThat(r.kind()).isEqualTo(Kind.CHANGED));
    }

    @Test
    void certificateSignaturesAreVerifiedForEveryCaKeyTypeAndSha1IsRefused() throws Exception {
        for (String type : List.of("rsa", "ecdsa", "ed25519")) {
            SshKeys typedCa = SshKeys.generateOfType(dir.resolve("ca-" + type), "ca", type);
            Certificate<?> cert = (Certificate<?>) read(host.certificate(typedCa, "by-" + type, "-h", "-n", HOST));
            assertThat(HostCertificates.forgery(cert)).as(type).isNull();
            assertThat(HostCertificates.problem(cert, HOST, NOW)).as(type).isNull();
        }
        SshKeys rsaCa = SshKeys.generateOfType(dir.resolve("ca-sha1"), "ca", "rsa");
        Certificate<?> sha1 =
                (Certificate<?>) read(host.certificate(rsaCa, "by-sha1", "-h", "-n", HOST, "-t", "ssh-rsa"));
        assertThat(HostCertificates.forgery(sha1)).isNull();
        assertThat(HostCertificates.problem(sha1, HOST, NOW))
                .contains("ssh-rsa")
                .contains("CASignatureAlgorithms");

        // The principal changed from web1.example.org to web1.example.orf after signing: a forgery.
        Path genuine = host.certificate(ca, "forged", "-h", "-n", HOST);
        byte[] blob =
                Base64.getDecoder().decode(Files.readString(genuine).strip().split(" ")[1]);
        String latin1 = new String(blob, StandardCharsets.ISO_8859_1);
        blob[latin1.indexOf(HOST) + HOST.length() - 1] ^= 1;
        Certificate<?> forged = (Certificate<?>) new Buffer.PlainBuffer(blob).readPublicKey();
        assertThat(forged.getValidPrincipals()).containsExactly("web1.example.orf");
        assertThat(HostCertificates.forgery(forged)).contains("does not verify");
    }

    @Test
    void aCertificateHostIsPinnedByTheFingerprintSshKeygenPrintsForItsCertificate() {
        Path certFile = host.certificate(ca, "pinned", "-h", "-n", HOST);
        String printed =
                LocalProcess.run("ssh-keygen", "-lf", certFile.toString()).split(" ")[1];
        assertThat(printed).isEqualTo(host.fingerprint());
        PublicKey cert = read(certFile);
        assertThat(HostKeyFingerprint.of(cert)).isEqualTo(printed);

        SshTarget target = new SshTarget(HOST, 22, "deploy");
        List<net.schmizz.sshj.common.Factory.Named<com.hierynomus.sshj.key.KeyAlgorithm>> algorithms =
                new DefaultConfig().getKeyAlgorithms();
        HostKeyCheck pinned =
                new HostKeyCheck(target, new HostKeyPolicy.Pinned(List.of(printed)), algorithms, Clock.systemUTC());
        assertThat(pinned.verify(HOST, 22, cert)).isTrue();
        HostKeyCheck pinnedCa = new HostKeyCheck(
                target, new HostKeyPolicy.Pinned(List.of(ca.fingerprint())), algorithms, Clock.systemUTC());
        assertThat(pinnedCa.verify(HOST, 22, cert)).isFalse();
        assertThat(pinnedCa.refusal().exitCode()).isEqualTo(ExitCode.REFUSED);
        assertThat(pinnedCa.refusal().getMessage())
                .contains("offered ssh-ed25519 " + host.fingerprint())
                .contains("host certificate signed by CA ssh-ed25519 " + ca.fingerprint());
    }

    @Test
    void aReKeyOfferingTheAcceptedCertificateAgainIsNotJudgedAgainButANewConnectionIs() throws Exception {
        Certificate<?> cert = certificate("rekey", "-h", "-n", HOST, "-V", "-1h:+1h");
        Path file = Files.writeString(dir.resolve("rekey_known_hosts"), "@cert-authority * " + ca.keyPart() + "\n");
        AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
        Clock clock = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        SshTarget target = new SshTarget(HOST, 22, "deploy");
        var algorithms = new DefaultConfig().getKeyAlgorithms();
        HostKeyCheck connection = new HostKeyCheck(target, new HostKeyPolicy.KnownHosts(file), algorithms, clock);
        assertThat(connection.verify(HOST, 22, cert)).isTrue();
        now.set(now.get().plus(Duration.ofHours(2)));
        assertThat(connection.verify(HOST, 22, cert)).isTrue();
        assertThat(connection.verify(HOST, 22, certificate("rekey-other", "-h", "-n", HOST, "-V", "-3h:-2h")))
                .isFalse();

        HostKeyCheck next = new HostKeyCheck(target, new HostKeyPolicy.KnownHosts(file), algorithms, clock);
        assertThat(next.verify(HOST, 22, cert)).isFalse();
        assertThat(next.refusal().exitCode()).isEqualTo(ExitCode.REFUSED);
        assertThat(next.refusal().getMessage())
                .contains("is not known")
                .contains("in a host certificate signed by CA ssh-ed25519 " + ca.fingerprint())
                .contains("but the certificate was refused: it has expired");
    }

    @Test
    void aForgedCertificateIsRefusedWhateverThePolicyButAcceptAny() throws Exception {
        Path genuine = host.certificate(ca, "forged-policy", "-h", "-n", HOST);
        byte[] blob =
                Base64.getDecoder().decode(Files.readString(genuine).strip().split(" ")[1]);
        blob[new String(blob, StandardCharsets.ISO_8859_1).indexOf(HOST)] ^= 1;
        PublicKey forged = new Buffer.PlainBuffer(blob).readPublicKey();
        SshTarget target = new SshTarget(HOST, 22, "deploy");
        var algorithms = new DefaultConfig().getKeyAlgorithms();
        Path file = Files.writeString(
                dir.resolve("forged_known_hosts"),
                "@cert-authority * " + ca.keyPart() + "\n" + HOST + " " + host.keyPart() + "\n");
        for (HostKeyPolicy policy :
                List.of(new HostKeyPolicy.KnownHosts(file), new HostKeyPolicy.Pinned(List.of(host.fingerprint())))) {
            HostKeyCheck check = new HostKeyCheck(target, policy, algorithms, Clock.systemUTC());
            assertThat(check.verify(HOST, 22, forged)).as(policy.toString()).isFalse();
            assertThat(check.refusal().getMessage()).contains("is not genuine: its signature does not verify");
        }
        assertThat(new HostKeyCheck(target, new HostKeyPolicy.AcceptAnyInsecure(), algorithms, Clock.systemUTC())
                        .verify(HOST, 22, forged))
                .isTrue();
    }

    @Test
    void hostKeyAlgorithmsArePreferredAsOpenSshOrdersThem() {
        var ordered = HostKeyAlgorithms.inOpenSshOrder(new DefaultConfig().getKeyAlgorithms());
        assertThat(ordered.stream().map(a -> a.getName()).toList())
                .startsWith(
                        "ssh-ed25519-cert-v01@openssh.com",
                        "ecdsa-sha2-nistp256-cert-v01@openssh.com",
                        "ecdsa-sha2-nistp384-cert-v01@openssh.com",
                        "ecdsa-sha2-nistp521-cert-v01@openssh.com",
                        "ssh-ed25519");
        KnownHostsFile file =
                KnownHostsFile.parse("a " + host.keyPart() + "\n@cert-authority b " + ca.keyPart() + "\n", "f");
        SshKeys ecdsa = SshKeys.generateOfType(dir.resolve("ecdsa"), "ecdsa", "ecdsa");
        KnownHostsFile ecdsaFile = KnownHostsFile.parse("c " + ecdsa.keyPart() + "\n", "f");
        assertThat(HostKeyAlgorithms.preferred(ordered, file.forName("a"))).isEmpty();
        assertThat(HostKeyAlgorithms.preferred(ordered, file.forName("b")))
                .containsExactly(
                        "ssh-ed25519-cert-v01@openssh.com",
                        "ecdsa-sha2-nistp256-cert-v01@openssh.com",
                        "ecdsa-sha2-nistp384-cert-v01@openssh.com",
                        "ecdsa-sha2-nistp521-cert-v01@openssh.com",
                        "ssh-rsa-cert-v01@openssh.com",
                        "ssh-dss-cert-v01@openssh.com");
        assertThat(HostKeyAlgorithms.preferred(ordered, ecdsaFile.forName("c")))
                .containsExactly("ecdsa-sha2-nistp256-cert-v01@openssh.com", "ecdsa-sha2-nistp256");
    }

    private static void assertRefusedBecause(String knownHosts, Certificate<?> cert, String reason) {
        assertThat(verify(knownHosts, 22, cert)).isInstanceOfSatisfying(Verdict.Refused.class, r -> {
            assertThat(r.kind()).isEqualTo(Kind.UNKNOWN);
            assertThat(r.notes())
                    .anySatisfy(n -> assertThat(n).contains("was refused: ").contains(reason));
        });
    }
}

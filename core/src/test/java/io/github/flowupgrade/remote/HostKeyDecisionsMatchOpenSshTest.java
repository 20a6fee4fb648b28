package io.github.flowupgrade.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.ExitCode;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.testing.LocalProcess;
import io.github.flowupgrade.testing.OpenSshServer;
import io.github.flowupgrade.testing.SshKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * flow accepts exactly the host keys OpenSSH accepts. For every case, the real client ({@code ssh -o BatchMode=yes -o
 * StrictHostKeyChecking=yes -o UserKnownHostsFile=FILE}) and flow connect to the same Debian {@code sshd} on loopback
 * with the same known_hosts file; both must accept, or both refuse (flow with exit 3 and the reason). The one case
 * where flow is stricter on purpose (a host certificate without principals) is asserted as such.
 */
@Tag("openssh")
class HostKeyDecisionsMatchOpenSshTest {
    private static final String LOGIN = "flowhostkeys";
    private static final String HOST = "127.0.0.1";

    @TempDir
    static Path dir;

    static SshKeys ca;
    static SshKeys other;
    private static final AtomicInteger FILES = new AtomicInteger();

    enum Decision {
        ACCEPT,
        REFUSE
    }

    /**
     * One known_hosts file and the decisions expected of {@code ssh} and of flow.
     *
     * @param flowSays what flow's refusal message must say (null when flow accepts)
     */
    record Case(String name, String knownHosts, Decision openssh, Decision flow, String flowSays) {
        static Case accepted(String name, String knownHosts) {
            return new Case(name, knownHosts, Decision.ACCEPT, Decision.ACCEPT, null);
        }

        static Case refused(String name, String knownHosts, String flowSays) {
            return new Case(name, knownHosts, Decision.REFUSE, Decision.REFUSE, flowSays);
        }
    }

    private record Outcome(Decision decision, String message) {}

    @BeforeAll
    static void keys() {
        OpenSshServer.requireAvailable();
        ca = SshKeys.generate(dir.resolve("ca"), "ca_key");
        other = SshKeys.generate(dir.resolve("other"), "other_key");
    }

    @Test
    void aPlainHostKey() throws IOException {
        try (OpenSshServer server = OpenSshServer.start(List.of(LOGIN), List.of())) {
            String key = server.hostKey().keyPart();
            String name = "[" + HOST + "]:" + server.port();
            Path hashed = Files.writeString(dir.resolve("hashed"), name + " " + key + "\n");
            LocalProcess.run("ssh-keygen", "-q", "-H", "-f", hashed.toString());
            Path hashedOther = Files.writeString(dir.resolve("hashed_other"), "[" + HOST + "]:1 " + key + "\n");
            LocalProcess.run("ssh-keygen", "-q", "-H", "-f", hashedOther.toString());
            decide(
                    server,
                    List.of(
                            Case.accepted("listed for [host]:port", name + " " + key),
                            Case.accepted("listed for the bare host name only", HOST + " " + key),
                            Case.refused("no line at all", "", "is not known"),
                            Case.refused(
                                    "another key listed for [host]:port", name + " " + other.keyPart(), "has CHANGED"),
                            Case.refused(
                                    "another key for [host]:port, this one for the bare name",
                                    name + " " + other.keyPart() + "\n" + HOST + " " + key,
                                    "has CHANGED"),
                            Case.refused(
                                    "listed and @revoked",
                                    "@revoked " + name + " " + key + "\n" + name + " " + key,
                                    "is REVOKED"),
                            Case.refused(
                                    "listed and @revoked for *",
                                    name + " " + key + "\n@revoked * " + key,
                                    "is REVOKED"),
                            Case.refused(
                                    "listed and @revoked for the bare name",
                                    HOST + " " + key + "\n@revoked " + HOST + " " + key,
                                    "is REVOKED"),
                            Case.accepted(
                                    "@revoked for another host only",
                                    "@revoked db.example.org " + key + "\n" + name + " " + key),
                            Case.refused(
                                    "both names negated after a wildcard",
                                    "*,!" + name + ",!" + HOST + " " + key,
                                    "is not known"),
                            Case.refused(
                                    "both names negated before a wildcard",
                                    "!" + name + ",!" + HOST + ",* " + key,
                                    "is not known"),
                            Case.accepted(
                                    "[host]:port negated, so ssh tries the bare name, which * matches",
                                    "*,!" + name + " " + key),
                            Case.refused("only another host negated", "!db.example.org " + key, "is not known"),
                            Case.accepted("wildcard ?", "[127.0.0.?]:" + server.port() + " " + key),
                            Case.accepted("wildcard * over address and port", "[127.0.*]:* " + key),
                            Case.refused("listed for port 22 only", "[" + HOST + "]:22 " + key, "is not known"),
                            Case.accepted("hashed [host]:port", Files.readString(hashed)),
                            Case.refused("hashed for another port", Files.readString(hashedOther), "is not known"),
                            Case.refused(
                                    "the host key listed only as @cert-authority",
                                    "@cert-authority " + name + " " + key,
                                    "only as @cert-authority"),
                            Case.refused("unknown marker", "@trusted " + name + " " + key, "is not known"),
                            Case.refused("two markers", "@cert-authority @revoked " + name + " " + key, "is not known"),
                            Case.refused(
                                    "key under another type name",
                                    name + " ssh-rsa " + key.split(" ")[1],
                                    "is not known"),
                            Case.refused(
                                    "a security key for [host]:port, this one for the bare name",
                                    KnownHostsCheckTest.securityKeyLine(name) + "\n" + HOST + " " + key,
                                    "has CHANGED"),
                            Case.accepted(
                                    "comments and broken lines around the listed key",
                                    "# hosts\n\n" + name + "\n" + name + " ssh-ed25519 AAAA\n  " + name + "\t" + key
                                            + " comment")));
        }
    }

    @Test
    void aHostCertificateSignedByAListedCa() {
        SshKeys hostKey = SshKeys.generate(dir.resolve("host-cert"), "ssh_host_ed25519_key");
        Path cert = hostKey.certificate(ca, "host-cert", "-h", "-n", HOST + ",web1.example.org");
        try (OpenSshServer server = OpenSshServer.start(List.of(LOGIN), List.of(), hostKey, cert)) {
            String name = "[" + HOST + "]:" + server.port();
            String caKey = ca.keyPart();
            String key = hostKey.keyPart();
            decide(
                    server,
                    List.of(
                            Case.accepted("CA for [host]:port", "@cert-authority " + name + " " + caKey),
                            Case.accepted("CA for *", "@cert-authority * " + caKey),
                            Case.accepted("CA for the bare host name", "@cert-authority " + HOST + " " + caKey),
                            Case.refused(
                                    "CA for another host",
                                    "@cert-authority db.example.org " + caKey,
                                    "no @cert-authority line for this host lists that CA"),
                            Case.refused(
                                    "CA negated for both names of this host",
                                    "@cert-authority *,!" + name + ",!" + HOST + " " + caKey,
                                    "no @cert-authority line for this host lists that CA"),
                            Case.refused(
                                    "another CA", "@cert-authority " + name + " " + other.keyPart(), "is not known"),
                            Case.refused(
                                    "CA listed and @revoked",
                                    "@cert-authority " + name + " " + caKey + "\n@revoked * " + caKey,
                                    "the CA that signed its certificate is marked @revoked"),
                            Case.refused(
                                    "CA listed, host key @revoked",
                                    "@cert-authority " + name + " " + caKey + "\n@revoked " + name + " " + key,
                                    "its key is marked @revoked"),
                            Case.accepted("its host key listed as a plain key", name + " " + key),
                            Case.refused(
                                    "its host key listed and @revoked",
                                    name + " " + key + "\n@revoked * " + key,
                                    "is REVOKED"),
                            Case.refused("the CA key listed as a plain host key", name + " " + caKey, "has CHANGED"),
                            Case.accepted(
                                    "CA listed, another plain key listed",
                                    "@cert-authority " + name + " " + caKey + "\n" + name + " " + other.keyPart())));

            // Pinning: the fingerprint ssh-keygen -lf prints for the certificate is its host key's.
            String printed =
                    LocalProcess.run("ssh-keygen", "-lf", cert.toString()).split(" ")[1];
            assertThat(printed).isEqualTo(hostKey.fingerprint());
            try (SshTransport ssh = SshTransport.connect(
                    server.target(LOGIN),
                    settings(server, new HostKeyPolicy.Pinned(List.of(printed))),
                    Console.silent())) {
                assertThat(ssh.target().port()).isEqualTo(server.port());
            }
            assertThat(flow(server, new HostKeyPolicy.Pinned(List.of(ca.fingerprint()))))
                    .satisfies(o -> assertThat(o.decision()).isEqualTo(Decision.REFUSE))
                    .satisfies(o -> assertThat(o.message())
                            .contains("offered ssh-ed25519 " + hostKey.fingerprint())
                            .contains("host certificate signed by CA ssh-ed25519 " + ca.fingerprint()));
        }
    }

    @Test
    void aUserCertificateOfferedAsTheHostKey() {
        SshKeys hostKey = SshKeys.generate(dir.resolve("user-cert"), "ssh_host_ed25519_key");
        Path cert = hostKey.certificate(ca, "user-cert", "-n", HOST);
        try (OpenSshServer server = OpenSshServer.start(List.of(LOGIN), List.of(), hostKey, cert)) {
            String name = "[" + HOST + "]:" + server.port();
            decide(
                    server,
                    List.of(
                            Case.refused(
                                    "CA listed",
                                    "@cert-authority " + name + " " + ca.keyPart(),
                                    "it is a user certificate, not a host certificate"),
                            Case.accepted(
                                    "CA listed and the host key listed as a plain key",
                                    "@cert-authority " + name + " " + ca.keyPart() + "\n" + name + " "
                                            + hostKey.keyPart())));
        }
    }

    @Test
    void certificatesOutsideTheirValidity() {
        for (String validity : List.of("20200101:20200102", "+52w:+53w")) {
            String label = validity.startsWith("+") ? "future" : "expired";
            SshKeys hostKey = SshKeys.generate(dir.resolve(label), "ssh_host_ed25519_key");
            Path cert = hostKey.certificate(ca, label, "-h", "-n", HOST, "-V", validity);
            try (OpenSshServer server = OpenSshServer.start(List.of(LOGIN), List.of(), hostKey, cert)) {
                String name = "[" + HOST + "]:" + server.port();
                decide(
                        server,
                        List.of(
                                Case.refused(
                                        label + ", CA listed",
                                        "@cert-authority * " + ca.keyPart(),
                                        label.equals("future") ? "it is not valid yet" : "it has expired"),
                                Case.accepted(
                                        label + ", CA and the host key listed",
                                        "@cert-authority * " + ca.keyPart() + "\n" + name + " " + hostKey.keyPart())));
            }
        }
    }

    @Test
    void certificatesForOtherNames() {
        SshKeys hostKey = SshKeys.generate(dir.resolve("principal"), "ssh_host_ed25519_key");
        Path cert = hostKey.certificate(ca, "principal", "-h", "-n", "web1.example.org,127.0.0.*");
        try (OpenSshServer server = OpenSshServer.start(List.of(LOGIN), List.of(), hostKey, cert)) {
            decide(
                    server,
                    List.of(Case.refused(
                            "principals name other hosts (a wildcard principal is not a pattern)",
                            "@cert-authority * " + ca.keyPart(),
                            "the host name 127.0.0.1 is not among its principals")));
        }
        SshKeys anyHost = SshKeys.generate(dir.resolve("no-principals"), "ssh_host_ed25519_key");
        Path unnamed = anyHost.certificate(ca, "no-principals", "-h");
        try (OpenSshServer server = OpenSshServer.start(List.of(LOGIN), List.of(), anyHost, unnamed)) {
            decide(
                    server,
                    List.of(new Case(
                            "no principals: OpenSSH takes it for any host, flow refuses it",
                            "@cert-authority * " + ca.keyPart(),
                            Decision.ACCEPT,
                            Decision.REFUSE,
                            "it names no principals")));
        }
    }

    @Test
    void certificatesSignedByAnRsaCa() {
        SshKeys rsaCa = SshKeys.generateOfType(dir.resolve("rsa-ca"), "rsa_ca_key", "rsa");
        for (String algorithm : List.of("rsa-sha2-512", "ssh-rsa")) {
            SshKeys hostKey = SshKeys.generate(dir.resolve(algorithm), "ssh_host_ed25519_key");
            Path cert = hostKey.certificate(rsaCa, algorithm, "-h", "-n", HOST, "-t", algorithm);
            try (OpenSshServer server = OpenSshServer.start(List.of(LOGIN), List.of(), hostKey, cert)) {
                String caLine = "@cert-authority * " + rsaCa.keyPart();
                decide(
                        server,
                        List.of(
                                algorithm.equals("ssh-rsa")
                                        ? Case.refused("signed with ssh-rsa (SHA-1)", caLine, "CASignatureAlgorithms")
                                        : Case.accepted("signed with rsa-sha2-512", caLine)));
            }
        }
    }

    private static void decide(OpenSshServer server, List<Case> cases) {
        List<String> wrong = new ArrayList<>();
        StringBuilder table = new StringBuilder();
        for (Case c : cases) {
            Path file = writeKnownHosts(c.knownHosts());
            Decision openssh = ssh(server, file);
            Outcome flow = flow(server, new HostKeyPolicy.KnownHosts(file));
            table.append(String.format(
                    "%-60s ssh %-6s flow %-6s %s%n",
                    c.name(), openssh, flow.decision(), flow.message() == null ? "" : flow.message()));
            if (openssh != c.openssh()) {
                wrong.add(c.name() + ": ssh decided " + openssh + ", the case expects " + c.openssh());
            }
            if (flow.decision() != c.flow()) {
                wrong.add(c.name() + ": flow decided " + flow.decision() + ", the case expects " + c.flow());
            } else if (c.flowSays() != null && !flow.message().contains(c.flowSays())) {
                wrong.add(c.name() + ": flow's message does not say \"" + c.flowSays() + "\"");
            }
        }
        assertThat(wrong)
                .as("decisions (ssh and flow, same sshd, same known_hosts):%n%s", table)
                .isEmpty();
    }

    private static Path writeKnownHosts(String content) {
        try {
            return Files.writeString(
                    dir.resolve("known_hosts_" + FILES.incrementAndGet()), content.isEmpty() ? "" : content + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the real OpenSSH client decides: it runs {@code true}, or fails host key verification. */
    private static Decision ssh(OpenSshServer server, Path knownHosts) {
        LocalProcess.Result result = LocalProcess.attempt(
                null,
                Map.of(),
                "ssh",
                "-F",
                "/dev/null",
                "-o",
                "BatchMode=yes",
                "-o",
                "StrictHostKeyChecking=yes",
                "-o",
                "UserKnownHostsFile=" + knownHosts,
                "-o",
                "GlobalKnownHostsFile=/dev/null",
                "-o",
                "CheckHostIP=no",
                "-o",
                "UpdateHostKeys=no",
                "-o",
                "IdentitiesOnly=yes",
                "-o",
                "IdentityFile=" + server.clientKey().privateKey(),
                "-o",
                "ConnectTimeout=10",
                "-p",
                String.valueOf(server.port()),
                LOGIN + "@" + HOST,
                "true");
        if (result.exitCode() == 0) {
            return Decision.ACCEPT;
        }
        if (result.output().contains("Host key verification failed.")) {
            return Decision.REFUSE;
        }
        throw new IllegalStateException("ssh failed for another reason than the host key (exit " + result.exitCode()
                + "):\n" + result.output() + "\nsshd: " + server.log());
    }

    private static Outcome flow(OpenSshServer server, HostKeyPolicy policy) {
        try (SshTransport ssh =
                SshTransport.connect(server.target(LOGIN), settings(server, policy), Console.silent())) {
            return new Outcome(Decision.ACCEPT, null);
        } catch (FlowException e) {
            if (e.exitCode() == ExitCode.REFUSED) {
                return new Outcome(Decision.REFUSE, e.getMessage());
            }
            throw new IllegalStateException("flow failed with exit " + e.exitCode() + ", not a refusal (3)", e);
        }
    }

    private static ConnectionSettings settings(OpenSshServer server, HostKeyPolicy policy) {
        return new ConnectionSettings(
                server.settings().identity(), policy, Duration.ofSeconds(10), Duration.ofSeconds(5));
    }
}

package io.github.flowupgrade.testing;

import io.github.flowupgrade.remote.HostKeyFingerprint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An ed25519 key pair made by {@code ssh-keygen}, in the OpenSSH formats every SSH program reads.
 *
 * @param privateKey the private key file
 * @param publicKey the {@code .pub} file
 * @param publicLine its content ({@code ssh-ed25519 AAAA... comment})
 * @param fingerprint {@code SHA256:...} as {@code ssh-keygen -lf} prints it
 */
public record SshKeys(Path privateKey, Path publicKey, String publicLine, String fingerprint) {

    public static SshKeys generate(Path dir, String name) {
        return generate(dir, name, "");
    }

    public static SshKeys generate(Path dir, String name, String passphrase) {
        return generate(dir, name, passphrase, "ed25519");
    }

    /** A key pair of {@code type} ({@code ed25519}, {@code rsa}, {@code ecdsa}) without passphrase. */
    public static SshKeys generateOfType(Path dir, String name, String type) {
        return generate(dir, name, "", type);
    }

    private static SshKeys generate(Path dir, String name, String passphrase, String type) {
        try {
            Files.createDirectories(dir);
            Path key = dir.resolve(name);
            LocalProcess.run("ssh-keygen", "-q", "-t", type, "-N", passphrase, "-C", name, "-f", key.toString());
            Path pub = dir.resolve(name + ".pub");
            String line = Files.readString(pub).strip();
            return new SshKeys(key, pub, line, HostKeyFingerprint.ofPublicKeyLine(line));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A certificate of this key signed by {@code ca} with {@code ssh-keygen -s}, with {@code options} such as {@code -h}
     * (a host certificate), {@code -n principals} or {@code -V validity}: the file {@code <name>-cert.pub} beside this
     * key.
     */
    public Path certificate(SshKeys ca, String name, String... options) {
        try {
            Path pub = publicKey.resolveSibling(name + ".pub");
            Files.copy(publicKey, pub);
            List<String> argv = new ArrayList<>(
                    List.of("ssh-keygen", "-q", "-s", ca.privateKey().toString(), "-I", name));
            argv.addAll(List.of(options));
            argv.add(pub.toString());
            LocalProcess.run(argv.toArray(String[]::new));
            return publicKey.resolveSibling(name + "-cert.pub");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code type base64} part of the public key line, for known_hosts lines. */
    public String keyPart() {
        String[] parts = publicLine.split(" ");
        return parts[0] + " " + parts[1];
    }

    /** A known_hosts line for this key as the host key of {@code 127.0.0.1} on {@code port}. */
    public String knownHostsLine(String host, int port) {
        String name = port == 22 ? host : "[" + host + "]:" + port;
        String[] parts = publicLine.split(" ");
        return name + " " + parts[0] + " " + parts[1];
    }
}

package io.github.flowupgrade.testing;

import io.github.flowupgrade.remote.HostKeyFingerprint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
        try {
            Files.createDirectories(dir);
            Path key = dir.resolve(name);
            LocalProcess.run("ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase, "-C", name, "-f", key.toString());
            Path pub = dir.resolve(name + ".pub");
            String line = Files.readString(pub).strip();
            return new SshKeys(key, pub, line, HostKeyFingerprint.ofPublicKeyLine(line));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A known_hosts line for this key as the host key of {@code 127.0.0.1} on {@code port}. */
    public String knownHostsLine(String host, int port) {
        String name = port == 22 ? host : "[" + host + "]:" + port;
        String[] parts = publicLine.split(" ");
        return name + " " + parts[0] + " " + parts[1];
    }
}

package io.github.flowupgrade.remote;

import com.hierynomus.sshj.userauth.certificate.Certificate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;

/**
 * An OpenSSH known_hosts file, read line by line as OpenSSH's {@code ssh} reads it (hostfile.c): optional marker
 * ({@code @cert-authority} or {@code @revoked}, at most one), host names field, key type, base64 key, comment. Comments,
 * blank lines and lines OpenSSH would not load (unknown marker, two markers, truncated, bad base64, a key whose type
 * differs from the type named before it, a key type this client cannot read) are left out, as OpenSSH skips them.
 * Nothing is ever written.
 */
final class KnownHostsFile {
    enum Marker {
        /** A host key. */
        NONE,
        /** {@code @cert-authority}: a CA whose host certificates are trusted for the line's hosts. */
        CERT_AUTHORITY,
        /** {@code @revoked}: a key never to accept for the line's hosts, as a host key or as a CA. */
        REVOKED
    }

    /**
     * One loaded line.
     *
     * @param number line number in the file (1-based)
     * @param hosts the host names field (patterns or one hashed name)
     * @param type the key type named on the line
     * @param key the key's SSH wire encoding; for a certificate line, that of the certificate's key
     * @param certificate whether the line holds a certificate rather than a key (never a host key to OpenSSH)
     */
    record Line(int number, Marker marker, String hosts, String type, byte[] key, boolean certificate) {
        String fingerprint() {
            return HostKeyFingerprint.ofBlob(key);
        }
    }

    /** Key types OpenSSH 9 reads that sshj cannot decode (security keys). */
    private static final Set<String> FOREIGN_TYPES = Set.of(
            "sk-ssh-ed25519@openssh.com",
            "sk-ecdsa-sha2-nistp256@openssh.com",
            "sk-ssh-ed25519-cert-v01@openssh.com",
            "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com");

    /** A line as written: its key is decoded only when the line names the host looked up, as OpenSSH does. */
    private record Written(int number, Marker marker, String hosts, String type, String encodedKey) {}

    private final String source;
    private final List<Written> lines;

    private KnownHostsFile(String source, List<Written> lines) {
        this.source = source;
        this.lines = List.copyOf(lines);
    }

    /** Reads {@code file}; a file that does not exist has no lines (as for {@code ssh}). */
    static KnownHostsFile read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return new KnownHostsFile(file + " (that file does not exist)", List.of());
        }
        return parse(Files.readString(file), file.toString());
    }

    static KnownHostsFile parse(String text, String source) {
        List<Written> lines = new ArrayList<>();
        String[] raw = text.split("\n", -1);
        for (int i = 0; i < raw.length; i++) {
            Written line = parseLine(raw[i], i + 1);
            if (line != null) {
                lines.add(line);
            }
        }
        return new KnownHostsFile(source, lines);
    }

    /** Where the lines came from, for messages. */
    String source() {
        return source;
    }

    /** The lines whose host names field names {@code name} (a host, or {@code [host]:port}), in file order. */
    List<Line> forName(String name) {
        List<Line> found = new ArrayList<>();
        for (Written line : lines) {
            if (HostPatterns.matches(line.hosts(), name)) {
                Line decoded = decode(line);
                if (decoded != null) {
                    found.add(decoded);
                }
            }
        }
        return found;
    }

    private static Line decode(Written line) {
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(line.encodedKey());
        } catch (IllegalArgumentException e) {
            return null;
        }
        PublicKey key;
        try {
            key = new Buffer.PlainBuffer(blob).readPublicKey();
        } catch (RuntimeException | Buffer.BufferException e) {
            return foreign(line, blob);
        }
        if (!KeyType.fromKey(key).toString().equals(line.type())) {
            return null;
        }
        return new Line(
                line.number(),
                line.marker(),
                line.hosts(),
                line.type(),
                HostKeyFingerprint.plainBlob(key),
                key instanceof Certificate<?>);
    }

    /**
     * A key of a type OpenSSH reads but sshj does not: no server can offer it to flow, but to OpenSSH the line lists
     * another key for the host, so it is kept as one (the host key then counts as changed, not unknown).
     */
    private static Line foreign(Written line, byte[] blob) {
        if (!FOREIGN_TYPES.contains(line.type())) {
            return null;
        }
        try {
            if (!new Buffer.PlainBuffer(blob).readString().equals(line.type())) {
                return null;
            }
        } catch (Buffer.BufferException e) {
            return null;
        }
        return new Line(
                line.number(),
                line.marker(),
                line.hosts(),
                line.type(),
                blob,
                line.type().contains("-cert-"));
    }

    private static Written parseLine(String text, int number) {
        // A trailing CR is whitespace to OpenSSH's base64 decoder, or part of the comment.
        String s = text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
        int pos = skipBlanks(s, 0);
        if (pos == s.length() || s.charAt(pos) == '#') {
            return null;
        }
        Marker marker = Marker.NONE;
        while (pos < s.length() && s.charAt(pos) == '@') {
            if (marker != Marker.NONE) {
                return null; // only one marker is allowed
            }
            // Like OpenSSH: the marker ends at the first space, or failing that the first tab.
            int end = s.indexOf(' ', pos);
            if (end < 0) {
                end = s.indexOf('\t', pos);
            }
            if (end < 0) {
                return null;
            }
            String word = s.substring(pos, end);
            if (word.equals("@cert-authority")) {
                marker = Marker.CERT_AUTHORITY;
            } else if (word.equals("@revoked")) {
                marker = Marker.REVOKED;
            } else {
                return null;
            }
            pos = skipBlanks(s, end);
        }
        int hostsEnd = wordEnd(s, pos);
        String hosts = s.substring(pos, hostsEnd);
        pos = skipBlanks(s, hostsEnd);
        if (pos == s.length() || s.charAt(pos) == '#') {
            return null;
        }
        int typeEnd = wordEnd(s, pos);
        if (typeEnd == s.length()) {
            return null;
        }
        String type = s.substring(pos, typeEnd);
        pos = skipBlanks(s, typeEnd);
        if (pos == s.length()) {
            return null;
        }
        return new Written(number, marker, hosts, type, s.substring(pos, wordEnd(s, pos)));
    }

    private static int skipBlanks(String s, int pos) {
        while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) {
            pos++;
        }
        return pos;
    }

    private static int wordEnd(String s, int pos) {
        while (pos < s.length() && s.charAt(pos) != ' ' && s.charAt(pos) != '\t') {
            pos++;
        }
        return pos;
    }
}

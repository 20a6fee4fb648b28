package io.github.flowupgrade.remote;

import com.hierynomus.sshj.userauth.certificate.Certificate;
import io.github.flowupgrade.remote.KnownHostsFile.Line;
import io.github.flowupgrade.remote.KnownHostsFile.Marker;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Decides on a host key the way OpenSSH's {@code ssh} does with {@code StrictHostKeyChecking=yes} on the same
 * known_hosts file (sshconnect.c {@code check_host_key}, hostfile.c), so flow accepts no key that {@code ssh} refuses:
 *
 * <ul>
 *   <li>Only lines whose host names field names the host count: {@code [host]:port} for a port other than 22, plain
 *       or hashed, with {@code *}/{@code ?} wildcards; a matching {@code !pattern} takes the line out.
 *   <li>A key listed as {@code @revoked} for the host is refused, whatever else the file says; so is a certificate
 *       whose key or CA is revoked.
 *   <li>A plain key is accepted when a line without marker holds it. A {@code @cert-authority} key is never a host key.
 *   <li>A certificate is accepted when a {@code @cert-authority} line for the host holds its CA and it passes
 *       {@link HostCertificates#problem}; otherwise its key is checked as a plain key, as {@code ssh} does.
 *   <li>For a port other than 22, when no line names {@code [host]:port} at all, the lines for the bare host name are
 *       tried as well.
 * </ul>
 */
final class KnownHostsCheck {
    private final KnownHostsFile file;
    private final String host;
    private final int port;

    /** @param host the host name or address as the user gave it */
    KnownHostsCheck(KnownHostsFile file, String host, int port) {
        this.file = file;
        this.host = host.toLowerCase(Locale.ROOT);
        this.port = port;
    }

    /** The name looked up in known_hosts: {@code host}, or {@code [host]:port} for a port other than 22. */
    String lookupName() {
        return port == 22 ? host : "[" + host + "]:" + port;
    }

    /** The verdict on a key, with what a refusal message needs. */
    sealed interface Verdict {
        /** @param how which line (and certificate authority) vouched for the key */
        record Accepted(String how) implements Verdict {}

        /**
         * @param kind why, in short
         * @param revoked the {@code @revoked} line that refused the key, for {@link Kind#REVOKED}
         * @param recorded the lines that list other keys for the host, for {@link Kind#CHANGED}
         * @param notes what else was found (certificates refused and why, a CA key offered as a host key)
         */
        record Refused(Kind kind, Line revoked, List<Line> recorded, List<String> notes) implements Verdict {}
    }

    enum Kind {
        /** No line for the host vouches for the key, and none lists another key. */
        UNKNOWN,
        /** Lines for the host list other keys. */
        CHANGED,
        /** The key, or the CA of its certificate, is {@code @revoked} for the host. */
        REVOKED
    }

    private enum Status {
        OK,
        NEW,
        CHANGED,
        REVOKED
    }

    /** What one pass over the file found, for the refusal message. */
    private static final class Trace {
        String how;
        Line revoked;
        final Set<Line> changed = new LinkedHashSet<>();
        final Set<String> notes = new LinkedHashSet<>();
    }

    Verdict verify(PublicKey offered, Instant now) {
        Trace trace = new Trace();
        if (check(offered, false, now, trace)) {
            return new Verdict.Accepted(trace.how);
        }
        Kind kind = trace.revoked != null ? Kind.REVOKED : trace.changed.isEmpty() ? Kind.UNKNOWN : Kind.CHANGED;
        return new Verdict.Refused(
                kind, trace.revoked, List.copyOf(trace.changed), List.copyOf(new ArrayList<>(trace.notes)));
    }

    private boolean check(PublicKey key, boolean bareName, Instant now, Trace trace) {
        String name = bareName ? host : lookupName();
        List<Line> lines = file.forName(name);
        PublicKey current = key;
        while (true) {
            Status status = status(lines, current, trace);
            if (status == Status.REVOKED) {
                return false; // no fallback from a revoked certificate to its key
            }
            if (current instanceof Certificate<?> certificate) {
                if (status == Status.OK) {
                    Line ca = caLine(lines, certificate);
                    String problem = HostCertificates.problem(certificate, host, now);
                    if (problem == null) {
                        trace.how = "host certificate signed by CA " + ca.fingerprint() + ", @cert-authority for "
                                + name + " at " + where(ca);
                        return true;
                    }
                    trace.notes.add("its CA is @cert-authority for " + name + " at " + where(ca)
                            + ", but the certificate was refused: " + problem);
                } else {
                    if (!bareName && port != 22 && check(current, true, now, trace)) {
                        return true;
                    }
                    trace.notes.add("no @cert-authority line for this host lists that CA");
                }
                // As ssh does: the certificate did not do, so its key is looked up as a plain host key.
                current = certificate.getKey();
                continue;
            }
            switch (status) {
                case OK -> {
                    trace.how = "host key at " + where(plainLine(lines, current));
                    return true;
                }
                case NEW -> {
                    noteCaOnly(lines, current, name, trace);
                    return !bareName && port != 22 && check(current, true, now, trace);
                }
                default -> {
                    noteCaOnly(lines, current, name, trace);
                    return false;
                }
            }
        }
    }

    /** check_hostkeys_by_key_or_type: a certificate looks for its CA, a key for itself; revocation overrides. */
    private Status status(List<Line> lines, PublicKey key, Trace trace) {
        byte[] plain = HostKeyFingerprint.plainBlob(key);
        byte[] ca = key instanceof Certificate<?> certificate ? HostCertificates.caKey(certificate) : null;
        Status status = Status.NEW;
        List<Line> others = new ArrayList<>();
        for (Line line : lines) {
            if (ca != null) {
                if (line.marker() == Marker.CERT_AUTHORITY && Arrays.equals(line.key(), ca)) {
                    status = Status.OK;
                    break;
                }
            } else if (line.marker() == Marker.NONE) {
                if (!line.certificate() && Arrays.equals(line.key(), plain)) {
                    status = Status.OK;
                    break;
                }
                status = Status.CHANGED;
                others.add(line);
            }
        }
        for (Line line : lines) {
            if (line.marker() == Marker.REVOKED
                    && (Arrays.equals(line.key(), plain) || (ca != null && Arrays.equals(line.key(), ca)))) {
                trace.revoked = line;
                trace.notes.add(
                        Arrays.equals(line.key(), plain)
                                ? "its key is marked @revoked at " + where(line)
                                : "the CA that signed its certificate is marked @revoked at " + where(line));
                return Status.REVOKED;
            }
        }
        if (status == Status.CHANGED) {
            trace.changed.addAll(others);
        }
        return status;
    }

    private static Line caLine(List<Line> lines, Certificate<?> certificate) {
        byte[] ca = HostCertificates.caKey(certificate);
        return lines.stream()
                .filter(l -> l.marker() == Marker.CERT_AUTHORITY && Arrays.equals(l.key(), ca))
                .findFirst()
                .orElseThrow();
    }

    private static Line plainLine(List<Line> lines, PublicKey key) {
        byte[] plain = HostKeyFingerprint.plainBlob(key);
        return lines.stream()
                .filter(l -> l.marker() == Marker.NONE && !l.certificate() && Arrays.equals(l.key(), plain))
                .findFirst()
                .orElseThrow();
    }

    /** A CA key offered as a plain host key: say so, since the file does list that key. */
    private void noteCaOnly(List<Line> lines, PublicKey key, String name, Trace trace) {
        byte[] plain = HostKeyFingerprint.plainBlob(key);
        lines.stream()
                .filter(l -> l.marker() == Marker.CERT_AUTHORITY && Arrays.equals(l.key(), plain))
                .findFirst()
                .ifPresent(l -> trace.notes.add("its key is listed for " + name + " only as @cert-authority at "
                        + where(l) + ": a CA key vouches for host certificates and is never accepted as a host key"
                        + " itself"));
    }

    private String where(Line line) {
        return file.source() + ":" + line.number();
    }
}

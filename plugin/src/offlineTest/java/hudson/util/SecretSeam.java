package hudson.util;

/** Tests' access to the mirror's package-private seam in {@link Secret}. */
public final class SecretSeam {
    private SecretSeam() {}

    public static Secret of(String value) {
        return new Secret(value);
    }
}

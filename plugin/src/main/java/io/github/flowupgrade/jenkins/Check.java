package io.github.flowupgrade.jenkins;

/**
 * The outcome of validating one form field, without Jenkins types, so validation is unit-tested offline; descriptors
 * turn it into a {@code FormValidation} ({@link Forms#of(Check)}).
 */
public record Check(Kind kind, String message) {
    public enum Kind {
        OK,
        WARNING,
        ERROR
    }

    private static final Check OK = new Check(Kind.OK, "");

    public static Check ok() {
        return OK;
    }

    public static Check warning(String message) {
        return new Check(Kind.WARNING, message);
    }

    public static Check error(String message) {
        return new Check(Kind.ERROR, message);
    }

    public boolean isOk() {
        return kind == Kind.OK;
    }
}

package io.github.flowupgrade;

/** The process exit codes of {@code flow}, documented in {@code flow --help} and the README. */
public enum ExitCode {
    DONE(0, "done"),
    FAILED(1, "unexpected internal error (a bug: please report it with the audit log)"),
    BAD_INPUT(2, "bad usage or input; nothing ran on any host"),
    REFUSED(
            3,
            "refused by a safety check (a failed pre-flight check, local changes, held lock, host key, downgrade,"
                    + " tampered audit log...)"),
    REMOTE_COMMAND_FAILED(4, "a remote command failed or timed out"),
    NETWORK(5, "connection or network failure (SSH, GitHub API)");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }

    /** The exit code with this number; {@link #FAILED} for a number {@code flow} does not use. */
    public static ExitCode of(int code) {
        for (ExitCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return FAILED;
    }
}

package io.github.flowupgrade.upgrade.preflight;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line of the pre-flight table.
 *
 * @param name {@code memory}, {@code disk}, {@code ruby}, {@code node} or {@code config}
 * @param status {@link #PASS}, {@link #WARN} or {@link #FAIL} ({@link #PLANNED} in a dry run)
 * @param detail what was found, against what was needed; names of settings, never their values
 */
public record PreflightCheck(String name, String status, String detail) {
    public static final String PASS = "pass";
    public static final String WARN = "warn";
    public static final String FAIL = "fail";
    public static final String PLANNED = "planned";

    public static PreflightCheck pass(String name, String detail) {
        return new PreflightCheck(name, PASS, detail);
    }

    public static PreflightCheck warn(String name, String detail) {
        return new PreflightCheck(name, WARN, detail);
    }

    public static PreflightCheck fail(String name, String detail) {
        return new PreflightCheck(name, FAIL, detail);
    }

    public boolean failed() {
        return FAIL.equals(status);
    }

    /** A failure turned into a warning, saying so. */
    PreflightCheck downgraded(String how) {
        return failed() ? new PreflightCheck(name, WARN, detail + " (a failure, made a warning by " + how + ")") : this;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", name);
        map.put("status", status);
        map.put("detail", detail);
        return map;
    }
}

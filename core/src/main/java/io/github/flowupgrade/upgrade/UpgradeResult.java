package io.github.flowupgrade.upgrade;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How an upgrade ended on one host: every step with its status and time, what each hop checked out and ran, the
 * services, the streaming decision, and, when it stopped early, the error and how to resume or roll back.
 *
 * @param status {@code upgraded}, {@code pending approval} (all done but the streaming restart), {@code planned} (dry
 *     run), {@code refused} or {@code failed}
 * @param exitCode the process exit code this host's outcome maps to
 */
public record UpgradeResult(
        String host,
        String from,
        String target,
        List<String> hops,
        List<RequirementCheck> requirements,
        List<StepRecord> steps,
        List<CheckoutResult> checkouts,
        List<TaskOutcome> tasks,
        List<ServiceOutcome> services,
        StreamingOutcome streaming,
        long durationMs,
        String status,
        String error,
        int exitCode,
        String resumeCommand,
        String rollbackCommand) {

    public static final String UPGRADED = "upgraded";
    public static final String PENDING = "pending approval";
    public static final String PLANNED = "planned";
    public static final String FAILED = "failed";
    public static final String REFUSED = "refused";

    public UpgradeResult {
        hops = List.copyOf(hops);
        requirements = List.copyOf(requirements);
        steps = List.copyOf(steps);
        checkouts = List.copyOf(checkouts);
        tasks = List.copyOf(tasks);
        services = List.copyOf(services);
    }

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** The {@code --json} object of one host. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("host", host);
        map.put("from", from);
        map.put("target", target);
        map.put("hops", hops);
        map.put("status", status);
        map.put("durationMs", durationMs);
        map.put(
                "requirements",
                maps(requirements.stream().map(RequirementCheck::toMap).toList()));
        map.put("steps", maps(steps.stream().map(StepRecord::toMap).toList()));
        map.put("checkouts", maps(checkouts.stream().map(CheckoutResult::toMap).toList()));
        map.put("tasks", maps(tasks.stream().map(TaskOutcome::toMap).toList()));
        map.put("services", maps(services.stream().map(ServiceOutcome::toMap).toList()));
        map.put("streaming", streaming == null ? null : streaming.toMap());
        map.put("error", error);
        map.put("exitCode", exitCode);
        map.put("resumeCommand", resumeCommand);
        map.put("rollbackCommand", rollbackCommand);
        return map;
    }

    private static List<Object> maps(List<Map<String, Object>> list) {
        return new ArrayList<>(list);
    }
}

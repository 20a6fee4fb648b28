package io.github.flowupgrade.upgrade.instance;

import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.audit.AuditEvents;
import io.github.flowupgrade.audit.AuditLog;
import io.github.flowupgrade.upgrade.StepRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The steps of an instance's upgrade, each on its host, planned up front so that a run that stops can say exactly
 * where, and what it did not reach. Each step that ends is also written to the audit trail.
 */
final class InstanceSteps {
    private record Planned(String name, String host, String hop) {}

    private final String instance;
    private final AuditLog audit;
    private final List<Planned> planned = new ArrayList<>();
    private final List<InstanceStep> records = new ArrayList<>();

    InstanceSteps(String instance, AuditLog audit) {
        this.instance = instance;
        this.audit = audit;
    }

    void plan(String name, String host, String hop) {
        planned.add(new Planned(name, host, hop));
    }

    /** Set by a step's work when the step ends waiting for an approval rather than done. */
    private boolean pending;

    /** Runs a planned step; {@code work} returns its one-line detail. */
    String run(String name, String host, Supplier<String> work, boolean dryRun) {
        long start = System.nanoTime();
        pending = false;
        try {
            String detail = work.get();
            String status = dryRun ? StepRecord.PLANNED : pending ? StepRecord.PENDING : StepRecord.DONE;
            record(name, host, status, elapsed(start), detail);
            return detail;
        } catch (RuntimeException e) {
            record(name, host, StepRecord.FAILED, elapsed(start), FlowException.firstLine(e.getMessage()));
            throw e;
        }
    }

    void record(String name, String host, String status, long durationMs, String detail) {
        InstanceStep step = new InstanceStep(name, host, hopOf(name, host), status, durationMs, detail);
        records.add(step);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("host", host);
        fields.put("instance", instance);
        fields.put("step", name);
        fields.put("hop", step.hop());
        fields.put("status", status);
        fields.put("detail", detail);
        audit.record(AuditEvents.INSTANCE_STEP, fields);
    }

    /** Called by the work of the step that runs: it ends pending approval (the streaming restart), not done. */
    void endsPending() {
        pending = true;
    }

    /** The step that failed, or null. */
    InstanceStep failed() {
        return records.stream()
                .filter(r -> StepRecord.FAILED.equals(r.status()))
                .findFirst()
                .orElse(null);
    }

    /** What ran, then every planned step that did not, with {@code status}. */
    List<InstanceStep> report(String status) {
        List<InstanceStep> all = new ArrayList<>(records);
        for (Planned p : planned) {
            if (records.stream().noneMatch(r -> r.name().equals(p.name()) && Objects.equals(r.host(), p.host()))) {
                all.add(new InstanceStep(p.name(), p.host(), p.hop(), status, 0, null));
            }
        }
        return all;
    }

    private String hopOf(String name, String host) {
        for (Planned p : planned) {
            if (p.name().equals(name) && Objects.equals(p.host(), host)) {
                return p.hop();
            }
        }
        return null;
    }

    private static long elapsed(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}

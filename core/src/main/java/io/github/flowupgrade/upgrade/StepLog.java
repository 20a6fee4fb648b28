package io.github.flowupgrade.upgrade;

import io.github.flowupgrade.FlowException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The steps of one host's run, planned up front so that a failure can say exactly which ones completed and which
 * did not.
 */
final class StepLog {
    private record Planned(String name, String hop) {}

    private final List<Planned> planned = new ArrayList<>();
    private final List<StepRecord> records = new ArrayList<>();

    void plan(String name, String hop) {
        planned.add(new Planned(name, hop));
    }

    /** Runs the next planned step; {@code work} returns the step's one-line detail. */
    String run(String name, Supplier<String> work, boolean dryRun) {
        long start = System.nanoTime();
        try {
            String detail = work.get();
            records.add(new StepRecord(
                    name, hopOf(name), dryRun ? StepRecord.PLANNED : StepRecord.DONE, elapsed(start), detail));
            return detail;
        } catch (RuntimeException e) {
            records.add(new StepRecord(name, hopOf(name), StepRecord.FAILED, elapsed(start), firstLine(e)));
            throw e;
        }
    }

    /** Changes the status of the step recorded last (a streaming restart that ended pending approval). */
    void restatusLast(String status) {
        StepRecord last = records.remove(records.size() - 1);
        records.add(new StepRecord(last.name(), last.hop(), status, last.durationMs(), last.detail()));
    }

    /** Takes back the record of {@code name}: it did not really run (its first action, the lock, failed). */
    void forget(String name) {
        records.removeIf(r -> r.name().equals(name));
    }

    void record(StepRecord record) {
        records.add(record);
    }

    /** What ran, then every planned step that did not, as {@code not run}. */
    List<StepRecord> report() {
        return report(StepRecord.NOT_RUN);
    }

    /** What ran, then every planned step that did not, with {@code status}. */
    List<StepRecord> report(String status) {
        List<StepRecord> all = new ArrayList<>(records);
        for (Planned p : planned) {
            boolean seen = records.stream().anyMatch(r -> r.name().equals(p.name()));
            if (!seen) {
                all.add(new StepRecord(p.name(), p.hop(), status, 0, null));
            }
        }
        return all;
    }

    private String hopOf(String name) {
        for (Planned p : planned) {
            if (p.name().equals(name)) {
                return p.hop();
            }
        }
        return null;
    }

    private static long elapsed(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static String firstLine(RuntimeException e) {
        return FlowException.firstLine(e.getMessage() == null ? e.toString() : e.getMessage());
    }
}

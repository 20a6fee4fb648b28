package io.github.flowupgrade.upgrade;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.Option;
import io.github.flowupgrade.release.ManualItem;
import io.github.flowupgrade.release.Phase;
import io.github.flowupgrade.release.PlanTask;
import io.github.flowupgrade.release.ReleaseLookupResult;
import io.github.flowupgrade.release.UpgradePlan;
import io.github.flowupgrade.upgrade.tasks.UpgradeTasks;
import java.util.List;
import java.util.function.Function;

/**
 * The plan of a release lookup as an upgrade prints it before it touches a host, for one host or an instance alike:
 * the range and its hops, the tasks phase by phase, the checks, and the manual steps.
 */
public final class PlanPrinter {
    private PlanPrinter() {}

    /**
     * @param title the first line's start ({@code Plan}, {@code Plan for instance social})
     * @param where what follows a task's line (where it runs), or an empty string
     */
    public static void print(
            Console console,
            String title,
            ReleaseLookupResult r,
            UpgradeRequest request,
            Function<PlanTask, String> where) {
        UpgradePlan plan = r.plan();
        console.info(title + ": " + (r.from() == null ? "" : r.from() + " -> ")
                + r.target().tagName()
                + (r.commit() == null ? "" : " (" + r.commit() + ")") + "; releases "
                + (r.releases().isEmpty() ? "none" : String.join(", ", r.releases())) + "; hops "
                + (r.hops().isEmpty() ? "none" : String.join(" -> ", r.hops())));
        console.info("  streaming restart required by the notes: " + (plan.streamingRestart() ? "yes" : "no")
                + "; requirements: " + plan.requirements().toMap());
        for (Phase phase : Phase.values()) {
            for (PlanTask task : plan.tasks()) {
                if (task.phase() == phase) {
                    console.info("  " + phase.wireName() + ": " + task.command() + "  ["
                            + String.join(", ", task.releases()) + "]" + where.apply(task));
                }
            }
        }
        for (ManualItem item : plan.otherRequirements()) {
            console.info("  check: [" + String.join(", ", item.releases()) + "] " + item.text());
        }
        // The lookup has warned already, and the manual steps are shown here only, once per range: confirmed ones are
        // counted, not listed again (fetch-release and the plan-only run list them).
        List<ManualItem> manual = plan.manual();
        if (!manual.isEmpty()) {
            if (request.confirmManual() && !request.planOnly()) {
                console.info("  manual steps: " + manual.size() + ", confirmed (" + Option.CONFIRM_MANUAL.set()
                        + "); the audit trail records them");
            } else {
                UpgradeTasks.list(console, manual);
            }
        }
    }
}

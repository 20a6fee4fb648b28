package io.github.flowupgrade.upgrade.instance;

import io.github.flowupgrade.host.HostLock;
import io.github.flowupgrade.host.HostShell;
import io.github.flowupgrade.upgrade.checkout.CheckoutResult;
import io.github.flowupgrade.upgrade.preflight.PendingMigrations;
import io.github.flowupgrade.upgrade.preflight.PreflightReport;
import io.github.flowupgrade.upgrade.services.ServiceOutcome;
import io.github.flowupgrade.upgrade.services.ServiceRestarts;
import io.github.flowupgrade.upgrade.services.StreamingOutcome;
import io.github.flowupgrade.upgrade.tasks.RequirementCheck;
import io.github.flowupgrade.upgrade.tasks.TaskOutcome;
import io.github.flowupgrade.upgrade.tasks.UpgradeTasks;
import java.util.ArrayList;
import java.util.List;

/** One host during an instance's upgrade: its shell, its own task and restart runners, and what happened there. */
final class InstanceMember {
    final InstanceHost host;
    final HostShell shell;
    final UpgradeTasks tasks;
    final ServiceRestarts restarts;
    final List<CheckoutResult> checkouts = new ArrayList<>();
    final List<TaskOutcome> taskOutcomes = new ArrayList<>();
    final List<ServiceOutcome> services = new ArrayList<>();
    final List<PendingMigrations> previews = new ArrayList<>();
    List<RequirementCheck> requirements = List.of();
    StreamingOutcome streaming;
    HostLock lock;
    PreflightReport preflight;

    InstanceMember(InstanceHost host, HostShell shell, UpgradeTasks tasks, ServiceRestarts restarts) {
        this.host = host;
        this.shell = shell;
        this.tasks = tasks;
        this.restarts = restarts;
    }

    String label() {
        return host.label();
    }

    boolean has(Role role) {
        return host.has(role);
    }
}

package io.github.flowupgrade.bench;

import io.github.flowupgrade.commands.ReleaseTag;
import io.github.flowupgrade.Console;
import io.github.flowupgrade.audit.AuditLog;
import io.github.flowupgrade.commands.RunAs;
import io.github.flowupgrade.host.HostAccess;
import io.github.flowupgrade.host.HostFanOut;
import io.github.flowupgrade.host.HostShell;
import io.github.flowupgrade.remote.SshTransport;
import io.github.flowupgrade.testing.GitRepos;
import io.github.flowupgrade.testing.OpenSshServer;
import io.github.flowupgrade.upgrade.checkout.Checkout;
import io.github.flowupgrade.upgrade.checkout.CheckoutRequest;
import io.github.flowupgrade.upgrade.checkout.CheckoutResult;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Figure 4: the checkout sequence of {@code flow checkout} (connect, lock, inspect the tree, fetch, verify the tag,
 * check out, record, unlock) on 20 hosts with a parallelism of 10, against the same on one host. Each host is its own
 * OpenSSH sshd on 127.0.0.1 with its own working tree and upstream. bench/run starts this JVM inside a network
 * namespace whose loopback delays every packet (the test host's latency option), so the hosts are as far away as the
 * test host is; without it they are at loopback distance and the figure measures the machine's CPUs instead.
 */
final class FleetBench {
    static final int HOSTS = 20;
    static final int PARALLEL = Integer.getInteger("flow.bench.parallel", 10);
    /**
     * The login, also the application user (--as direct): a dedicated account with /bin/sh, as a deploy login would
     * be. Not root: every command sshd starts runs the login's shell, and root's ~/.bashrc on a build machine may do
     * anything (this one runs pyenv init, about 80 ms of CPU per command), which would measure the machine's
     * dotfiles instead of flow.
     */
    static final String LOGIN = "flowbench";

    private FleetBench() {}

    private record Host(OpenSshServer server, GitRepos repos, Path live) {}

    static List<Figure> run(int runs, String network) throws Exception {
        Path base = Files.createTempDirectory(
                Path.of(System.getProperty("flow.bench.fleetDir", "/var/tmp")), "flow-bench-fleet");
        sh("chmod", "755", base.toString());
        List<Host> hosts = new ArrayList<>();
        try {
            for (int i = 0; i < HOSTS; i++) {
                Path dir = base.resolve(String.format("host%02d", i + 1));
                Path live = dir.resolve("home/live");
                GitRepos repos = GitRepos.create(dir.resolve("git"), live);
                OpenSshServer server = OpenSshServer.start(List.of(LOGIN), List.of());
                // The application user owns its working tree (and the upstream it fetches from, here).
                sh("chown", "-R", LOGIN + ":", dir.toString());
                hosts.add(new Host(server, repos, live));
            }
            List<Double> one = new ArrayList<>();
            List<Double> fleet = new ArrayList<>();
            List<Double> oneCpu = new ArrayList<>();
            List<Double> fleetCpu = new ArrayList<>();
            List<Double> fleetClientCpu = new ArrayList<>();
            wave(hosts.subList(0, 1), 1, hosts); // warm-up: class loading and JIT
            wave(hosts, PARALLEL, hosts);
            for (int i = 0; i < runs; i++) {
                Wave single = wave(hosts.subList(0, 1), 1, hosts);
                one.add(single.ms());
                oneCpu.add(single.cpuMs());
                Wave all = wave(hosts, PARALLEL, hosts);
                fleet.add(all.ms());
                fleetCpu.add(all.cpuMs());
                fleetClientCpu.add(all.clientCpuMs());
            }
            double oneMs = Stats.median(one);
            double fleetMs = Stats.median(fleet);
            double ratio = fleetMs / oneMs;
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("hosts", HOSTS);
            details.put("parallel", PARALLEL);
            details.put(
                    "sequence",
                    "flow checkout v4.2.0 -> v4.2.1 (connect, lock, status, fetch, verify, checkout,"
                            + " history, unlock)");
            details.put(
                    "servers",
                    HOSTS + " OpenSSH sshd on 127.0.0.1, each with its own working tree, login " + LOGIN
                            + " (/bin/sh) as the application user");
            details.put("network", network);
            details.put("cpus", Runtime.getRuntime().availableProcessors());
            details.put("runs", runs);
            details.put("oneHostMs", one);
            details.put("fleetMs", fleet);
            details.put("oneHostMedianMs", Stats.round(oneMs, 1));
            details.put("fleetMedianMs", Stats.round(fleetMs, 1));
            details.put("idealRatio", (double) HOSTS / PARALLEL);
            // CPU of this JVM plus every sshd and what it ran (git, sh, timeout): with few cores the fleet cannot
            // finish faster than its CPU time divided by the cores, whatever the parallelism.
            double cores = Runtime.getRuntime().availableProcessors();
            double fleetCpuMs = Stats.median(fleetCpu);
            details.put("oneHostCpuMs", Stats.round(Stats.median(oneCpu), 1));
            details.put("fleetCpuMs", Stats.round(fleetCpuMs, 1));
            details.put("fleetClientJvmCpuMs", Stats.round(Stats.median(fleetClientCpu), 1));
            details.put("lastWavePerHost", new ArrayList<>(PHASES));
            details.put("lastWaveHostSideMsByCommand", new java.util.TreeMap<>(STEP_MS));
            details.put("cpuBoundFleetMs", Stats.round(fleetCpuMs / cores, 1));
            details.put(
                    "cpuBoundRatio", Stats.round(Math.max(fleetCpuMs / cores, oneMs * HOSTS / PARALLEL) / oneMs, 2));
            return List.of(new Figure(
                    "fleet-ratio",
                    "fleet: 20 hosts at parallelism 10 vs one host (wall time)",
                    Stats.round(ratio, 2),
                    "x",
                    "<= 2.5",
                    ratio <= 2.5,
                    details));
        } finally {
            for (Host host : hosts) {
                host.server().close();
            }
            Trees.delete(base);
        }
    }

    /** Wall time and CPU time (client JVM plus every sshd with its children) of one wave. */
    private record Wave(double ms, double cpuMs, double clientCpuMs) {}

    /** Puts every host back on v4.2.0 (untimed), then checks out v4.2.1 on all of them. */
    private static Wave wave(List<Host> hosts, int parallel, List<Host> all) {
        for (Host host : hosts) {
            sh(
                    "runuser",
                    "-u",
                    LOGIN,
                    "--",
                    "git",
                    "-C",
                    host.live().toString(),
                    "checkout",
                    "-q",
                    "--detach",
                    GitRepos.FIRST);
            Trees.delete(host.live().resolveSibling(".flow-upgrade"));
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) {
            names.add("host" + (i + 1));
        }
        double cpuBefore = cpuMs(all);
        double clientBefore = clientCpuMs();
        PHASES.clear();
        STEP_MS.clear();
        long started = System.nanoTime();
        waveStart = started;
        List<CheckoutResult> results = HostFanOut.run(names, parallel, name -> {
            Host host = hosts.get(Integer.parseInt(name.substring(4)) - 1);
            return checkout(host);
        });
        double ms = Stats.millisSince(started);
        double cpu = cpuMs(all) - cpuBefore;
        double clientCpu = clientCpuMs() - clientBefore;
        for (CheckoutResult result : results) {
            if (!result.succeeded()) {
                throw new IllegalStateException("checkout failed on " + result.host() + ": " + result.error());
            }
        }
        return new Wave(ms, cpu, clientCpu);
    }

    /** CPU milliseconds so far of this JVM (the SSH client side). */
    private static double clientCpuMs() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                        .getProcessCpuTime()
                / 1e6;
    }

    /** CPU milliseconds so far of this JVM and of every sshd, including the session processes they reaped. */
    private static double cpuMs(List<Host> hosts) {
        double ms = clientCpuMs();
        for (Host host : hosts) {
            try {
                String pid = Files.readString(host.server().dir().resolve("sshd.pid"))
                        .strip();
                String stat = Files.readString(Path.of("/proc", pid, "stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                // utime, stime, cutime, cstime: fields 14-17 of /proc/PID/stat, in clock ticks (100 per second)
                long ticks = 0;
                for (int i = 11; i <= 14; i++) {
                    ticks += Long.parseLong(fields[i]);
                }
                ms += ticks * 10.0;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return ms;
    }

    private static void sh(String... command) {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Per host of the last wave: start offset, connect and checkout times (ms), for the JSON's details. */
    static final List<String> PHASES = java.util.Collections.synchronizedList(new ArrayList<>());

    static volatile long waveStart;

    private static CheckoutResult checkout(Host host) {
        AuditLog none = (type, fields) -> {};
        long started = System.nanoTime();
        try (SshTransport transport =
                SshTransport.connect(host.server().target(LOGIN), host.server().settings(), Console.silent())) {
            long connected = System.nanoTime();
            try {
                return checkoutOn(transport, host);
            } finally {
                PHASES.add(String.format(
                        "start %+.0f connect %.0f checkout %.0f",
                        (started - waveStart) / 1e6,
                        (connected - started) / 1e6,
                        (System.nanoTime() - connected) / 1e6));
            }
        }
    }

    /** Host-side durations of each remote command in the last wave, summed by command name, for diagnostics. */
    static final java.util.Map<String, Long> STEP_MS = new java.util.concurrent.ConcurrentHashMap<>();

    private static CheckoutResult checkoutOn(SshTransport transport, Host host) {
        AuditLog none = (type, fields) -> {
            if ("command".equals(type) && fields.get("durationMs") instanceof Number ms) {
                String command = String.valueOf(fields.get("command"));
                String key = command.replaceAll(".*git -C \\S+ ", "git ").replaceAll("^(\\S+ \\S+ \\S+).*", "$1");
                STEP_MS.merge(key, ms.longValue(), Long::sum);
            }
        };
        HostAccess access = new HostAccess(
                transport, LOGIN, RunAs.of("direct", LOGIN), host.live().toString());
        HostShell shell = new HostShell(access, Duration.ofSeconds(60), none, Console.silent());
        CheckoutRequest request =
                new CheckoutRequest(host.live().toString(), ReleaseTag.of("v4.2.1"), null, false, false, "bench", null);
        return new Checkout(shell, request, Clock.systemUTC()).run();
    }
}

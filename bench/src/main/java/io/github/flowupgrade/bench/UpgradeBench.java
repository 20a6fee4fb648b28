package io.github.flowupgrade.bench;

import io.github.flowupgrade.commands.ReleaseTag;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.flowupgrade.Console;
import io.github.flowupgrade.app.AppProfile;
import io.github.flowupgrade.audit.AuditEvents;
import io.github.flowupgrade.commands.Command;
import io.github.flowupgrade.commands.RunAs;
import io.github.flowupgrade.host.HostAccess;
import io.github.flowupgrade.host.HostShell;
import io.github.flowupgrade.release.UpgradePlan;
import io.github.flowupgrade.remote.ConnectionSettings;
import io.github.flowupgrade.remote.HostKeyPolicy;
import io.github.flowupgrade.remote.OutputSink;
import io.github.flowupgrade.remote.SshIdentity;
import io.github.flowupgrade.remote.SshTarget;
import io.github.flowupgrade.remote.SshTransport;
import io.github.flowupgrade.testing.FakeGitHub;
import io.github.flowupgrade.testing.FakeGitHubMain;
import io.github.flowupgrade.testing.RecordingAuditLog;
import io.github.flowupgrade.testing.TestHostInfo;
import io.github.flowupgrade.upgrade.Upgrade;
import io.github.flowupgrade.upgrade.UpgradePath;
import io.github.flowupgrade.upgrade.UpgradeRequest;
import io.github.flowupgrade.upgrade.UpgradeResult;
import io.github.flowupgrade.upgrade.approval.NoApprovalGate;
import io.github.flowupgrade.upgrade.services.RestartTimeouts;
import io.github.flowupgrade.upgrade.services.StreamingPolicy;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Figure 1, on the test host (a Debian container with systemd and the three Mastodon units), from a JVM that bench/run
 * starts inside the host's network namespace, where the latency option delays every packet: the upgrade v4.2.0 to
 * v4.2.1 (no upgrade tasks: lock, checks, checkout, sidekiq restart, web reload, health, unlock) through the engine
 * {@code flow upgrade} runs, against (a) the admin guide's commands run one {@code ssh host 'cmd'} each, and (b) the
 * floor: one SSH handshake (with the session sshd sets up on the first channel), one round trip per unavoidable
 * sequential step (fetch, checkout, restart, reload) and the
 * time those commands take on the host, measured there without SSH. The host is reset before every run.
 */
final class UpgradeBench {
    private static final String FROM = "v4.2.0";
    private static final String TO = "v4.2.1";
    private static final int SEQUENTIAL_STEPS = 4;

    private UpgradeBench() {}

    /**
     * @param launcher {@code cli/flow}, the script users run
     * @param flowJar the shaded {@code flow.jar} the launcher starts
     */
    record Options(String hostName, String testhost, Path releaseNotes, Path toolchain, Path launcher, Path flowJar) {
        static Options from(Map<String, String> options) {
            return new Options(
                    options.getOrDefault("testhost-name", "bench"),
                    options.getOrDefault("testhost", "testhost/testhost"),
                    Path.of(options.getOrDefault("release-notes", "cli/src/test/resources/testhost-releases")),
                    Path.of(options.getOrDefault("toolchain", "cli/src/test/resources/testhost-toolchain.sh")),
                    Path.of(options.getOrDefault("launcher", "cli/flow")),
                    Path.of(options.getOrDefault("flow-jar", "cli/target/flow.jar")));
        }
    }

    static List<Figure> run(int runs, Options options) throws Exception {
        TestHostInfo info = new ObjectMapper()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .readValue(
                        Path.of("/run/flow-testhost", options.hostName(), "testhost.json")
                                .toFile(),
                        TestHostInfo.class);
        String commit = info.tags().stream()
                .filter(t -> t.name().equals(TO))
                .findFirst()
                .orElseThrow()
                .commit();
        Map<String, Object> latency = readLatency(options.hostName());
        ConnectionSettings settings = new ConnectionSettings(
                SshIdentity.fromFile(info.clientKey(), null), new HostKeyPolicy.KnownHosts(info.knownHosts()));
        SshTarget root = new SshTarget(info.sshHost(), info.sshPort(), "root");

        // The release notes name minimum Ruby/Node/PostgreSQL/Redis versions: the host gets the end-to-end tests'
        // stand-ins for those tools, so flow upgrade's requirement check finds them.
        Process install = new ProcessBuilder(
                        options.testhost(), "enter", "--name", options.hostName(), "--", "bash", "-s")
                .redirectInput(options.toolchain().toFile())
                .redirectErrorStream(true)
                .start();
        String installed = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (install.waitFor() != 0) {
            throw new IllegalStateException("installing the toolchain stand-ins failed: " + installed);
        }
        FakeGitHub github = FakeGitHub.start("mastodon/mastodon", FakeGitHubMain.releases(options.releaseNotes()));
        Path work = Files.createTempDirectory("flow-bench-upgrade");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cli = cliCommand(List.of(options.launcher().toString()), info, github, work);
        List<String> plainJava =
                cliCommand(List.of(java, "-jar", options.flowJar().toString()), info, github, work);
        Map<String, String> env = Map.of(
                "FLOW_JAR", options.flowJar().toString(),
                "JAVA", java,
                "XDG_CACHE_HOME", work.resolve("xdg-cache").toString());
        reset(options);
        timeCli(cli, work, env); // the launcher's first run archives the classes (class data sharing), not counted
        List<Double> plainJavaMs = new ArrayList<>();

        List<Double> cliMs = new ArrayList<>();
        List<Double> flowMs = new ArrayList<>();
        List<Double> guideMs = new ArrayList<>();
        List<Double> hostMs = new ArrayList<>();
        List<Double> handshakeMs = new ArrayList<>();
        List<Double> rttMs = new ArrayList<>();
        FlowRun lastFlow = null;
        String guideSteps = null;

        flow(info, root, settings, commit, options); // warm-up: class loading and JIT, not counted
        for (int i = 0; i < runs; i++) {
            reset(options);
            cliMs.add(timeCli(cli, work, env));

            reset(options);
            plainJavaMs.add(timeCli(plainJava, work, env));

            reset(options);
            long started = System.nanoTime();
            lastFlow = flow(info, root, settings, commit, options);
            flowMs.add(Stats.millisSince(started));

            reset(options);
            OpenSshClient mastodon = new OpenSshClient(
                    info.clientKey(), info.knownHosts(), info.sshHost(), info.sshPort(), info.appUser());
            OpenSshClient rootSsh =
                    new OpenSshClient(info.clientKey(), info.knownHosts(), info.sshHost(), info.sshPort(), "root");
            String dir = info.appDir();
            started = System.nanoTime();
            mastodon.timeDiscarding("cd " + dir + " && git fetch --tags");
            mastodon.timeDiscarding("cd " + dir + " && git checkout " + TO);
            rootSsh.timeDiscarding("systemctl restart mastodon-sidekiq");
            rootSsh.timeDiscarding("systemctl reload mastodon-web");
            guideMs.add(Stats.millisSince(started));
            guideSteps = "ssh mastodon@host 'cd live && git fetch --tags'; ssh mastodon@host 'cd live && git checkout "
                    + TO + "'; ssh root@host 'systemctl restart mastodon-sidekiq'; ssh root@host 'systemctl reload"
                    + " mastodon-web'";

            reset(options);
            hostMs.add(onHost(options, dir));

            // The handshake includes the first session: on its first channel sshd opens the login's PAM session
            // (pam_systemd registers it with logind), which every client pays once per connection. That channel's
            // own round trip is one of the sequential steps, so it is taken off again.
            double rtt = tcpConnectMs(info);
            started = System.nanoTime();
            try (SshTransport first = SshTransport.connect(root, settings, Console.silent())) {
                first.run(Command.of("true"), OutputSink.discard(), Duration.ofSeconds(30));
            }
            handshakeMs.add(Stats.millisSince(started) - rtt);
            rttMs.add(rtt);
        }
        reset(options);
        github.close();
        Trees.delete(work);

        double flowCli = Stats.median(cliMs);
        double flow = Stats.median(flowMs);
        double guide = Stats.median(guideMs);
        double host = Stats.median(hostMs);
        double handshake = Stats.median(handshakeMs);
        double rtt = Stats.median(rttMs);
        double floor = handshake + SEQUENTIAL_STEPS * rtt + host;
        double settle = RestartTimeouts.defaults().settle().toMillis();

        Map<String, Object> details = new LinkedHashMap<>();
        details.put(
                "upgrade",
                FROM + " -> " + TO + " on the test host (no upgrade tasks, sidekiq restart, web reload,"
                        + " streaming never)");
        details.put("latency", latency);
        details.put("runs", runs);
        details.put("flowCliMs", cliMs);
        details.put("flowCliMedianMs", Stats.round(flowCli, 1));
        details.put(
                "flowCliMeasures",
                "the whole `flow upgrade` process started by cli/flow (the launcher: quick JIT only, class data"
                        + " sharing archived by an untimed first run): JVM start, release lookup against the GitHub API"
                        + " double (inside the namespace, so at the same distance), requirement check, lock, checkout,"
                        + " sidekiq restart, web reload, unlock, audit trail; argv: "
                        + String.join(" ", cli.subList(1, cli.size())));
        details.put("flowPlainJavaJarMs", plainJavaMs);
        details.put("flowPlainJavaJarMedianMs", Stats.round(Stats.median(plainJavaMs), 1));
        details.put("flowMs", flowMs);
        details.put("flowMedianMs", Stats.round(flow, 1));
        details.put("flowRemoteCommands", lastFlow.commands().size());
        details.put("flowCommandsMsSum", lastFlow.commandMsSum());
        details.put("flowCommandsLastRun", lastFlow.commands());
        details.put(
                "flowMeasures",
                "the engine's Upgrade (what flow upgrade runs after the release lookup), connect to unlock, in a warm"
                        + " JVM; login root, commands as mastodon through su");
        details.put("flowDeliberateWaitsMs", Map.of("sidekiqSettle", settle));
        details.put("guideMs", guideMs);
        details.put("guideMedianMs", Stats.round(guide, 1));
        details.put("guideCommands", guideSteps);
        details.put("floorHandshakeMs", Stats.round(handshake, 1));
        details.put(
                "floorHandshakeMeasures",
                "sshj connect and login, then `true` on the first channel (sshd opens the PAM session there), minus"
                        + " that channel's round trip, which counts as the first sequential step");
        details.put("floorRttMs", Stats.round(rtt, 2));
        details.put("floorSequentialSteps", SEQUENTIAL_STEPS);
        details.put("floorHostCommandsMs", Stats.round(host, 1));
        details.put(
                "floorHostCommands",
                "on the host, no SSH: git fetch --tags; git checkout; systemctl restart mastodon-sidekiq; systemctl"
                        + " reload mastodon-web; until /health answers");
        details.put("floorMs", Stats.round(floor, 1));
        details.put("ratioToFloorWithoutSettle", Stats.round((flow - settle) / floor, 2));
        double toFloor = flow / floor;
        double faster = guide / flow;
        double cliToFloor = flowCli / floor;
        double cliFaster = guide / flowCli;
        return List.of(
                new Figure(
                        "upgrade-cli-vs-floor",
                        "upgrade latency: cli/flow upgrade (whole process) / floor",
                        Stats.round(cliToFloor, 2),
                        "x",
                        "<= 1.3",
                        cliToFloor <= 1.3,
                        details),
                new Figure(
                        "upgrade-cli-vs-guide",
                        "upgrade latency: guide over one ssh per command / cli/flow upgrade (whole process)",
                        Stats.round(cliFaster, 2),
                        "x",
                        ">= 3",
                        cliFaster >= 3,
                        details),
                new Figure(
                        "upgrade-vs-floor",
                        "upgrade latency: engine in a warm JVM / floor",
                        Stats.round(toFloor, 2),
                        "x",
                        "<= 1.3",
                        toFloor <= 1.3,
                        details),
                new Figure(
                        "upgrade-vs-guide",
                        "upgrade latency: guide over one ssh per command / engine in a warm JVM",
                        Stats.round(faster, 2),
                        "x",
                        ">= 3",
                        faster >= 3,
                        details));
    }

    /** What one flow run sent: each remote command and its duration seen by the client, in order. */
    record FlowRun(List<String> commands, long commandMsSum) {}

    /** The engine's whole upgrade over one connection. */
    private static FlowRun flow(
            TestHostInfo info, SshTarget root, ConnectionSettings settings, String commit, Options options) {
        RecordingAuditLog audit = new RecordingAuditLog();
        UpgradeResult result;
        try (SshTransport transport = SshTransport.connect(root, settings, Console.silent())) {
            HostAccess access = new HostAccess(transport, "root", RunAs.of("su", info.appUser()), info.appDir());
            UpgradeRequest request = new UpgradeRequest(
                    AppProfile.mastodon(),
                    StreamingPolicy.NEVER,
                    true,
                    "bench",
                    null,
                    false,
                    RestartTimeouts.defaults(),
                    Duration.ofMinutes(2),
                    Duration.ofMinutes(10));
            UpgradePath path = new UpgradePath(
                    FROM,
                    TO,
                    null,
                    List.of(TO),
                    UpgradePlan.empty(),
                    List.of(new UpgradePath.Hop(ReleaseTag.ofNullable(TO), commit, List.of(TO), UpgradePlan.empty())));
            HostShell shell = new HostShell(access, request.commandTimeout(), audit, Console.silent());
            result = new Upgrade(shell, request, Clock.systemUTC())
                    .run(path, new NoApprovalGate(), new NoApprovalGate());
        }
        if (!UpgradeResult.UPGRADED.equals(result.status())) {
            throw new IllegalStateException("flow upgrade did not succeed: " + result.status() + " " + result.error());
        }
        List<String> commands = new ArrayList<>();
        long sum = 0;
        for (RecordingAuditLog.Event event : audit.ofType(AuditEvents.COMMAND)) {
            long ms = ((Number) event.fields().get("durationMs")).longValue();
            sum += ms;
            String line = String.valueOf(event.fields().get("command"));
            commands.add(ms + " ms  " + (line.length() > 140 ? line.substring(0, 140) + "..." : line));
        }
        return new FlowRun(commands, sum);
    }

    /** The guide's commands timed inside the container (no SSH): the command time the floor allows. */
    private static double onHost(Options options, String dir) throws IOException, InterruptedException {
        String script = "t() { date +%s%N; }; a=$(t);"
                + " runuser -u mastodon -- git -C " + dir + " fetch -q --tags;"
                + " runuser -u mastodon -- git -C " + dir + " checkout -q " + TO + ";"
                + " systemctl restart mastodon-sidekiq; systemctl reload mastodon-web;"
                + " until curl -fsS -o /dev/null --max-time 2 http://127.0.0.1:3000/health; do sleep 0.01; done;"
                + " b=$(t); echo $(( (b - a) / 1000 ))";
        String out = command(options.testhost(), "enter", "--name", options.hostName(), "--", "sh", "-c", script);
        return Long.parseLong(out.strip().lines().reduce((x, y) -> y).orElseThrow()) / 1000.0;
    }

    /** {@code flow upgrade} as a user runs it, as its own JVM, in this namespace, started by {@code start}. */
    private static List<String> cliCommand(List<String> start, TestHostInfo info, FakeGitHub github, Path work) {
        List<String> command = new ArrayList<>(start);
        command.addAll(List.of(
                "upgrade",
                "--host",
                info.sshHost(),
                "--port",
                Integer.toString(info.sshPort()),
                "--login",
                "root",
                "--as",
                "su",
                "--identity",
                info.clientKey().toString(),
                "--known-hosts",
                info.knownHosts().toString(),
                "--tag",
                TO,
                "--api-url",
                github.apiUrl().toString(),
                "--cache-dir",
                work.resolve("cache").toString(),
                "--streaming",
                "never",
                "--no-prompt",
                "--confirm-manual",
                "--actor",
                "bench",
                "--audit-log",
                work.resolve("audit.jsonl").toString()));
        return command;
    }

    private static double timeCli(List<String> command, Path work, Map<String, String> env)
            throws IOException, InterruptedException {
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        // Diagnostics only (e.g. -Xlog:class+load): extra JVM options for the measured process.
        String extra = System.getenv("FLOW_BENCH_CLI_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) {
            builder.environment().put("FLOW_JAVA_OPTS", extra);
        }
        long started = System.nanoTime();
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("flow upgrade failed (exit " + process.exitValue() + "):\n" + out);
        }
        return Stats.millisSince(started);
    }

    /** One TCP handshake to sshd: one round trip. */
    private static double tcpConnectMs(TestHostInfo info) throws IOException {
        List<Double> samples = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long started = System.nanoTime();
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(info.sshHost(), info.sshPort()), 5000);
            }
            samples.add(Stats.millisSince(started));
        }
        return Stats.median(samples);
    }

    private static void reset(Options options) throws IOException, InterruptedException {
        command(options.testhost(), "reset", "--name", options.hostName());
    }

    private static Map<String, Object> readLatency(String name) throws IOException {
        Map<String, Object> latency = new LinkedHashMap<>();
        Map<?, ?> json = new ObjectMapper()
                .readValue(Path.of("/run/flow-testhost", name, "testhost.json").toFile(), Map.class);
        Object oneWay = json.get("latencyMs");
        latency.put("testhostLatencyMsPerPacket", oneWay);
        latency.put(
                "note",
                "testhost --latency-ms N delays every loopback packet N ms in the host's namespace, so a round trip"
                        + " costs 2N ms");
        return latency;
    }

    private static String command(String... argv) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", argv) + " failed: " + out);
        }
        return out;
    }
}

package io.github.flowupgrade.testing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that gives tests the real Mastodon-shaped host of {@code testhost/testhost}: Debian with systemd
 * under systemd-nspawn, OpenSSH, a {@code mastodon} and a {@code deploy} user, {@code /home/mastodon/live} at
 * v4.2.0 and the units {@code mastodon-web}, {@code mastodon-sidekiq} and {@code mastodon-streaming}.
 *
 * <p>Use it with {@code @ExtendWith(TestHost.class)} and a {@code TestHost} test parameter. The host is booted once
 * per JVM ({@code testhost up}, a few seconds once the root filesystem is cached, about a minute the first time on a
 * machine) and stopped by a shutdown hook ({@code testhost down}). Its name is {@code junit-<pid>} so parallel builds
 * each get their own, or the system property {@code flow.testhost.name}; a host that was already running under that
 * name is reused and left running.
 *
 * <p><b>A Flow-shaped host.</b> {@code @RegisterExtension static final TestHost FLOW = TestHost.forApp("flow");}
 * boots {@code testhost up --app flow} instead, once per JVM too and beside the Mastodon one (named
 * {@code junit-<pid>-flow}, or {@code flow.testhost.name} plus {@code -flow}): the user {@code flow} with
 * {@code /home/flow/live}, the units {@code flow-web}, {@code flow-sidekiq} and {@code flow-streaming}, an upstream
 * on {@code master} with one more release, v4.4.0; nothing on it is named mastodon. Its {@link #info()} says so
 * ({@code app}, {@code appUser}, {@code appDir}, {@code services}). A test class registers one of the two, not both.
 *
 * <p><b>Networking.</b> The host lives in its own network namespace and listens only on 127.0.0.1 <em>inside</em>
 * it. This JVM runs in the root namespace, where 127.0.0.1 is a different loopback, so Java code here cannot open a
 * TCP connection to the host at all. Every interaction therefore goes through a process started in the namespace
 * with {@code ip netns exec}: {@link #exec} (curl, or any program), {@link #start} for long-lived ones, and
 * {@link #ssh} (OpenSSH's client, host key verified against the exported known_hosts). Code that needs its own Java
 * socket into the host either runs in a JVM started inside the namespace, or connects to a {@link #forward} port.
 *
 * <p>Needs root (namespaces, mounts, systemd-nspawn). Otherwise the tests are aborted with a message saying so, or
 * fail when the {@code CI} environment variable is set, since CI must run every suite.
 */
public final class TestHost implements BeforeAllCallback, ParameterResolver {
    private static final Duration UP_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(2);
    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** Drains process output; not the common pool, whose single worker on a two-core machine would deadlock. */
    private static final ExecutorService READERS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "testhost-output");
        thread.setDaemon(true);
        return thread;
    });

    /** The hosts this JVM booted or reuses, by name suffix ({@link #suffix}). */
    private static final Map<String, Started> STARTED = new HashMap<>();

    private final String app;
    /** What the host's name adds to {@code junit-<pid>}: empty for the Mastodon host, {@code -flow}, {@code -i1}... */
    private final String suffix;
    /** For a host of a test instance: whether it serves its database to the others ({@code --share-db}). */
    private final boolean sharesDb;
    /** For a host of a test instance: the host whose database it uses ({@code --db-of}), or null. */
    private final TestHost databaseOf;

    /** Exit status and output of a finished command. */
    public record Result(int exitCode, String stdout, String stderr) {
        /** {@code stdout} without surrounding white space. */
        public String out() {
            return stdout.strip();
        }
    }

    private record Started(Path script, TestHostInfo info) {}

    /** The Mastodon-shaped host, for {@code @ExtendWith(TestHost.class)}. */
    public TestHost() {
        this("mastodon");
    }

    private TestHost(String app) {
        this(app, app.equals("mastodon") ? "" : "-" + app, false, null);
    }

    private TestHost(String app, String suffix, boolean sharesDb, TestHost databaseOf) {
        this.app = app;
        this.suffix = suffix;
        this.sharesDb = sharesDb;
        this.databaseOf = databaseOf;
    }

    /**
     * A Mastodon-shaped host of a test instance, named {@code junit-<pid>-<member>}, whose hosts share one database as
     * an instance's hosts do: with {@code databaseOf} null it serves its PostgreSQL to the others ({@code testhost up
     * --share-db}), else it uses that host's ({@code --db-of}, its own PostgreSQL off). Both mount
     * {@code /srv/flow-shared}. Register it with {@code @RegisterExtension} after the host it uses; {@link #down()}
     * stops it when the class is done, so the instance does not stay up beside the other test hosts.
     */
    public static TestHost instanceMember(String member, TestHost databaseOf) {
        if (!member.matches("[a-z0-9]{1,6}")) {
            throw new IllegalArgumentException("a short member name, not " + member);
        }
        return new TestHost("mastodon", "-" + member, databaseOf == null, databaseOf);
    }

    /** Stops the host now ({@code testhost down}) rather than when the JVM exits; a later use boots it again. */
    public void down() {
        Started host;
        synchronized (TestHost.class) {
            host = STARTED.remove(suffix);
        }
        if (host != null) {
            run(
                    COMMAND_TIMEOUT,
                    host.script().toString(),
                    "down",
                    "--name",
                    host.info().name());
        }
    }

    /**
     * The host of {@code app}'s shape ({@code mastodon} or {@code flow}), for {@code @RegisterExtension}: {@code
     * testhost up --app APP}.
     */
    public static TestHost forApp(String app) {
        if (!app.equals("mastodon") && !app.equals("flow")) {
            throw new IllegalArgumentException("the test host knows the apps mastodon and flow, not " + app);
        }
        return new TestHost(app);
    }

    /** The app whose shape the host has. */
    public String app() {
        return app;
    }

    /** The GitHub repository whose releases the host's upstream stands for: {@code mastodon/mastodon}, {@code tootsuite/flow}. */
    public String releaseRepo() {
        return app.equals("mastodon") ? "mastodon/mastodon" : "tootsuite/flow";
    }

    /**
     * The release notes written for the host's tags ({@code vX.Y.Z.md}), to serve as {@link #releaseRepo()}:
     * {@code FakeGitHub.start(host.releaseRepo(), FakeGitHubMain.releases(host.releaseNotes()))}.
     */
    public Path releaseNotes() {
        return repositoryFile(app.equals("mastodon") ? "testhost-releases" : "testhost-flow-releases");
    }

    /**
     * The script that installs stand-ins for the app's toolchain (ruby, node, bundle, yarn...) on the host, logging each
     * call with its user and directory to {@code /var/tmp/flow-toolchain.log}: run it as root,
     * {@code host.ssh("root", Files.readString(host.toolchainScript()))}.
     */
    public Path toolchainScript() {
        return repositoryFile("testhost-toolchain.sh");
    }

    /** A file of the CLI's test resources, which hold what the end-to-end tests, the demo and the bench share. */
    private static Path repositoryFile(String name) {
        return findScript()
                .getParent()
                .getParent()
                .resolve("cli/src/test/resources")
                .resolve(name);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        started();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestHost.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        started();
        return this;
    }

    private Started started() {
        List<String> upArgs = sharesDb
                ? List.of("--share-db")
                : databaseOf != null ? List.of("--db-of", databaseOf.info().name()) : List.of();
        return started(app, suffix, upArgs);
    }

    /** What {@code testhost up} reported. */
    public TestHostInfo info() {
        return started().info();
    }

    /** Runs a program in the host's network namespace (where 127.0.0.1 is the host), waiting up to two minutes. */
    public Result exec(String... command) {
        return run(COMMAND_TIMEOUT, inNamespace(command));
    }

    /** Starts a long-lived program in the host's network namespace; the caller reads and ends it. */
    public Process start(String... command) {
        try {
            return new ProcessBuilder(inNamespace(command)).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
    }

    /**
     * Runs {@code command} on the host over SSH as {@code login} (root, mastodon or deploy): OpenSSH's client inside
     * the namespace, key authentication, the host key checked strictly against the exported known_hosts.
     */
    public Result ssh(String login, String command) {
        return exec(sshCommand(info().knownHosts(), login, command));
    }

    /**
     * A port on this JVM's loopback forwarded to {@code port} on the host (its sshd: {@code info().sshPort()}), for code
     * that must open its own connection from this JVM, such as the engine or the plugin's tasks run in-process: connect
     * to {@code 127.0.0.1:forward.port()} with the host's known_hosts or its fingerprint. Each connection crosses into
     * the namespace through {@code ip netns exec}. Close it when done.
     */
    public PortForward forward(int port) {
        return PortForward.start(info().namespace(), port);
    }

    /** The OpenSSH client command line {@link #ssh} uses, with a known_hosts file of the caller's choice. */
    public String[] sshCommand(Path knownHosts, String login, String command) {
        TestHostInfo info = info();
        return new String[] {
            "ssh",
            "-i",
            info.clientKey().toString(),
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "IdentityAgent=none",
            "-o",
            "UserKnownHostsFile=" + knownHosts,
            "-o",
            "GlobalKnownHostsFile=/dev/null",
            "-o",
            "StrictHostKeyChecking=yes",
            "-o",
            "BatchMode=yes",
            "-o",
            "LogLevel=ERROR",
            "-o",
            "ConnectTimeout=10",
            "-p",
            Integer.toString(info.sshPort()),
            login + "@" + info.sshHost(),
            command
        };
    }

    /**
     * Returns the host to its initial state: the app user's {@code ~/live} at the initial tag with no local changes, no
     * {@code ~/.flow-upgrade} lock or state directory, the three units reset and restarted and answering.
     */
    public void reset() {
        Started host = started();
        Result result = run(
                COMMAND_TIMEOUT,
                host.script().toString(),
                "reset",
                "--name",
                host.info().name());
        if (result.exitCode() != 0) {
            throw new IllegalStateException("testhost reset failed (exit " + result.exitCode() + "): "
                    + result.stderr().strip());
        }
    }

    private String[] inNamespace(String... command) {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", info().namespace()));
        argv.addAll(List.of(command));
        return argv.toArray(String[]::new);
    }

    private static synchronized Started started(String app, String suffix, List<String> upArgs) {
        return STARTED.computeIfAbsent(suffix, s -> up(app, s, upArgs));
    }

    private static Started up(String app, String suffix, List<String> upArgs) {
        if (!isRoot()) {
            String message = "The nspawn test host needs root (network namespaces, mounts, systemd-nspawn);"
                    + " run the tests as root, or exclude the tag: -DexcludedTestTags=testhost";
            if (System.getenv("CI") != null && !System.getenv("CI").isEmpty()) {
                Assertions.fail(message + " (CI is set, so this fails rather than being skipped)");
            }
            Assumptions.abort(message);
        }
        Path script = findScript();
        String name = System.getProperty(
                        "flow.testhost.name", "junit-" + ProcessHandle.current().pid())
                + suffix;
        boolean alreadyRunning = run(COMMAND_TIMEOUT, script.toString(), "status", "--name", name)
                        .exitCode()
                == 0;
        List<String> argv = new ArrayList<>(List.of(script.toString(), "up", "--name", name, "--app", app));
        argv.addAll(upArgs);
        Result up = run(UP_TIMEOUT, argv.toArray(String[]::new));
        if (up.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", argv.subList(1, argv.size())) + " failed (exit "
                    + up.exitCode() + "):\n" + up.stderr());
        }
        if (!alreadyRunning) {
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                if (Files.isDirectory(Path.of("/run/flow-testhost", name))) {
                                    run(COMMAND_TIMEOUT, script.toString(), "down", "--name", name);
                                }
                            },
                            "testhost-down-" + name));
        }
        try {
            return new Started(script, JSON.readValue(up.stdout(), TestHostInfo.class));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the JSON of testhost up: " + up.stdout(), e);
        }
    }

    /** The effective user id is the owner of /proc/self. */
    private static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Walks up from the working directory to the repository root, the directory holding testhost/testhost. */
    static Path findScript() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path script = dir.resolve("testhost").resolve("testhost");
            if (Files.isRegularFile(script)) {
                return script;
            }
        }
        throw new IllegalStateException(
                "testhost/testhost not found in " + Path.of("").toAbsolutePath() + " or any directory above it");
    }

    private static Result run(Duration timeout, String... argv) {
        try {
            Process process = new ProcessBuilder(argv).start();
            process.getOutputStream().close();
            CompletableFuture<String> stdout = readAsync(process.getInputStream());
            CompletableFuture<String> stderr = readAsync(process.getErrorStream());
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", argv) + " did not finish within " + timeout);
            }
            return new Result(process.exitValue(), stdout.get(), stderr.get());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", argv), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + argv[0], e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the output of " + argv[0], e.getCause());
        }
    }

    private static CompletableFuture<String> readAsync(InputStream stream) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try (stream) {
                        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                },
                READERS);
    }
}

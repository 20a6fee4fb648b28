package io.github.flowupgrade.upgrade.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.app.AppProfile;
import io.github.flowupgrade.commands.RunAs;
import io.github.flowupgrade.host.HostAccess;
import io.github.flowupgrade.host.HostShell;
import io.github.flowupgrade.remote.SshTransport;
import io.github.flowupgrade.remote.Transport;
import io.github.flowupgrade.testing.EmbeddedSshServer;
import io.github.flowupgrade.testing.RecordingAuditLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sidekiq's restart and web's reload in one round trip ({@link ServiceRestarts#restartSidekiqWithWeb}), over the
 * embedded SSH server with stand-ins for {@code systemctl}, {@code sudo} and {@code curl} first on the path: each
 * unit's state lives in files, and every {@code systemctl} call is logged in order. The test host's end-to-end tests
 * run the same against real systemd units.
 */
@Tag("ssh")
class SidekiqThenWebSshTest {
    private static final String SIDEKIQ = "mastodon-sidekiq";
    private static final String WEB = "mastodon-web";

    @TempDir
    Path dir;

    private EmbeddedSshServer server;
    private Path state;
    private AppProfile profile;
    private final RecordingAuditLog audit = new RecordingAuditLog();

    @BeforeEach
    void setUp() throws Exception {
        server = EmbeddedSshServer.start(dir.resolve("server"));
        state = Files.createDirectories(dir.resolve("units"));
        Path tools = Files.createDirectories(dir.resolve("tools"));
        String appUser = System.getProperty("user.name");
        profile = AppProfile.mastodon()
                .withUser(appUser)
                .withDir(Files.createDirectories(dir.resolve("live")).toString());
        tool(tools.resolve("systemctl"), """
                D=%s
                unit=$2
                echo "$1 $unit" >> "$D/calls"
                case $1 in
                show)
                  if [ -f "$D/$unit.late" ]; then
                    n=$(cat "$D/$unit.late")
                    if [ "$n" -le 0 ]; then
                      rm "$D/$unit.late"
                      echo $(($(cat "$D/$unit.pid") + 1)) > "$D/$unit.pid"
                      echo $(($(cat "$D/$unit.enter") + 1)) > "$D/$unit.enter"
                    else echo $((n - 1)) > "$D/$unit.late"; fi
                  fi
                  st=active
                  if [ -f "$D/$unit.activating" ]; then
                    n=$(cat "$D/$unit.activating")
                    if [ "$n" -le 0 ]; then rm "$D/$unit.activating"; else st=activating; echo $((n - 1)) > "$D/$unit.activating"; fi
                  fi
                  printf 'ActiveState=%%s\\nSubState=running\\nMainPID=%%s\\nActiveEnterTimestampMonotonic=%%s\\n' \\
                    "$st" "$(cat "$D/$unit.pid")" "$(cat "$D/$unit.enter")" ;;
                is-active)
                  if [ -f "$D/$unit.activating" ]; then echo activating; exit 3; fi
                  echo active ;;
                restart)
                  if [ -f "$D/$unit.fail" ]; then echo "Job for $unit.service failed." >&2; exit 1; fi
                  if [ ! -f "$D/$unit.same" ]; then
                    echo $(($(cat "$D/$unit.pid") + 1)) > "$D/$unit.pid"
                    echo $(($(cat "$D/$unit.enter") + 1)) > "$D/$unit.enter"
                  fi
                  if [ -f "$D/$unit.slow" ]; then echo 1 > "$D/$unit.activating"; fi
                  if [ -f "$D/$unit.latepid" ]; then echo 2 > "$D/$unit.late"; fi ;;
                reload) ;;
                status) echo "$unit.service - stand-in" ;;
                esac
                """.formatted(state));
        tool(tools.resolve("sudo"), "[ \"$1\" = -n ] && shift\nexec \"$@\"");
        tool(tools.resolve("curl"), "echo " + profile.health().expectedBody());
        tool(tools.resolve("journalctl"), "echo '-- No entries --'");
        server.putToolsFirst(tools);
        for (String unit : List.of(SIDEKIQ, WEB)) {
            Files.writeString(state.resolve(unit + ".pid"), "100\n");
            Files.writeString(state.resolve(unit + ".enter"), "5000\n");
        }
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void whenSidekiqIsActiveAtOnceWebIsReloadedInTheSameRoundTripAndSidekiqIsAskedAgainAfterIt() throws Exception {
        try (Transport transport = connect()) {
            ServiceRestarts restarts = restarts(transport, RestartTimeouts.defaults());
            List<ServiceOutcome> sidekiq = restarts.restartSidekiqWithWeb(ServiceRestarter.Trailing.NONE);
            List<ServiceOutcome> web = restarts.reloadWeb(ServiceRestarter.Trailing.NONE);

            assertThat(sidekiq).singleElement().satisfies(o -> {
                assertThat(o.name()).isEqualTo(SIDEKIQ);
                assertThat(o.result()).isEqualTo("restarted");
            });
            assertThat(web).singleElement().satisfies(o -> {
                assertThat(o.name()).isEqualTo(WEB);
                assertThat(o.result()).isEqualTo("reloaded");
                assertThat(o.healthy()).isTrue();
            });
        }
        assertThat(server.commands())
                .as("one round trip for both units, its settle check included")
                .hasSize(1);
        assertThat(calls())
                .containsExactly(
                        "show " + SIDEKIQ,
                        "restart " + SIDEKIQ,
                        "show " + SIDEKIQ,
                        "is-active " + SIDEKIQ,
                        "show " + WEB,
                        "reload " + WEB,
                        "show " + WEB,
                        "show " + SIDEKIQ);
    }

    @Test
    void whenSidekiqIsNotActiveAtOnceWebWaitsForItAndGoesInItsOwnRoundTrip() throws Exception {
        Files.writeString(state.resolve(SIDEKIQ + ".slow"), "");
        try (Transport transport = connect()) {
            ServiceRestarts restarts = restarts(transport, RestartTimeouts.defaults());
            restarts.restartSidekiqWithWeb(ServiceRestarter.Trailing.NONE);
            assertThat(calls()).doesNotContain("reload " + WEB);
            assertThat(restarts.reloadWeb(ServiceRestarter.Trailing.NONE))
                    .singleElement()
                    .satisfies(o -> assertThat(o.result()).isEqualTo("reloaded"));
        }
        List<String> calls = calls();
        assertThat(calls.subList(0, 4))
                .containsExactly("show " + SIDEKIQ, "restart " + SIDEKIQ, "show " + SIDEKIQ, "is-active " + SIDEKIQ);
        // Polled until active, then web's own round trip, which asks for sidekiq's state again first.
        assertThat(calls.subList(4, calls.size()))
                .containsExactly("show " + SIDEKIQ, "show " + SIDEKIQ, "show " + WEB, "reload " + WEB, "show " + WEB);
        assertThat(server.commands()).hasSize(3);
    }

    @Test
    void aFailedSidekiqRestartNeverReachesWeb() throws Exception {
        Files.writeString(state.resolve(SIDEKIQ + ".fail"), "");
        try (Transport transport = connect()) {
            ServiceRestarts restarts = restarts(transport, RestartTimeouts.defaults());
            assertThatThrownBy(() -> restarts.restartSidekiqWithWeb(ServiceRestarter.Trailing.NONE))
                    .isInstanceOf(ServiceRestarter.ServiceFailedException.class)
                    .hasMessageContaining(SIDEKIQ + " did not come back")
                    .hasMessageContaining("Job for " + SIDEKIQ + ".service failed")
                    .hasMessageNotContaining(WEB);
        }
        assertThat(calls()).noneMatch(c -> c.endsWith(WEB));
    }

    @Test
    void aSidekiqActiveOnTheHostButJudgedNotBackSaysWebWasAlreadyReloaded() throws Exception {
        // The restart leaves the same process: active for the host's check, "still its old process" for the client.
        Files.writeString(state.resolve(SIDEKIQ + ".same"), "");
        try (Transport transport = connect()) {
            ServiceRestarts restarts =
                    restarts(transport, RestartTimeouts.defaults().withComeBack(Duration.ofMillis(600)));
            assertThatThrownBy(() -> restarts.restartSidekiqWithWeb(ServiceRestarter.Trailing.NONE))
                    .isInstanceOf(ServiceRestarter.ServiceFailedException.class)
                    .hasMessageContaining("still runs its old process (main PID 100)")
                    .hasMessageContaining(WEB + " was already sent its reload in the same round trip");
        }
        assertThat(calls()).contains("reload " + WEB);
    }

    @Test
    void aSidekiqWhoseNewProcessShowsOnlyWhenPolledIsCheckedAgainLaterNotByTheBatchsLastRead() throws Exception {
        // Active at once for the host, but the new main PID shows only at the client's first poll: the batch's last
        // read of sidekiq still saw the old process, which is not a crash.
        Files.writeString(state.resolve(SIDEKIQ + ".same"), "");
        Files.writeString(state.resolve(SIDEKIQ + ".latepid"), "");
        try (Transport transport = connect()) {
            ServiceRestarts restarts = restarts(transport, RestartTimeouts.defaults());
            assertThat(restarts.restartSidekiqWithWeb(ServiceRestarter.Trailing.NONE))
                    .singleElement()
                    .satisfies(o -> assertThat(o.mainPidAfter()).isEqualTo(101L));
            assertThat(restarts.reloadWeb(ServiceRestarter.Trailing.NONE))
                    .singleElement()
                    .satisfies(o -> assertThat(o.result()).isEqualTo("reloaded"));
        }
        // The round trip of both, the poll, and the settle check of sidekiq's new process.
        assertThat(server.commands()).hasSize(3);
        List<String> calls = calls();
        assertThat(calls.get(calls.size() - 1)).isEqualTo("show " + SIDEKIQ);
    }

    private Transport connect() {
        String user = System.getProperty("user.name");
        return SshTransport.connect(server.target(user), server.settings(), Console.silent());
    }

    private ServiceRestarts restarts(Transport transport, RestartTimeouts timeouts) {
        String user = System.getProperty("user.name");
        HostAccess access = new HostAccess(transport, user, RunAs.of("direct", user), profile.dir());
        HostShell shell = new HostShell(access, Duration.ofSeconds(30), audit, Console.silent());
        return new ServiceRestarts(shell, profile, timeouts);
    }

    private List<String> calls() throws IOException {
        Path calls = state.resolve("calls");
        return Files.exists(calls) ? Files.readAllLines(calls) : List.of();
    }

    private static void tool(Path path, String body) throws IOException {
        Files.writeString(path, "#!/bin/sh\n" + body + "\n");
        path.toFile().setExecutable(true);
    }
}

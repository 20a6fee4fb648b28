package io.github.flowupgrade.upgrade.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flowupgrade.ExitCode;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.commands.RunAs;
import io.github.flowupgrade.remote.HostKeyPolicy;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The instance description: what it accepts, how hosts are named and locked, and how each host is reached. */
class InstanceDescriptionsTest {
    private static final String KEY_A = "SHA256:" + "A".repeat(43);
    private static final String KEY_B = "SHA256:" + "B".repeat(43);

    private static final String JSON = """
            {"name": "social.example.org", "migrationHost": "db.example.org",
             "hosts": [
               {"host": "web2.example.org", "roles": ["web", "sidekiq"], "port": 2222, "login": "deploy", "as": "sudo"},
               {"host": "web1.example.org", "roles": ["web"], "hostKey": "%s"},
               {"host": "stream.example.org", "roles": ["streaming"], "hostKey": ["%s", "%s"]},
               {"host": "db.example.org"}]}""".formatted(KEY_A, KEY_A, KEY_B);

    @Test
    void readsHostsRolesAndTheMigrationHostInTheirOrder() {
        InstanceDescription instance = InstanceDescriptions.fromJson(JSON);

        assertThat(instance.name()).isEqualTo("social.example.org");
        assertThat(instance.labels())
                .containsExactly("web2.example.org:2222", "web1.example.org", "stream.example.org", "db.example.org");
        // Web is reloaded in the description's order; the locks are taken by label whatever that order.
        assertThat(instance.hostsWith(Role.WEB).stream().map(InstanceHost::label))
                .containsExactly("web2.example.org:2222", "web1.example.org");
        assertThat(instance.lockOrder().stream().map(InstanceHost::label))
                .containsExactly("db.example.org", "stream.example.org", "web1.example.org", "web2.example.org:2222");
        assertThat(instance.migrations().roles()).isEmpty();
        assertThat(instance.host("stream.example.org").hostKeys()).containsExactly(KEY_A, KEY_B);
    }

    @Test
    void eachHostIsReachedWithItsOwnSettingsAndTheRunsWhereItGivesNone() {
        InstanceDescription instance = InstanceDescriptions.fromJson(JSON);
        HostKeyPolicy runKeys = new HostKeyPolicy.KnownHosts(Path.of("/nonexistent/known_hosts"));
        InstanceConnections connections = InstanceConnections.of(
                instance, new InstanceConnections.Defaults(22, "root", null, runKeys, "mastodon"), e -> {
                    throw new AssertionError("nothing is opened here");
                });

        InstanceConnections.Endpoint web2 = connections.endpoint("web2.example.org:2222");
        assertThat(web2.target().port()).isEqualTo(2222);
        assertThat(web2.login()).isEqualTo("deploy");
        assertThat(web2.runAs()).isInstanceOf(RunAs.Sudo.class);
        assertThat(web2.hostKeys()).isSameAs(runKeys);
        InstanceConnections.Endpoint web1 = connections.endpoint("web1.example.org");
        assertThat(web1.target().port()).isEqualTo(22);
        assertThat(web1.login()).isEqualTo("root");
        assertThat(web1.runAs()).isInstanceOf(RunAs.Su.class);
        assertThat(web1.hostKeys()).isEqualTo(new HostKeyPolicy.Pinned(List.of(KEY_A)));
    }

    @Test
    void twoEntriesThatTheRunsPortMakesOneMachineAreRefused() {
        InstanceDescription instance = InstanceDescriptions.fromJson("""
                {"migrationHost": "a.example.org", "hosts": [
                  {"host": "a.example.org", "roles": ["web", "sidekiq"]},
                  {"host": "a.example.org", "port": 2222, "roles": ["streaming"]}]}""");
        InstanceConnections.Defaults port2222 = new InstanceConnections.Defaults(2222, null, null, null, "mastodon");

        assertThatThrownBy(() -> InstanceConnections.of(instance, port2222, e -> null))
                .isInstanceOfSatisfying(
                        FlowException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT))
                .hasMessageContaining("a.example.org and a.example.org:2222 of the instance are the same machine");
        // On port 22 they are two machines behind one name (a jump host's forwards, say).
        InstanceConnections.Defaults port22 = new InstanceConnections.Defaults(22, null, null, null, "mastodon");
        assertThat(InstanceConnections.of(instance, port22, e -> null)
                        .endpoint("a.example.org")
                        .login())
                .isEqualTo("mastodon");
    }

    @Test
    void theNameDefaultsToTheMigrationHostAndMustBePlain() {
        String hosts = "\"hosts\": [{\"host\": \"a.example.org\", \"roles\": [\"web\", \"sidekiq\", \"streaming\"]}]";
        assertThat(InstanceDescriptions.fromJson("{\"migrationHost\": \"a.example.org\", " + hosts + "}")
                        .name())
                .isEqualTo("a.example.org");
        assertThatThrownBy(() -> InstanceDescriptions.fromJson(
                        "{\"name\": \"x\\u001b[31m\", \"migrationHost\": \"a.example.org\", " + hosts + "}"))
                .isInstanceOf(FlowException.class)
                .hasMessageContaining("instance name");
        assertThatThrownBy(() -> InstanceDescriptions.fromJson("{\"migrationHost\": \"a.example.org\", \"hosts\": []}"))
                .hasMessageContaining("must list its hosts");
        assertThatThrownBy(() -> InstanceDescriptions.fromJson(
                        "{\"migrationHost\": \"a.example.org\", \"hosts\": [{\"host\": \"a.example.org\", \"roles\":"
                                + " [\"web\", \"web\"]}]}"))
                .hasMessageContaining("names web twice");
    }
}

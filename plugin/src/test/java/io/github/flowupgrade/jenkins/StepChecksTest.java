package io.github.flowupgrade.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flowupgrade.jenkins.Check.Kind;
import org.junit.jupiter.api.Test;

/** What the Snippet Generator's fields accept; the engine's own validators decide where they exist. */
class StepChecksTest {
    @Test
    void tagIsRequiredWhereTheStepNeedsOneAndValidatedAsAReleaseVersion() {
        assertThat(StepChecks.tag("v4.3.1")).isEqualTo(Check.ok());
        assertThat(StepChecks.tag("v4.4.0-rc.1").isOk()).isTrue();
        assertThat(StepChecks.tag("v4.0.15+hometown-1.1.1").isOk()).isTrue();
        assertThat(StepChecks.tag("")).isEqualTo(Check.error("tag is required."));
        assertThat(StepChecks.tag("main").kind()).isEqualTo(Kind.ERROR);
        assertThat(StepChecks.tag("v4.3.1; rm -rf /").kind()).isEqualTo(Kind.ERROR);
        assertThat(StepChecks.tag("--upload-pack=x").kind()).isEqualTo(Kind.ERROR);
    }

    @Test
    void fetchReleaseTakesTheLatestWhenNoTagIsGiven() {
        assertThat(StepChecks.tagOrLatest("")).isEqualTo(Check.ok());
        assertThat(StepChecks.tagOrLatest(null)).isEqualTo(Check.ok());
        assertThat(StepChecks.tagOrLatest("latest").message()).startsWith("Leave empty for the latest release");
        assertThat(StepChecks.optionalTag("4.2.0").isOk()).isTrue();
        assertThat(StepChecks.optionalTag("four").kind()).isEqualTo(Kind.ERROR);
    }

    @Test
    void hostAndPort() {
        assertThat(StepChecks.host("social.example.org").isOk()).isTrue();
        assertThat(StepChecks.host("192.0.2.10").isOk()).isTrue();
        assertThat(StepChecks.host("2001:db8::1").isOk()).isTrue();
        assertThat(StepChecks.host(" ")).isEqualTo(Check.error("host is required."));
        assertThat(StepChecks.host("-oProxyCommand=x").kind()).isEqualTo(Kind.ERROR);
        assertThat(StepChecks.host("a b").kind()).isEqualTo(Kind.ERROR);

        assertThat(StepChecks.port("22").isOk()).isTrue();
        assertThat(StepChecks.port("65535").isOk()).isTrue();
        assertThat(StepChecks.port("").isOk()).isTrue();
        assertThat(StepChecks.port("0")).isEqualTo(Check.error("The port must be a number from 1 to 65535."));
        assertThat(StepChecks.port("65536").kind()).isEqualTo(Kind.ERROR);
        assertThat(StepChecks.port("ssh").kind()).isEqualTo(Kind.ERROR);
    }

    @Test
    void limitsAreWholeSecondsInTheirRangeAndZeroIsTheFormsDefault() {
        assertThat(StepChecks.seconds("0", 600).isOk())
                .as("0: the engine's default")
                .isTrue();
        assertThat(new FlowCheckoutStep("h", "c", "v4.3.1").getCommandTimeout()).isZero();
        assertThat(StepChecks.seconds("30", 600).isOk()).isTrue();
        assertThat(StepChecks.seconds("600", 600).isOk()).isTrue();
        assertThat(StepChecks.seconds("601", 600))
                .isEqualTo(Check.error("A whole number of seconds from 1 to 600, or 0 for the engine's default."));
        assertThat(StepChecks.seconds("-1", 600).kind()).isEqualTo(Kind.ERROR);
        assertThat(StepChecks.seconds("1.5", 600).kind()).isEqualTo(Kind.ERROR);
    }

    @Test
    void hostKeyIsAFingerprintOrAKnownHostsFileNeverBoth() {
        String fingerprint = "SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8";
        assertThat(StepChecks.hostKey(fingerprint, null).isOk()).isTrue();
        assertThat(StepChecks.hostKey(fingerprint + ", " + fingerprint, "").isOk())
                .isTrue();
        assertThat(StepChecks.hostKey(null, "/var/lib/jenkins/.ssh/known_hosts").isOk())
                .isTrue();
        assertThat(StepChecks.hostKey(fingerprint, "/etc/ssh/ssh_known_hosts"))
                .isEqualTo(Check.error("Give either a host key fingerprint or a known_hosts file, not both."));
        assertThat(StepChecks.hostKey("MD5:aa:bb", null).kind()).isEqualTo(Kind.ERROR);
        assertThat(StepChecks.hostKey("", "").kind()).isEqualTo(Kind.WARNING);
    }

    @Test
    void profileAndOverrides() {
        assertThat(StepChecks.app("mastodon").isOk()).isTrue();
        assertThat(StepChecks.app("flow").isOk()).isTrue();
        assertThat(StepChecks.app("/etc/flow/hometown.json").isOk()).isTrue();
        assertThat(StepChecks.app("pleroma").kind()).isEqualTo(Kind.ERROR);
        assertThat(StepChecks.repo("mastodon/mastodon").isOk()).isTrue();
        assertThat(StepChecks.repo("mastodon").kind()).isEqualTo(Kind.ERROR);
        assertThat(StepChecks.user("mastodon").isOk()).isTrue();
        assertThat(StepChecks.user("Mastodon").kind()).isEqualTo(Kind.ERROR);
        assertThat(StepChecks.dir("/home/mastodon/live").isOk()).isTrue();
        assertThat(StepChecks.dir("/home/mastodon/../root").kind()).isEqualTo(Kind.ERROR);
        assertThat(StepChecks.dir("live").kind()).isEqualTo(Kind.ERROR);
        assertThat(StepChecks.as("sudo").isOk()).isTrue();
        assertThat(StepChecks.as("doas").kind()).isEqualTo(Kind.ERROR);
        assertThat(StepChecks.apiUrl("https://github.example.com/api/v3").isOk())
                .isTrue();
        assertThat(StepChecks.apiUrl("file:///etc/passwd").kind()).isEqualTo(Kind.ERROR);
        assertThat(StepChecks.commit("1a2b3c4" + "0".repeat(33)).isOk()).isTrue();
        assertThat(StepChecks.commit("1a2b3c4").kind()).isEqualTo(Kind.ERROR);
        assertThat(StepChecks.commit("HEAD").kind()).isEqualTo(Kind.ERROR);
    }

    @Test
    void restartAndTaskOptions() {
        assertThat(StepChecks.streaming("if-needed").isOk()).isTrue();
        assertThat(StepChecks.streaming("always").isOk()).isTrue();
        assertThat(StepChecks.streaming("sometimes").kind()).isEqualTo(Kind.ERROR);
        assertThat(StepChecks.services("sidekiq, web").isOk()).isTrue();
        assertThat(StepChecks.services("web streaming").isOk()).isTrue();
        assertThat(StepChecks.services("nginx").kind()).isEqualTo(Kind.ERROR);
        assertThat(StepChecks.phase("after-restart").isOk()).isTrue();
        assertThat(StepChecks.phase("before-checkout").kind()).isEqualTo(Kind.ERROR);
    }

    @Test
    void inputIdsAreThoseTheInputStepAccepts() {
        assertThat(StepChecks.inputId("RestartStreaming").isOk()).isTrue();
        assertThat(StepChecks.inputId("restart-streaming.v2").isOk()).isTrue();
        assertThat(StepChecks.inputId("").isOk()).isTrue();
        assertThat(StepChecks.inputId("restart streaming").kind()).isEqualTo(Kind.ERROR);
        assertThat(StepChecks.inputId("a&b").kind()).isEqualTo(Kind.ERROR);
        assertThat(StepChecks.inputId("..").kind()).isEqualTo(Kind.ERROR);
    }

    @Test
    void everyDropDownChoiceIsAcceptedByItsFieldsCheckAndTheFirstIsTheStepsDefault() {
        for (FieldChoices.Choice choice : FieldChoices.AS) {
            assertThat(StepChecks.as(choice.value()).isOk()).as(choice.value()).isTrue();
        }
        for (FieldChoices.Choice choice : FieldChoices.STREAMING) {
            assertThat(StepChecks.streaming(choice.value()).isOk())
                    .as(choice.value())
                    .isTrue();
        }
        for (FieldChoices.Choice choice : FieldChoices.WEB_ACTION) {
            assertThat(StepChecks.webAction(choice.value()).isOk())
                    .as(choice.value())
                    .isTrue();
        }
        for (FieldChoices.Choice choice : FieldChoices.PHASE) {
            assertThat(StepChecks.phase(choice.value()).isOk())
                    .as(choice.value())
                    .isTrue();
        }
        FlowRestartServicesStep restart = new FlowRestartServicesStep("h", "c");
        FlowRunUpgradeTasksStep tasks = new FlowRunUpgradeTasksStep("h", "c", "v4.3.1");
        // Empty: su for a root login, else direct, as flow without --as.
        assertThat(FieldChoices.AS.get(0).value()).isEmpty();
        assertThat(restart.getAs()).isNull();
        assertThat(FieldChoices.WEB_ACTION.get(0).value()).isEqualTo("reload");
        assertThat(restart.getWebAction()).isNull();
        assertThat(FieldChoices.STREAMING.get(0).value()).isEmpty();
        assertThat(restart.getStreaming()).isNull();
        assertThat(FieldChoices.PHASE.get(0).value()).isEqualTo(tasks.getPhase());
    }

    @Test
    void anInstanceIsCheckedAsTheEngineChecksItOrTakenAsAWorkspaceFile() {
        assertThat(StepChecks.instance("").isOk()).isTrue();
        assertThat(StepChecks.instance("deploy/instance.json").isOk()).isTrue();
        assertThat(StepChecks.instance("/etc/instance.json").kind()).isEqualTo(Kind.ERROR);
        assertThat(StepChecks.instance("{\"migrationHost\": \"a.example\", \"hosts\": [{\"host\": \"a.example\","
                                + " \"roles\": [\"web\", \"sidekiq\", \"streaming\"]}]}")
                        .isOk())
                .isTrue();
        assertThat(StepChecks.instance("{\"hosts\": [{\"host\": \"a.example\", \"roles\": [\"web\"]}]}"))
                .isEqualTo(Check.error("instance description names no migrationHost: the one host that backs the"
                        + " database up and runs the migrations, once for the whole instance (one of [a.example])"));
    }
}

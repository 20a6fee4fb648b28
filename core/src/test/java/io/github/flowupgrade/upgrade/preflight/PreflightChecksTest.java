package io.github.flowupgrade.upgrade.preflight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flowupgrade.ExitCode;
import io.github.flowupgrade.FlowException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pre-flight checks' judgements, from what a round trip read; the test host tests run them end to end. */
class PreflightChecksTest {
    private static final String SAMPLE_4_2 = """
            # Federation
            # ----------
            # This identifies your server and cannot be changed safely later
            # ----------
            LOCAL_DOMAIN=example.com

            # Redis
            # -----
            REDIS_HOST=localhost
            REDIS_PORT=6379

            # Elasticsearch (optional)
            # ------------------------
            ES_ENABLED=true
            ES_HOST=localhost

            # Secrets
            # -------
            SECRET_KEY_BASE=
            OTP_SECRET=

            # Use HTTP proxy for outgoing request (optional)
            # http_proxy=http://gateway.local:8118
            ALLOW_ACCESS_TO_HIDDEN_SERVICE=true

            # Sending mail
            # ------------
            SMTP_SERVER=
            #SMTP_LOGIN=
            """;
    private static final String SAMPLE_4_3 = SAMPLE_4_2 + """

            # Encryption secrets
            # ------------------
            # Must be available (and set to same values) for all server processes
            ACTIVE_RECORD_ENCRYPTION_DETERMINISTIC_KEY=
            ACTIVE_RECORD_ENCRYPTION_KEY_DERIVATION_SALT=
            export ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY=
            """;

    private static ReleaseFiles release(String revision, Map<String, String> files) {
        return new ReleaseFiles(revision, true, files);
    }

    private static HostFacts host(
            String rbenvRoot,
            List<String> rubies,
            String ruby,
            String node,
            String corepack,
            String yarn,
            String yarnVersion,
            Set<String> settings) {
        return new HostFacts(Map.of(), -1, null, rbenvRoot, rubies, ruby, node, corepack, yarn, yarnVersion, settings);
    }

    private static HostFacts settings(Set<String> names) {
        return host(null, List.of(), null, null, null, null, null, names);
    }

    @Test
    void nodeRangesAreReadAsNpmReadsThem() {
        assertThat(NodeRange.parse(">=20.19").matches("v20.19.0")).isTrue();
        assertThat(NodeRange.parse(">=20.19").matches("v20.18.1")).isFalse();
        NodeRange either = NodeRange.parse("^20.19.0 || >=22.12.0");
        assertThat(either.matches("v20.20.1")).isTrue();
        assertThat(either.matches("v21.0.0")).isFalse();
        assertThat(either.matches("v22.11.0")).isFalse();
        assertThat(either.matches("v24.1.0")).isTrue();
        assertThat(NodeRange.parse("18.x").matches("v18.20.4")).isTrue();
        assertThat(NodeRange.parse("18.x").matches("v20.0.0")).isFalse();
        assertThat(NodeRange.parse("20 - 22").matches("v22.9.0")).isTrue();
        assertThat(NodeRange.parse("20 - 22").matches("v23.0.0")).isFalse();
        assertThat(NodeRange.parse(">= 18 <21").matches("v20.18.1")).isTrue();
        assertThat(NodeRange.parse(">= 18 <21").matches("v21.1.0")).isFalse();
        assertThat(NodeRange.parse("~20.19.1").matches("v20.19.5")).isTrue();
        assertThat(NodeRange.parse("~20.19.1").matches("v20.20.0")).isFalse();
        assertThat(NodeRange.parse("*").matches("v8.0.0")).isTrue();
        assertThat(NodeRange.parse("lts/jod")).isNull();
        assertThat(NodeRange.parse(">=20.19").matches("not a version")).isFalse();
    }

    @Test
    void theSampleRequiresWhatItSetsOutsideOptionalSectionsAndBlocks() {
        assertThat(EnvSample.required(SAMPLE_4_2))
                .containsExactly(
                        "LOCAL_DOMAIN", "REDIS_HOST", "REDIS_PORT", "SECRET_KEY_BASE", "OTP_SECRET", "SMTP_SERVER");
        assertThat(EnvSample.required(SAMPLE_4_3))
                .contains(
                        "ACTIVE_RECORD_ENCRYPTION_DETERMINISTIC_KEY",
                        "ACTIVE_RECORD_ENCRYPTION_KEY_DERIVATION_SALT",
                        "ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY");
    }

    @Test
    void aSettingNewInTheTargetsSampleThatTheHostLacksFailsByNameAndOldOnesDoNot() {
        ReleaseFiles running = release("HEAD", Map.of(".env.production.sample", SAMPLE_4_2));
        ReleaseFiles target = release("v4.3.0", Map.of(".env.production.sample", SAMPLE_4_3));
        Set<String> host = Set.of(
                "LOCAL_DOMAIN",
                "REDIS_HOST",
                "SECRET_KEY_BASE",
                "OTP_SECRET",
                "ACTIVE_RECORD_ENCRYPTION_DETERMINISTIC_KEY",
                "ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY");

        PreflightCheck missing = ConfigCheck.evaluate(List.of(target), running, settings(host));

        assertThat(missing.status()).isEqualTo(PreflightCheck.FAIL);
        assertThat(missing.detail())
                .contains("lacks 1 setting(s) the .env.production.sample of v4.3.0 requires:"
                        + " ACTIVE_RECORD_ENCRYPTION_KEY_DERIVATION_SALT")
                .contains("as before: REDIS_PORT, SMTP_SERVER");
        Set<String> all = new java.util.HashSet<>(host);
        all.add("ACTIVE_RECORD_ENCRYPTION_KEY_DERIVATION_SALT");
        PreflightCheck complete = ConfigCheck.evaluate(List.of(target), running, settings(all));
        assertThat(complete.status()).isEqualTo(PreflightCheck.PASS);
        assertThat(ConfigCheck.evaluate(List.of(target), running, settings(null))
                        .status())
                .isEqualTo(PreflightCheck.WARN);
        assertThat(ConfigCheck.evaluate(List.of(release("v4.3.0", Map.of())), running, settings(Set.of()))
                        .detail())
                .contains("nothing to check");
    }

    @Test
    void aNewRubyMissingFailsOrIsPlannedForRbenvWhenAllowed() {
        ReleaseFiles running = release("HEAD", Map.of(".ruby-version", "3.2.3\n"));
        ReleaseFiles target = release("v4.3.0", Map.of(".ruby-version", "3.3.6\n"));
        HostFacts rbenv = host("/home/mastodon/.rbenv", List.of("3.2.3"), "ruby 3.2.3", null, null, null, null, null);

        RubyCheck.Outcome refused = RubyCheck.evaluate(List.of(target), running, rbenv, "mastodon", false);
        assertThat(refused.check().status()).isEqualTo(PreflightCheck.FAIL);
        assertThat(refused.check().detail())
                .contains("Ruby 3.3.6 (.ruby-version of v4.3.0) not installed for mastodon (rbenv has 3.2.3)")
                .contains("allow-toolchain-install")
                .contains("git -C /home/mastodon/.rbenv/plugins/ruby-build pull && RUBY_CONFIGURE_OPTS=--with-jemalloc"
                        + " rbenv install 3.3.6");
        assertThat(refused.installs()).isEmpty();

        RubyCheck.Outcome planned = RubyCheck.evaluate(List.of(target), running, rbenv, "mastodon", true);
        assertThat(planned.check().status()).isEqualTo(PreflightCheck.WARN);
        assertThat(planned.check().detail()).contains("planned").contains("rbenv install 3.3.6");
        assertThat(planned.installs()).containsExactly(new PreflightReport.RubyNeed("3.3.6", "v4.3.0"));

        HostFacts installed =
                host("/home/mastodon/.rbenv", List.of("3.2.3", "3.3.6"), "ruby 3.2.3", null, null, null, null, null);
        assertThat(RubyCheck.evaluate(List.of(target), running, installed, "mastodon", false)
                        .check()
                        .status())
                .isEqualTo(PreflightCheck.PASS);
        HostFacts systemRuby = host(
                null,
                List.of(),
                "ruby 3.3.6 (2024-11-05 revision 75015d4c1f) [x86_64-linux]",
                null,
                null,
                null,
                null,
                null);
        assertThat(RubyCheck.evaluate(List.of(target), running, systemRuby, "mastodon", true)
                        .check()
                        .status())
                .isEqualTo(PreflightCheck.PASS);
        HostFacts none = host(null, List.of(), null, null, null, null, null, null);
        RubyCheck.Outcome noRbenv = RubyCheck.evaluate(List.of(target), running, none, "mastodon", true);
        assertThat(noRbenv.check().status()).as("nothing to install it with").isEqualTo(PreflightCheck.FAIL);
        assertThat(RubyCheck.evaluate(List.of(running), running, none, "mastodon", false)
                        .check()
                        .status())
                .as("the running release's own Ruby missing is not new")
                .isEqualTo(PreflightCheck.WARN);
    }

    @Test
    void yarn4NeedsCorepackEnabledAndNodeMustMeetTheEngines() {
        ReleaseFiles running = release("HEAD", Map.of("package.json", "{\"engines\": {\"node\": \">=16\"}}"));
        ReleaseFiles target = release(
                "v4.3.0",
                Map.of(
                        "package.json",
                        "{\"engines\": {\"node\": \">=18\"}, \"packageManager\": \"yarn@4.5.1\"}",
                        ".nvmrc",
                        "20\n"));
        HostFacts enabled = host(
                null,
                List.of(),
                null,
                "v20.18.1",
                "/usr/bin/corepack",
                "/usr/lib/node_modules/corepack/dist/yarn.js",
                null,
                null);
        PreflightCheck ok = NodeCheck.evaluate(List.of(target), running, enabled);
        assertThat(ok.status()).as(ok.detail()).isEqualTo(PreflightCheck.PASS);
        assertThat(ok.detail()).contains("yarn@4.5.1 of v4.3.0 through corepack");

        HostFacts noCorepack = host(null, List.of(), null, "v25.1.0", null, "/usr/local/bin/yarn", "1.22.22", null);
        PreflightCheck missing = NodeCheck.evaluate(List.of(target), running, noCorepack);
        assertThat(missing.status()).isEqualTo(PreflightCheck.FAIL);
        assertThat(missing.detail()).contains("needs corepack, and there is none with node v25.1.0");

        HostFacts disabled =
                host(null, List.of(), null, "v20.18.1", "/usr/bin/corepack", "/usr/local/bin/yarn", "1.22.22", null);
        assertThat(NodeCheck.evaluate(List.of(target), running, disabled).detail())
                .contains("corepack is installed (/usr/bin/corepack) but not enabled");

        HostFacts yarn4 = host(null, List.of(), null, "v20.18.1", null, "/usr/local/bin/yarn", "4.5.1", null);
        assertThat(NodeCheck.evaluate(List.of(target), running, yarn4).status()).isEqualTo(PreflightCheck.PASS);

        HostFacts oldNode = host(
                null,
                List.of(),
                null,
                "v16.20.2",
                "/usr/bin/corepack",
                "/usr/lib/node_modules/corepack/dist/yarn.js",
                null,
                null);
        PreflightCheck old = NodeCheck.evaluate(List.of(target), running, oldNode);
        assertThat(old.status()).isEqualTo(PreflightCheck.FAIL);
        assertThat(old.detail()).contains("node v16.20.2 does not satisfy v4.3.0's engines.node \">=18\"");
        assertThat(NodeCheck.evaluate(List.of(running), running, oldNode).status())
                .as("the running release asks the same: not new")
                .isEqualTo(PreflightCheck.PASS);
    }

    @Test
    void memoryCountsOnlyWhenAssetsAreRecompiledAndDiskAgainstItsFigure() {
        Map<String, Long> meminfo = new LinkedHashMap<>();
        meminfo.put("MemTotal", 4_000_000L);
        meminfo.put("MemAvailable", 1_048_576L);
        meminfo.put("SwapFree", 524_288L);
        PreflightCheck low = MemoryCheck.evaluate(meminfo, List.of("v4.4.0"), 2048);
        assertThat(low.status()).isEqualTo(PreflightCheck.FAIL);
        assertThat(low.detail())
                .contains("only 1536 MiB free (MemAvailable 1024 + SwapFree 512 MiB)")
                .contains("assets:precompile of v4.4.0 wants 2048 MiB (assets-memory)");
        assertThat(MemoryCheck.evaluate(meminfo, List.of("v4.4.0"), 1024).status())
                .isEqualTo(PreflightCheck.PASS);
        assertThat(MemoryCheck.evaluate(meminfo, List.of(), 2048).status()).isEqualTo(PreflightCheck.PASS);

        assertThat(DiskCheck.evaluate(1_048_576, "/", "/home/mastodon/live", 2048)
                        .detail())
                .startsWith("only 1024 MiB free in / (holds /home/mastodon/live); wants 2048 MiB (min-free-disk)");
        assertThat(DiskCheck.evaluate(4_194_304, "/", "/home/mastodon/live", 2048)
                        .status())
                .isEqualTo(PreflightCheck.PASS);
    }

    @Test
    void aNamedCheckIsMadeAWarningAndUnknownNamesAreRefused() {
        PreflightPolicy policy = PreflightPolicy.of(0, 0, "memory, config", false);
        assertThat(policy.warnOnly()).containsExactlyInAnyOrder("memory", "config");
        assertThat(policy.assetsMemoryMib()).isEqualTo(PreflightPolicy.DEFAULT_ASSETS_MEMORY_MIB);
        assertThat(PreflightCheck.fail("memory", "short").downgraded("preflight-warn=memory"))
                .isEqualTo(new PreflightCheck(
                        "memory", PreflightCheck.WARN, "short (a failure, made a warning by preflight-warn=memory)"));
        assertThatThrownBy(() -> PreflightPolicy.of(0, 0, "memory,ram", false))
                .isInstanceOf(FlowException.class)
                .hasMessage("preflight-warn names checks among memory, disk, ruby, node, config; not \"ram\"")
                .satisfies(e -> assertThat(((FlowException) e).exitCode()).isEqualTo(ExitCode.BAD_INPUT));
        assertThatThrownBy(() -> PreflightPolicy.of(-5, 0, null, false))
                .hasMessageStartingWith("assets-memory must be 1 to ");
    }

    @Test
    void migrationFilesAreReadFromTheTreeListing() {
        List<PendingMigrations.Migration> all = PendingMigrations.migrations("""
                db/migrate/20231015000000_add_index_on_statuses_language.rb
                db/migrate/20230901000000_create_statuses.rb
                db/post_migrate/20231101000000_remove_legacy_language_column.rb
                db/migrate/README.md
                """);
        assertThat(all)
                .containsExactly(
                        new PendingMigrations.Migration("20230901000000", "create_statuses", false),
                        new PendingMigrations.Migration("20231015000000", "add_index_on_statuses_language", false),
                        new PendingMigrations.Migration("20231101000000", "remove_legacy_language_column", true));
    }
}

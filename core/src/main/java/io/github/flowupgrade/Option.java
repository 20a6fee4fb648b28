package io.github.flowupgrade;

import java.util.Locale;
import java.util.Objects;

/**
 * A setting of a run, as the engine's messages and hints refer to it. The engine knows no front end: the CLI spells a
 * setting as an option ({@code --host-key}), the Jenkins plugin as a step parameter ({@code hostKey}). The front end
 * that runs in this JVM installs its {@link Naming} once at start ({@link #use}); until then (tests of the engine) a
 * setting is named by its neutral name ({@code host-key}).
 */
public enum Option {
    HOST,
    PORT,
    LOGIN,
    AS,
    APP,
    APP_USER,
    DIR,
    IDENTITY,
    HOST_KEY,
    KNOWN_HOSTS,
    ACCEPT_ANY_HOST_KEY,
    TOKEN,
    API_URL,
    REPO,
    GIT_URL,
    TAG,
    LATEST,
    FROM,
    ALLOW_DOWNGRADE,
    SINGLE_HOP,
    CACHE_DIR,
    GITHUB_TIMEOUT,
    AUDIT_LOG,
    AUDIT_HEAD,
    FORCE_UNLOCK,
    KEEP_LOCAL_COMMITS,
    ROLLBACK,
    EXPECT_COMMIT,
    CONFIRM_MANUAL,
    CONNECT_TIMEOUT,
    COMMAND_TIMEOUT,
    TASK_TIMEOUT,
    HEALTH_TIMEOUT,
    SETTLE,
    INCLUDE_PRERELEASES,
    STREAMING,
    APPROVED_BY,
    /** The GitHub environment whose approval in the running workflow run allows the streaming restart. */
    APPROVAL_ENVIRONMENT,
    SERVICES,
    WEB_ACTION,
    /** Turns off the database backup an upgrade that migrates takes first. */
    NO_BACKUP,
    /** The directory on the host the database backup is written into. */
    BACKUP_DIR,
    /** A command run on the host after the backup was checked, to copy it elsewhere. */
    BACKUP_SHIP,
    /** The dump a restore reads. */
    BACKUP,
    /** The SHA-256 the dump of a restore must have. */
    EXPECT_SHA256,
    /** The restore confirmed beforehand: its value is the host's name. */
    CONFIRM_RESTORE,
    /** Pre-flight checks whose failure only warns (memory, disk, ruby, node, config). */
    PREFLIGHT_WARN,
    /** MiB of memory and swap the pre-flight wants free when the plan recompiles assets. */
    ASSETS_MEMORY,
    /** MiB the pre-flight wants free in the application directory's filesystem. */
    MIN_FREE_DISK,
    /** Lets the upgrade run tasks that install toolchains (rbenv install of the release's Ruby). */
    ALLOW_TOOLCHAIN_INSTALL,
    /** Lets the upgrade stop the site where the notes say a rolling update is not supported. */
    ALLOW_DOWNTIME,
    /** An instance on several hosts (their roles, the migration host), upgraded as one. */
    INSTANCE;

    /** How a front end spells the settings it offers. */
    public interface Naming {
        /** The setting's name alone, as a user types it ({@code --host-key}, {@code hostKey}). */
        String name(Option option);

        /** The setting given a value ({@code --host-key SHA256:x}, {@code hostKey: 'SHA256:x'}). */
        String withValue(Option option, String value);

        /** A flag turned on: the CLI spells it as the bare option, the plugin as the parameter set to true. */
        String set(Option option);
    }

    /** The engine's own spelling, used before a front end installs one. */
    public static final Naming NEUTRAL = new Naming() {
        @Override
        public String name(Option option) {
            return option.neutral();
        }

        @Override
        public String withValue(Option option, String value) {
            return option.neutral() + "=" + value;
        }

        @Override
        public String set(Option option) {
            return option.neutral();
        }
    };

    private static volatile Naming naming = NEUTRAL;

    /** Installs the spelling of the front end running in this JVM; the engine's messages use it from then on. */
    public static void use(Naming frontEnd) {
        naming = Objects.requireNonNull(frontEnd, "frontEnd");
    }

    /** The neutral name: {@code HOST_KEY} is {@code host-key}. */
    public String neutral() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** As the user types it, in the running front end's spelling. */
    public String named() {
        return naming.name(this);
    }

    public String withValue(String value) {
        return naming.withValue(this, value);
    }

    public String set() {
        return naming.set(this);
    }

    /**
     * A number of seconds given for this setting, checked against its range.
     *
     * @throws FlowException {@code BAD_INPUT} naming the setting when the value is out of range
     */
    public java.time.Duration seconds(long value, long min, long max) {
        if (value < min || value > max) {
            throw FlowException.badInput(named() + " must be " + min + " to " + max + " seconds, not " + value);
        }
        return java.time.Duration.ofSeconds(value);
    }
}

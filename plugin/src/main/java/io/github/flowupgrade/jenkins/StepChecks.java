package io.github.flowupgrade.jenkins;

import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.commands.BackupCommands;
import io.github.flowupgrade.commands.Inputs;
import io.github.flowupgrade.commands.ReleaseTag;
import io.github.flowupgrade.commands.RunAs;
import io.github.flowupgrade.release.ReleaseLookupRequest;
import io.github.flowupgrade.upgrade.backup.BackupPolicy;
import io.github.flowupgrade.upgrade.instance.InstanceDescriptions;
import io.github.flowupgrade.upgrade.preflight.PreflightPolicy;
import io.github.flowupgrade.upgrade.services.ServiceAction;
import io.github.flowupgrade.upgrade.services.ServiceSelection;
import io.github.flowupgrade.upgrade.services.StreamingPolicy;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/**
 * Validation of step parameters as the Snippet Generator and the step configuration page show it. Where the engine
 * already validates a value ({@link Inputs}, {@link RunAs}, {@link StreamingPolicy}), this asks the engine, so the form
 * and the step can never disagree. Empty optional values are fine here; required ones are reported.
 */
public final class StepChecks {
    private static final Pattern REPO = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}");
    private static final Pattern FINGERPRINT = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}=?");
    /** The characters pipeline-input-step's {@code InputStep.DescriptorImpl.doCheckId} allows in an id. */
    private static final Pattern INPUT_ID = Pattern.compile("[A-Za-z0-9:@=+$,_.!~*()-]+");

    private StepChecks() {}

    /** A required tag ({@code flowCheckout}, {@code flowRunUpgradeTasks}). */
    public static Check tag(String value) {
        if (Params.blank(value)) {
            return Check.error(Messages.Check_Required("tag"));
        }
        return ReleaseTag.isValid(value.trim()) ? Check.ok() : Check.error(Messages.Check_Tag());
    }

    /** An optional tag: empty means the latest release ({@code flowFetchRelease}). */
    public static Check tagOrLatest(String value) {
        if (Params.blank(value)) {
            return Check.ok();
        }
        return ReleaseTag.isValid(value.trim()) ? Check.ok() : Check.error(Messages.Check_TagOrLatest());
    }

    /** An optional tag the host is assumed to run ({@code from}). */
    public static Check optionalTag(String value) {
        if (Params.blank(value)) {
            return Check.ok();
        }
        return ReleaseTag.isValid(value.trim()) ? Check.ok() : Check.error(Messages.Check_Tag());
    }

    /** An optional commit id the tag must point at. */
    public static Check commit(String value) {
        if (Params.blank(value)) {
            return Check.ok();
        }
        return engineAccepts(() -> Inputs.commit(value.trim()), Messages.Check_Commit());
    }

    /** The phase of {@code flowRunUpgradeTasks}: empty is after-checkout. */
    public static Check phase(String value) {
        if (Params.blank(value)) {
            return Check.ok();
        }
        String phase = value.trim();
        return phase.equals("after-checkout") || phase.equals("after-restart")
                ? Check.ok()
                : Check.error(Messages.Check_Phase());
    }

    public static Check host(String value) {
        if (Params.blank(value)) {
            return Check.error(Messages.Check_Required("host"));
        }
        return engineAccepts(() -> Inputs.host(value.trim()), Messages.Check_Host());
    }

    /** One host or several, separated by commas or spaces ({@code flowUpgrade}). */
    public static Check hosts(String value) {
        if (Params.blank(value)) {
            return Check.error(Messages.Check_Required("host"));
        }
        for (String host : Params.list(value)) {
            if (!engineAccepts(() -> Inputs.host(host), "").isOk()) {
                return Check.error(Messages.Check_Hosts());
            }
        }
        return Check.ok();
    }

    /**
     * An optional instance description: given inline (JSON), checked as the engine checks it; a file name is read from
     * the workspace when the step runs.
     */
    public static Check instance(String value) {
        if (Params.blank(value)) {
            return Check.ok();
        }
        String instance = value.trim();
        if (!InstanceFile.inline(instance)) {
            try {
                InstanceFile.checkedPath(instance);
            } catch (hudson.AbortException e) {
                return Check.error(e.getMessage());
            }
            return Check.ok();
        }
        try {
            InstanceDescriptions.fromJson(instance);
            return Check.ok();
        } catch (FlowException e) {
            return Check.error(e.getMessage());
        }
    }

    /** An optional repository URL for {@code git ls-remote}, checked as the engine checks it. */
    public static Check gitUrl(String value) {
        if (Params.blank(value)) {
            return Check.ok();
        }
        return engineAccepts(() -> ReleaseLookupRequest.checkGitUrl(value.trim()), Messages.Check_GitUrl());
    }

    public static Check port(String value) {
        return intInRange(value, 1, 65535, Messages.Check_Port());
    }

    /** Minutes per remote command; 0 (the form's default) keeps the engine's limits. */
    /** How web is restarted: empty (reload), {@code reload} or {@code restart}. */
    public static Check webAction(String value) {
        if (Params.blank(value)) {
            return Check.ok();
        }
        return engineAccepts(() -> ServiceAction.webAction(value.trim()), Messages.Check_WebAction());
    }

    /** A limit in seconds: 0 (the engine's default) or 1 to {@code max}. */
    public static Check seconds(String value, int max) {
        return intInRange(value, 0, max, Messages.Check_Seconds(max));
    }

    /** The id of an {@code input} step, with the characters {@code input} accepts; empty is the default id. */
    public static Check inputId(String value) {
        if (Params.blank(value)) {
            return Check.ok();
        }
        String id = value.trim();
        return INPUT_ID.matcher(id).matches() && !id.equals(".") && !id.equals("..")
                ? Check.ok()
                : Check.error(Messages.Check_InputId());
    }

    public static Check repo(String value) {
        if (Params.blank(value)) {
            return Check.ok();
        }
        return REPO.matcher(value.trim()).matches() ? Check.ok() : Check.error(Messages.Check_Repo());
    }

    public static Check app(String value) {
        if (Params.blank(value)) {
            return Check.ok();
        }
        String app = value.trim();
        return app.equals("mastodon") || app.equals("flow") || app.endsWith(".json")
                ? Check.ok()
                : Check.error(Messages.Check_App());
    }

    public static Check apiUrl(String value) {
        if (Params.blank(value)) {
            return Check.ok();
        }
        try {
            URI uri = new URI(value.trim());
            String scheme = uri.getScheme();
            boolean web = "https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme);
            return web && uri.getHost() != null ? Check.ok() : Check.error(Messages.Check_ApiUrl());
        } catch (URISyntaxException e) {
            return Check.error(Messages.Check_ApiUrl());
        }
    }

    public static Check user(String value) {
        if (Params.blank(value)) {
            return Check.ok();
        }
        return engineAccepts(() -> Inputs.user(value.trim()), Messages.Check_User());
    }

    public static Check dir(String value) {
        if (Params.blank(value)) {
            return Check.ok();
        }
        return engineAccepts(() -> Inputs.dir(value.trim()), Messages.Check_Dir());
    }

    public static Check dump(String value) {
        if (Params.blank(value)) {
            return Check.error(Messages.Check_Required("backup"));
        }
        return engineAccepts(() -> BackupCommands.checkDump(value.trim()), Messages.Check_Dump());
    }

    public static Check sha256(String value) {
        return Params.blank(value) || value.trim().matches("[0-9a-f]{64}")
                ? Check.ok()
                : Check.error(Messages.Check_Sha256());
    }

    public static Check backupDir(String value) {
        if (Params.blank(value)) {
            return Check.ok();
        }
        return engineAccepts(() -> new BackupPolicy(true, value.trim(), null), Messages.Check_BackupDir());
    }

    /** The pre-flight checks that only warn: names among memory, disk, ruby, node and config. */
    public static Check preflightWarn(String value) {
        if (Params.blank(value)) {
            return Check.ok();
        }
        return engineAccepts(() -> PreflightPolicy.of(0, 0, value, false), Messages.Check_PreflightWarn());
    }

    /** A figure in MiB: 0 (the engine's default) or 1 to 16 TiB. */
    public static Check mib(String value) {
        return intInRange(value, 0, 16 * 1024 * 1024, Messages.Check_Mib());
    }

    public static Check as(String value) {
        if (Params.blank(value)) {
            return Check.ok();
        }
        return engineAccepts(() -> RunAs.of(value.trim(), "nobody"), Messages.Check_As());
    }

    public static Check streaming(String value) {
        if (Params.blank(value)) {
            return Check.ok();
        }
        return engineAccepts(() -> StreamingPolicy.parse(value.trim()), Messages.Check_Streaming());
    }

    public static Check services(String value) {
        if (Params.blank(value)) {
            return Check.ok();
        }
        return engineAccepts(() -> ServiceSelection.parse(value, null), Messages.Check_Services());
    }

    /** The fingerprint field, judged together with the known_hosts field. */
    public static Check hostKey(String hostKey, String knownHostsFile) {
        if (!Params.blank(hostKey) && !Params.blank(knownHostsFile)) {
            return Check.error(Messages.Check_HostKeyBoth());
        }
        if (Params.blank(hostKey)) {
            return Params.blank(knownHostsFile) ? Check.warning(Messages.Check_HostKeyNeither()) : Check.ok();
        }
        for (String fingerprint : Params.list(hostKey)) {
            if (!FINGERPRINT.matcher(fingerprint).matches()) {
                return Check.error(Messages.Check_HostKey());
            }
        }
        return Check.ok();
    }

    private static Check intInRange(String value, int min, int max, String message) {
        if (Params.blank(value)) {
            return Check.ok();
        }
        try {
            int n = Integer.parseInt(value.trim());
            return n >= min && n <= max ? Check.ok() : Check.error(message);
        } catch (NumberFormatException e) {
            return Check.error(message);
        }
    }

    private static Check engineAccepts(Runnable validation, String message) {
        try {
            validation.run();
            return Check.ok();
        } catch (FlowException e) {
            return Check.error(message);
        }
    }
}

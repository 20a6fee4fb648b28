package io.github.flowupgrade.jenkins;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.ResourceBundle;

/**
 * Offline stand-in for the class the Jenkins localizer generates from {@code Messages.properties} under
 * {@code -Pjenkins}: same name, same static methods (one per key, dots as underscores, one {@code Object} argument per
 * placeholder), formatting with {@link MessageFormat} as the generated class does. {@code MessagesTest} holds the two
 * in step. Only compiled by {@code offline-pom.xml}.
 */
public final class Messages {
    private static final ResourceBundle BUNDLE =
            ResourceBundle.getBundle("io.github.flowupgrade.jenkins.Messages", Locale.ROOT);

    private Messages() {}

    private static String format(String key, Object... args) {
        return new MessageFormat(BUNDLE.getString(key), Locale.ROOT).format(args);
    }

    public static String FlowFetchReleaseStep_DisplayName() {
        return format("FlowFetchReleaseStep.DisplayName");
    }

    public static String FlowCheckoutStep_DisplayName() {
        return format("FlowCheckoutStep.DisplayName");
    }

    public static String FlowRunUpgradeTasksStep_DisplayName() {
        return format("FlowRunUpgradeTasksStep.DisplayName");
    }

    public static String FlowRestartServicesStep_DisplayName() {
        return format("FlowRestartServicesStep.DisplayName");
    }

    public static String FlowUpgradeStep_DisplayName() {
        return format("FlowUpgradeStep.DisplayName");
    }

    public static String FlowRestoreStep_DisplayName() {
        return format("FlowRestoreStep.DisplayName");
    }

    public static String FlowUpgradeAction_DisplayName() {
        return format("FlowUpgradeAction.DisplayName");
    }

    public static String Check_Required(Object arg1) {
        return format("Check.Required", arg1);
    }

    public static String Check_Tag() {
        return format("Check.Tag");
    }

    public static String Check_Commit() {
        return format("Check.Commit");
    }

    public static String Check_Phase() {
        return format("Check.Phase");
    }

    public static String Check_TagOrLatest() {
        return format("Check.TagOrLatest");
    }

    public static String Check_Host() {
        return format("Check.Host");
    }

    public static String Check_Port() {
        return format("Check.Port");
    }

    public static String Check_GitUrl() {
        return format("Check.GitUrl");
    }

    public static String Check_Hosts() {
        return format("Check.Hosts");
    }

    public static String Check_OneHost() {
        return format("Check.OneHost");
    }

    public static String Check_Seconds(Object arg0) {
        return format("Check.Seconds", arg0);
    }

    public static String Check_WebAction() {
        return format("Check.WebAction");
    }

    public static String Check_Repo() {
        return format("Check.Repo");
    }

    public static String Check_App() {
        return format("Check.App");
    }

    public static String Check_ApiUrl() {
        return format("Check.ApiUrl");
    }

    public static String Check_User() {
        return format("Check.User");
    }

    public static String Check_Dir() {
        return format("Check.Dir");
    }

    public static String Check_Dump() {
        return format("Check.Dump");
    }

    public static String Check_Sha256() {
        return format("Check.Sha256");
    }

    public static String Check_ConfirmRestore(Object arg0, Object arg1) {
        return format("Check.ConfirmRestore", arg0, arg1);
    }

    public static String Check_BackupDir() {
        return format("Check.BackupDir");
    }

    public static String Check_PreflightWarn() {
        return format("Check.PreflightWarn");
    }

    public static String Check_Mib() {
        return format("Check.Mib");
    }

    public static String Check_As() {
        return format("Check.As");
    }

    public static String Check_Streaming() {
        return format("Check.Streaming");
    }

    public static String Check_Services() {
        return format("Check.Services");
    }

    public static String Check_HostKeyBoth() {
        return format("Check.HostKeyBoth");
    }

    public static String Check_HostKeyNeither() {
        return format("Check.HostKeyNeither");
    }

    public static String Check_HostKey() {
        return format("Check.HostKey");
    }

    public static String Check_InputId() {
        return format("Check.InputId");
    }

    public static String Check_CredentialsExpression() {
        return format("Check.CredentialsExpression");
    }

    public static String Check_CredentialsNotFound() {
        return format("Check.CredentialsNotFound");
    }

    public static String Step_CredentialsNotFound(Object arg1, Object arg2, Object arg3) {
        return format("Step.CredentialsNotFound", arg1, arg2, arg3);
    }

    public static String Step_NoKey(Object arg1) {
        return format("Step.NoKey", arg1);
    }

    public static String Gate_Approved(Object arg1, Object arg2) {
        return format("Gate.Approved", arg1, arg2);
    }

    public static String Gate_NoApprover(Object arg1) {
        return format("Gate.NoApprover", arg1);
    }

    public static String Gate_NotApproved(Object arg1, Object arg2, Object arg3) {
        return format("Gate.NotApproved", arg1, arg2, arg3);
    }

    public static String Gate_InputNotApproved(Object arg1) {
        return format("Gate.InputNotApproved", arg1);
    }

    public static String Gate_ApprovedWithoutSecurity(Object arg1) {
        return format("Gate.ApprovedWithoutSecurity", arg1);
    }

    public static String Action_Audit() {
        return format("Action.Audit");
    }
}

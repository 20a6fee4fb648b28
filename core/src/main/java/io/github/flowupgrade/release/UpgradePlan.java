package io.github.flowupgrade.release;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The union of the upgrade instructions of a range of releases: each task once, in the order the tool runs them,
 * naming the releases that asked for it; the flags later steps need; the highest minimum dependency versions; and,
 * verbatim, everything it could not turn into a task, so that nothing a release asks for disappears.
 *
 * @param manual what a human must do (or check does not apply) before the upgrade: the only items behind
 *     {@code --confirm-manual}
 * @param backupAdvisedBy the releases whose notes remind to back up the database first (an upgrade that migrates takes its own, {@code DatabaseBackup})
 * @param dockerOnly instructions for Docker installations only, listed for completeness, never asked for
 * @param information what the notes say that asks nothing (tips for when something fails, notices)
 * @param coveredByFlow the steps and flags of the notes that flow's tasks and restarts carry out
 * @param streamingRestartBy the releases whose notes ask for the streaming restart, oldest first
 */
public record UpgradePlan(
        boolean streamingRestart,
        Requirements requirements,
        List<PlanTask> tasks,
        List<ManualItem> manual,
        List<ManualItem> otherRequirements,
        List<String> notesCutShort,
        List<String> backupAdvisedBy,
        List<ManualItem> dockerOnly,
        List<ManualItem> information,
        List<ManualItem> coveredByFlow,
        List<String> streamingRestartBy) {

    public UpgradePlan {
        streamingRestartBy = List.copyOf(streamingRestartBy);
        backupAdvisedBy = List.copyOf(backupAdvisedBy);
        dockerOnly = List.copyOf(dockerOnly);
        information = List.copyOf(information);
        coveredByFlow = List.copyOf(coveredByFlow);
        tasks = List.copyOf(tasks);
        manual = List.copyOf(manual);
        otherRequirements = List.copyOf(otherRequirements);
        notesCutShort = List.copyOf(notesCutShort);
    }

    /** A plan without Docker-only items, information or the record of what flow covers. */
    public UpgradePlan(
            boolean streamingRestart,
            Requirements requirements,
            List<PlanTask> tasks,
            List<ManualItem> manual,
            List<ManualItem> otherRequirements,
            List<String> notesCutShort,
            List<String> backupAdvisedBy) {
        this(
                streamingRestart,
                requirements,
                tasks,
                manual,
                otherRequirements,
                notesCutShort,
                backupAdvisedBy,
                List.of(),
                List.of(),
                List.of(),
                List.of());
    }

    public static UpgradePlan empty() {
        return new UpgradePlan(false, Requirements.none(), List.of(), List.of(), List.of(), List.of(), List.of());
    }

    /** The plan for releases given oldest first. */
    public static UpgradePlan union(List<ReleaseNotes> oldestFirst) {
        boolean streaming = false;
        Requirements requirements = Requirements.none();
        Map<TaskKind, List<String>> askedBy = new EnumMap<>(TaskKind.class);
        Map<TaskKind, String> commands = new EnumMap<>(TaskKind.class);
        Map<String, List<String>> manual = new LinkedHashMap<>();
        Map<String, List<String>> others = new LinkedHashMap<>();
        Map<String, List<String>> dockerOnly = new LinkedHashMap<>();
        Map<String, List<String>> information = new LinkedHashMap<>();
        Map<String, List<String>> covered = new LinkedHashMap<>();
        List<String> cutShort = new ArrayList<>();
        List<String> backup = new ArrayList<>();
        List<String> streamingBy = new ArrayList<>();
        for (ReleaseNotes notes : oldestFirst) {
            streaming |= notes.streamingRestart();
            if (notes.streamingRestart()) {
                streamingBy.add(notes.tag());
            }
            requirements = requirements.max(notes.requirements());
            notes.tasks().forEach((kind, command) -> {
                askedBy.computeIfAbsent(kind, k -> new ArrayList<>()).add(notes.tag());
                commands.put(kind, command); // the newest release's wording wins (yarn 1 -> yarn 4)
            });
            notes.manual().forEach(text -> addOnce(manual, text, notes.tag()));
            notes.otherRequirements().forEach(text -> addOnce(others, text, notes.tag()));
            notes.dockerOnly().forEach(text -> addOnce(dockerOnly, text, notes.tag()));
            notes.information().forEach(text -> addOnce(information, text, notes.tag()));
            notes.coveredByFlow().forEach(text -> addOnce(covered, text, notes.tag()));
            if (notes.stepsMissing()) {
                cutShort.add(notes.tag());
            }
            if (notes.backupAdvised()) {
                backup.add(notes.tag());
            }
        }
        List<PlanTask> tasks = new ArrayList<>();
        askedBy.forEach((kind, releases) -> tasks.add(new PlanTask(kind, commands.get(kind), releases)));
        tasks.sort(Comparator.comparing(PlanTask::kind));
        return new UpgradePlan(
                streaming,
                requirements,
                tasks,
                items(manual),
                items(others),
                cutShort,
                backup,
                items(dockerOnly),
                items(information),
                items(covered),
                streamingBy);
    }

    private static void addOnce(Map<String, List<String>> items, String text, String tag) {
        List<String> tags = items.computeIfAbsent(text, t -> new ArrayList<>());
        if (!tags.contains(tag)) {
            tags.add(tag);
        }
    }

    private static List<ManualItem> items(Map<String, List<String>> items) {
        List<ManualItem> list = new ArrayList<>();
        items.forEach((text, tags) -> list.add(new ManualItem(tags.get(0), text, tags)));
        return list;
    }

    public boolean has(TaskKind kind) {
        return tasks.stream().anyMatch(t -> t.kind() == kind);
    }

    public boolean preDeploymentMigrations() {
        return has(TaskKind.PRE_DEPLOYMENT_MIGRATIONS);
    }

    public boolean postDeploymentMigrations() {
        return has(TaskKind.POST_DEPLOYMENT_MIGRATIONS);
    }

    public boolean bundleInstall() {
        return has(TaskKind.BUNDLE_INSTALL);
    }

    public boolean yarnInstall() {
        return has(TaskKind.YARN_INSTALL);
    }

    public boolean assetsPrecompile() {
        return has(TaskKind.ASSETS_PRECOMPILE);
    }

    /** The {@code plan} object of {@code flow fetch-release --json}. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("streamingRestart", streamingRestart);
        map.put("streamingRestartBy", streamingRestartBy);
        map.put("preDeploymentMigrations", preDeploymentMigrations());
        map.put("postDeploymentMigrations", postDeploymentMigrations());
        map.put("bundleInstall", bundleInstall());
        map.put("yarnInstall", yarnInstall());
        map.put("assetsPrecompile", assetsPrecompile());
        map.put("requirements", requirements.toMap());
        map.put("tasks", tasks.stream().map(PlanTask::toMap).toList());
        map.put("manual", manual.stream().map(ManualItem::toMap).toList());
        map.put(
                "otherRequirements",
                otherRequirements.stream().map(ManualItem::toMap).toList());
        map.put("notesCutShort", notesCutShort);
        map.put("backupAdvised", !backupAdvisedBy.isEmpty());
        map.put("dockerOnly", dockerOnly.stream().map(ManualItem::toMap).toList());
        map.put("information", information.stream().map(ManualItem::toMap).toList());
        map.put("coveredByFlow", coveredByFlow.stream().map(ManualItem::toMap).toList());
        return map;
    }
}

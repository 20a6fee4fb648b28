package io.github.flowupgrade.release;

import static io.github.flowupgrade.release.NoteWording.asksSomething;
import static io.github.flowupgrade.release.NoteWording.clean;
import static io.github.flowupgrade.release.NoteWording.clip;
import static io.github.flowupgrade.release.NoteWording.isDockerStepList;
import static io.github.flowupgrade.release.NoteWording.isNothingSpecial;
import static io.github.flowupgrade.release.NoteWording.isNotice;
import static io.github.flowupgrade.release.NoteWording.isTip;
import static io.github.flowupgrade.release.NoteWording.mentionsDockerOnly;
import static io.github.flowupgrade.release.NoteWording.namesDocker;
import static io.github.flowupgrade.release.NoteWording.normalize;
import static io.github.flowupgrade.release.NoteWording.nothingToDo;
import static io.github.flowupgrade.release.NoteWording.opensWithDocker;
import static io.github.flowupgrade.release.NoteWording.withoutDockerSentences;

import io.github.flowupgrade.app.AppProfile;
import io.github.flowupgrade.release.InstructionGroups.Item;
import io.github.flowupgrade.release.InstructionGroups.Kind;
import io.github.flowupgrade.release.InstructionGroups.Part;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.commonmark.node.Block;
import org.commonmark.node.BlockQuote;
import org.commonmark.node.Code;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.Link;
import org.commonmark.node.ListBlock;
import org.commonmark.node.ListItem;
import org.commonmark.node.Node;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.StrongEmphasis;
import org.commonmark.node.Text;
import org.commonmark.node.ThematicBreak;
import org.commonmark.parser.Parser;

/**
 * Reads what one Mastodon release's notes ask a non-Docker installation to do. The structure comes from commonmark's
 * syntax tree (headings, paragraphs, lists, block quotes); patterns are only matched against the text of one node at a
 * time. It understands the three shapes the notes have had since 2019: "Upgrade notes" with "Non-Docker only" and "Both
 * Docker and non-Docker" blocks (3.x); an "Upgrade overview" of flag lines, then "Upgrade notes", "Dependencies" and
 * "Update steps" (4.x); and per-platform step lists (4.3+), with the headings at any level.
 *
 * <p>Every item of the notes ends up in one class: what flow runs itself (the five steps in {@link TaskKind}, when a
 * step says nothing but that, and the restarts it performs, see {@link RestartWording}); a manual step; a Docker-only
 * instruction; or information. The pieces of one instruction (overview flag, section, update step) are joined into one
 * item by {@link InstructionGroups}. Anything not recognised is a manual step, verbatim: nothing from the notes is ever
 * run. Hostile input is bounded: the body is cut at {@link #MAX_BODY} characters, nesting is capped, control characters
 * are dropped and each item is clipped.
 */
public final class ReleaseNotesParser {
    static final int MAX_BODY = 512 * 1024;
    static final int MAX_ITEM = 2000;
    private static final int MAX_DEPTH = 24;

    private final Parser markdown =
            Parser.builder().maxOpenBlockParsers(48).maxInlineNesting(24).build();
    private final RestartWording restarts;

    /** A parser for Mastodon's notes. */
    public ReleaseNotesParser() {
        this.restarts = RestartWording.MASTODON;
    }

    /**
     * A parser for the notes of {@code profile}'s application: its name and its units are restart wording too
     * ("Restart all Flow processes", {@code systemctl restart flow-sidekiq}), as Mastodon's are.
     */
    public ReleaseNotesParser(AppProfile profile) {
        this.restarts = RestartWording.of(profile);
    }

    private enum Section {
        PREAMBLE,
        OVERVIEW,
        CHANGELOG,
        UPGRADE_NOTES,
        DEPENDENCIES,
        STEPS,
        FREEFORM,
        IGNORED
    }

    private enum Platform {
        ANY,
        NON_DOCKER,
        DOCKER
    }

    private static final Pattern EMOJI_PREFIX =
            Pattern.compile("^(?::[a-z_]+:|[\u2139\u203C\u26A0\uFE0F]|[^\\p{L}\\p{N}])+");
    private static final Pattern REQUIRE_BUMP = Pattern.compile(
            "the minim(?:um|al) supported version (?:for|of) ([a-z. ]+?) has been (?:bumped|raised) to ([0-9]{1,9}(?:\\.[0-9]{1,9}){0,3})");
    private static final Pattern VERSION = Pattern.compile("([0-9]{1,9}(?:\\.[0-9]{1,9}){0,3})");

    /** Step wordings (code spans removed, lower case, no ':' or ',') that say nothing beyond their canonical tasks. */
    private static final List<Pattern> TASK_STEP_WORDINGS = List.of(
            Pattern.compile("install (?:the )?dependencies(?: with| using)?(?: and)?"),
            Pattern.compile("precompile the assets"),
            Pattern.compile("run the pre-deployment database migrations(?: by specifying the environment variable)?"),
            Pattern.compile("run the post-deployment database migrations"),
            Pattern.compile("now that the new code is running we can finish the database migrations\\.? "
                    + "this will run the post-deployment ones"));

    /** Parses the notes of release {@code tag}; {@code url} is only quoted in manual items. */
    public ReleaseNotes parse(String tag, String body, String url) {
        return new Run(tag, url).parse(body == null ? "" : body);
    }

    private final class Run {
        private final String tag;
        private final String url;
        private Section section = Section.PREAMBLE;
        private Platform platform = Platform.ANY;
        private boolean seenUpgradeNotes;
        private boolean seenOverview;
        private boolean modernLayout;
        private boolean stepsFound;
        private boolean restartAll;
        private boolean streamingAsked;
        private boolean streamingDeclined;
        private boolean backupAdvised;
        private final Map<TaskKind, String> tasks = new EnumMap<>(TaskKind.class);
        private Requirements requirements = Requirements.none();
        private final List<Part> parts = new ArrayList<>();
        private final List<String> covered = new ArrayList<>();
        private final List<String> otherRequirements = new ArrayList<>();
        private String freeformTitle;
        private Platform freeformPlatform = Platform.ANY;
        private final StringBuilder freeform = new StringBuilder();

        Run(String tag, String url) {
            this.tag = tag;
            this.url = url;
        }

        ReleaseNotes parse(String body) {
            boolean cut = body.length() > MAX_BODY;
            Node document = markdown.parse(cut ? body.substring(0, MAX_BODY) : body);
            for (Node block = document.getFirstChild(); block != null; block = block.getNext()) {
                if (block instanceof Heading heading) {
                    flushFreeform();
                    enter(clean(inline(heading, 0)));
                } else {
                    block(block);
                }
            }
            flushFreeform();
            if (cut) {
                part(
                        Kind.PROSE,
                        NoteClass.MANUAL,
                        "The notes of " + tag + " are longer than " + MAX_BODY
                                + " characters; only the start was read. Read them in full" + where() + ".");
            }
            boolean stepsMissing = !stepsFound;
            if (stepsMissing) {
                part(
                        Kind.PROSE,
                        NoteClass.MANUAL,
                        "The notes of " + tag + " have no update steps here (cut short or"
                                + " missing); the plan only has what their overview flags say. Read the full notes"
                                + where()
                                + " and carry out their steps by hand.");
            }
            List<String> manual = new ArrayList<>();
            List<String> dockerOnly = new ArrayList<>();
            List<String> information = new ArrayList<>();
            for (Item item : InstructionGroups.group(parts)) {
                switch (item.kindOfNote()) {
                    case MANUAL -> manual.add(item.text());
                    case DOCKER_ONLY -> dockerOnly.add(item.text());
                    case INFORMATION -> information.add(item.text());
                }
            }
            // 3.x notes have no overview flags; their "Restart all Mastodon processes" includes streaming, unless
            // they say streaming needs no restart. A request for it, anywhere, wins over a "not needed".
            boolean eraA = !seenOverview && !modernLayout;
            return new ReleaseNotes(
                    tag,
                    streamingAsked || (eraA && restartAll && !streamingDeclined),
                    tasks,
                    requirements,
                    manual,
                    otherRequirements,
                    stepsMissing,
                    backupAdvised,
                    dockerOnly,
                    information,
                    covered);
        }

        private String where() {
            return url == null ? " on its release page" : " at " + url;
        }

        private void part(Kind kind, NoteClass kindOfNote, String text) {
            part(kind, kindOfNote, null, text);
        }

        private void part(Kind kind, NoteClass kindOfNote, String title, String text) {
            parts.add(new Part(parts.size(), kind, kindOfNote, title == null ? null : clip(title), clip(text)));
        }

        private void covered(String text) {
            covered.add(clip(text));
        }

        /** Reads what a text (not a Docker one) says about restarting streaming. */
        private void readStreaming(String normalized) {
            RestartWording.Streaming s = restarts.streaming(normalized);
            streamingAsked |= s.restart();
            streamingDeclined |= s.noRestart();
        }

        private void enter(String title) {
            String t = normalize(title);
            platform = Platform.ANY;
            if (t.equals("upgrade overview")) {
                section = Section.OVERVIEW;
                seenOverview = true;
            } else if (t.startsWith("changelog")
                    || List.of(
                                    "added",
                                    "changed",
                                    "removed",
                                    "fixed",
                                    "fixes",
                                    "security",
                                    "deprecated",
                                    "breaking changes")
                            .contains(t)) {
                section = Section.CHANGELOG;
            } else if (t.equals("upgrade notes") || t.equals("upgrade instructions") || t.equals("upgrading")) {
                section = Section.UPGRADE_NOTES;
                seenUpgradeNotes = true;
            } else if (t.equals("dependencies")) {
                section = Section.DEPENDENCIES;
                modernLayout = true;
            } else if (t.startsWith("update steps") || t.startsWith("upgrade steps")) {
                section = Section.STEPS;
                modernLayout = true;
            } else if (t.startsWith("both docker and non-docker")) {
                section = Section.STEPS;
            } else if (isNonDocker(t)) {
                section = Section.STEPS;
                platform = Platform.NON_DOCKER;
            } else if (namesDocker(t)) {
                // "When using Docker" steps; a section such as "Docker image split" is read whole, for Docker only.
                if (!seenUpgradeNotes) {
                    section = Section.IGNORED;
                } else if (isDockerStepList(t)) {
                    section = Section.STEPS;
                    platform = Platform.DOCKER;
                } else {
                    section = Section.FREEFORM;
                    freeformTitle = title;
                    freeformPlatform = Platform.DOCKER;
                }
            } else if (List.of("translators", "contributors", "new contributors")
                    .contains(t)) {
                section = Section.IGNORED;
            } else if (seenUpgradeNotes) {
                section = Section.FREEFORM;
                freeformTitle = title;
                freeformPlatform = Platform.ANY;
            } else if (section == Section.PREAMBLE || section == Section.OVERVIEW) {
                section = Section.PREAMBLE;
            }
        }

        private void block(Node block) {
            if (block instanceof ThematicBreak || block instanceof HtmlBlock html && isComment(html)) {
                return;
            }
            switch (section) {
                case CHANGELOG, IGNORED -> {}
                case PREAMBLE -> preamble(block);
                case OVERVIEW -> overview(block);
                case UPGRADE_NOTES, STEPS -> steps(block);
                case DEPENDENCIES -> dependencies(block);
                case FREEFORM ->
                    freeform.append(freeform.length() == 0 ? "" : "\n").append(text(block, 0));
            }
        }

        /** A section under "Upgrade notes" that none of the known headings names, read as one piece. */
        private void flushFreeform() {
            if (freeformTitle != null) {
                String body = clip(freeform.toString());
                String t = normalize(body);
                if (freeformPlatform == Platform.DOCKER) {
                    part(Kind.SECTION, NoteClass.DOCKER_ONLY, freeformTitle, body);
                } else {
                    readStreaming(t);
                    RestartWording.Kind restart = restarts.kind(normalize(withoutDockerSentences(body)));
                    if (restart == RestartWording.Kind.RESTART) {
                        restartAll |= restarts.restartsAll(t);
                        covered(freeformTitle + ": " + body);
                    } else if (!body.isEmpty()
                            && (restart == RestartWording.Kind.NO_STREAMING_RESTART || nothingToDo(body))) {
                        part(Kind.SECTION, NoteClass.INFORMATION, freeformTitle, body);
                    } else {
                        part(Kind.SECTION, NoteClass.MANUAL, freeformTitle, body);
                    }
                }
            }
            freeformTitle = null;
            freeform.setLength(0);
        }

        private void preamble(Node block) {
            if (block instanceof HtmlBlock) {
                return; // the logo
            }
            String text = clip(text(block, 0));
            if (text.isEmpty()) {
                return;
            }
            String t = normalize(text);
            NoteClass kind;
            if (mentionsDockerOnly(t)) {
                kind = NoteClass.DOCKER_ONLY;
            } else {
                readStreaming(t);
                kind = !isTip(text) && asksSomething(t) ? NoteClass.MANUAL : NoteClass.INFORMATION;
            }
            part(Kind.PROSE, kind, text);
        }

        private void overview(Node block) {
            if (block instanceof Paragraph paragraph) {
                for (String line : lines(paragraph)) {
                    overviewLine(line);
                }
            } else if (block instanceof ListBlock list) {
                for (Node item = list.getFirstChild(); item != null; item = item.getNext()) {
                    overviewLine(clean(text(item, 0)));
                }
            } else {
                String text = clip(text(block, 0));
                if (isTip(text)) {
                    part(Kind.PROSE, NoteClass.INFORMATION, text);
                } else {
                    overviewLine(text);
                }
            }
        }

        private void overviewLine(String line) {
            String text = clip(line);
            String t = normalize(EMOJI_PREFIX.matcher(text).replaceFirst(""));
            if (t.isEmpty()
                    || t.startsWith("this release contains upgrade notes that deviate from the norm")
                    || t.startsWith("for more information")) {
                return;
            }
            if (isNothingSpecial(t)) {
                part(Kind.PROSE, NoteClass.INFORMATION, text);
                return;
            }
            Matcher bump = REQUIRE_BUMP.matcher(t);
            if (bump.find()) {
                String dependency = dependency(bump.group(1));
                if (dependency != null) {
                    requirements = requirements.with(dependency, bump.group(2));
                } else {
                    otherRequirements.add(clip(text));
                }
                return;
            }
            RestartWording.Streaming streaming = restarts.streaming(t);
            if (streaming.restart() || streaming.noRestart()) {
                readStreaming(t);
                if (streaming.restart()) {
                    covered(text);
                } else {
                    part(Kind.PROSE, NoteClass.INFORMATION, text);
                }
            } else if (t.matches("requires (?:unusually long )?database migrations")) {
                tasks.put(TaskKind.PRE_DEPLOYMENT_MIGRATIONS, TaskKind.PRE_DEPLOYMENT_MIGRATIONS.defaultCommand());
                tasks.put(TaskKind.POST_DEPLOYMENT_MIGRATIONS, TaskKind.POST_DEPLOYMENT_MIGRATIONS.defaultCommand());
                if (t.contains("unusually long")) {
                    // flow runs them, but a human plans the window and the task timeout.
                    part(Kind.FLAG, NoteClass.MANUAL, text);
                } else {
                    covered(text);
                }
            } else if (t.matches("requires assets? (?:re)?compilation|requires assets? precompilation")) {
                tasks.put(TaskKind.ASSETS_PRECOMPILE, TaskKind.ASSETS_PRECOMPILE.defaultCommand());
                covered(text);
            } else if (mentionsDockerOnly(t)) {
                part(Kind.FLAG, NoteClass.DOCKER_ONLY, text);
            } else if (isNotice(t)) {
                part(Kind.FLAG, NoteClass.INFORMATION, text);
            } else {
                part(Kind.FLAG, NoteClass.MANUAL, text);
            }
        }

        private void dependencies(Node block) {
            if (block instanceof ListBlock list) {
                for (Node item = list.getFirstChild(); item != null; item = item.getNext()) {
                    requirement(clean(text(item, 0)));
                }
                return;
            }
            String text = clip(text(block, 0));
            String t = normalize(text);
            if (t.startsWith("external dependencies have not changed")) {
                return; // the list that follows says it
            }
            readStreaming(t);
            if (t.startsWith("external dependencies have changed") || nothingToDo(text)) {
                part(Kind.PROSE, NoteClass.INFORMATION, text);
            } else {
                part(Kind.STEP, NoteClass.MANUAL, text);
            }
        }

        private void requirement(String line) {
            int colon = line.indexOf(':');
            String dependency = colon > 0 ? dependency(line.substring(0, colon)) : null;
            Matcher version = VERSION.matcher(colon > 0 ? line.substring(colon + 1) : "");
            if (dependency != null && version.find()) {
                requirements = requirements.with(dependency, version.group(1));
            } else {
                otherRequirements.add(clip(line));
            }
        }

        private String dependency(String name) {
            String n = name.strip().toLowerCase(Locale.ROOT);
            if (n.equals("ruby")) {
                return "ruby";
            }
            if (n.equals("node") || n.equals("node.js") || n.equals("nodejs")) {
                return "nodejs";
            }
            if (n.equals("postgresql") || n.equals("postgres")) {
                return "postgresql";
            }
            if (n.equals("redis")) {
                return "redis";
            }
            return null;
        }

        private void steps(Node block) {
            if (block instanceof Paragraph paragraph) {
                Platform marker = platformMarker(paragraph);
                if (marker != null) {
                    platform = marker;
                    return;
                }
            }
            if (block instanceof ListBlock list) {
                if (platform != Platform.DOCKER) {
                    stepsFound = true;
                }
                for (Node item = list.getFirstChild(); item != null; item = item.getNext()) {
                    step((ListItem) item);
                }
                return;
            }
            String text = clip(text(block, 0));
            String t = normalize(text);
            if (block instanceof BlockQuote && t.contains("make sure you have backups of the database")) {
                backupAdvised = true;
                return;
            }
            if (block instanceof Paragraph && isBoilerplate(t) || text.isEmpty()) {
                return;
            }
            if (section == Section.STEPS && platform != Platform.DOCKER) {
                stepsFound = true;
            }
            if (platform == Platform.DOCKER || opensWithDocker(t)) {
                if (restarts.kind(t) != RestartWording.Kind.RESTART) {
                    part(Kind.STEP, NoteClass.DOCKER_ONLY, text);
                }
                return;
            }
            if (isTip(text)) {
                part(Kind.PROSE, NoteClass.INFORMATION, text);
                return;
            }
            readStreaming(t);
            RestartWording.Kind restart = restarts.kind(normalize(withoutDockerSentences(text)));
            if (restart == RestartWording.Kind.RESTART) {
                restartAll |= restarts.restartsAll(t);
                covered(text);
            } else if (restart == RestartWording.Kind.NO_STREAMING_RESTART || nothingToDo(text)) {
                part(Kind.PROSE, NoteClass.INFORMATION, text);
            } else {
                part(Kind.STEP, NoteClass.MANUAL, text);
            }
        }

        private boolean isBoilerplate(String t) {
            return t.startsWith("to get the code for")
                    || t.startsWith("because this is a backport, it is not available with")
                    || t.startsWith("the following instructions are for updating from")
                    || t.startsWith("if you are upgrading directly from an earlier release")
                    || t.matches("if you are updating from .{1,120} see the (?:next|previous) section\\.?");
        }

        /** {@code **Non-Docker only:**}, {@code **Both Docker and non-Docker:**} in 3.x notes. */
        private Platform platformMarker(Paragraph paragraph) {
            Node only = paragraph.getFirstChild();
            if (!(only instanceof StrongEmphasis) || only.getNext() != null) {
                return null;
            }
            String t = normalize(inline(only, 0));
            if (t.startsWith("both docker and non-docker")) {
                return Platform.ANY;
            }
            if (isNonDocker(t)) {
                return Platform.NON_DOCKER;
            }
            if (t.startsWith("docker only") || t.startsWith("when using docker")) {
                return Platform.DOCKER;
            }
            return null;
        }

        private void step(ListItem item) {
            StringBuilder description = new StringBuilder();
            List<String> codes = new ArrayList<>();
            List<String> nonDockerParts = new ArrayList<>();
            List<String> otherParts = new ArrayList<>();
            List<String> dockerParts = new ArrayList<>();
            for (Node child = item.getFirstChild(); child != null; child = child.getNext()) {
                if (child instanceof ListBlock sub && hasPlatformItems(sub)) {
                    for (Node subItem = sub.getFirstChild(); subItem != null; subItem = subItem.getNext()) {
                        String subText = clean(text(subItem, 0));
                        String t = normalize(subText);
                        if (isNonDocker(t)) {
                            nonDockerParts.add(subText.replaceFirst("^(?i)non[- ]docker( only)?:\\s*", ""));
                            codes(subItem, codes, 0);
                        } else if (t.startsWith("docker")) {
                            dockerParts.add(subText);
                        } else {
                            otherParts.add(subText);
                            codes(subItem, codes, 0);
                        }
                    }
                } else {
                    description.append(description.length() == 0 ? "" : " ").append(clean(text(child, 0)));
                    codes(child, codes, 0);
                }
            }
            String own = description.toString();
            Platform stepPlatform = opensWithDocker(normalize(own)) ? Platform.DOCKER : platform;
            List<String> sourceParts = new ArrayList<>(nonDockerParts);
            sourceParts.addAll(otherParts);
            String wording = normalize(own.replaceAll("`[^`]*`", " ").replaceFirst("^(?i)non[- ]docker( only)?:", ""))
                    .replaceAll("[:,]", "")
                    .replaceAll("\\s+", " ")
                    .strip();
            boolean knownWording =
                    TASK_STEP_WORDINGS.stream().anyMatch(p -> p.matcher(wording).matches());
            if (stepPlatform == Platform.DOCKER || (!dockerParts.isEmpty() && sourceParts.isEmpty())) {
                // A Docker step, or a step with only a Docker variant: the Docker form of a task or a restart says
                // nothing new; anything else is for Docker installations only.
                String docker = clip(own + " " + String.join(" ", dockerParts));
                if (!knownWording && restarts.kind(normalize(docker)) != RestartWording.Kind.RESTART) {
                    part(Kind.STEP, NoteClass.DOCKER_ONLY, docker);
                }
                return;
            }
            String verbatim = clip(
                    sourceParts.isEmpty()
                            ? own
                            : (own.isBlank() || own.endsWith(":") ? own + " " : own + ": ")
                                    + String.join(" ", sourceParts));
            Map<TaskKind, String> found = new EnumMap<>(TaskKind.class);
            boolean unknownCode = false;
            for (String code : codes) {
                String canonical = code.strip().replaceAll("\\s+", " ");
                if (canonical.equals("SKIP_POST_DEPLOYMENT_MIGRATIONS=true")) {
                    continue; // named in the wording of the pre-deployment step
                }
                TaskKind kind = canonicalTask(canonical);
                if (kind == null) {
                    unknownCode = true;
                } else {
                    found.put(kind, kind == TaskKind.YARN_INSTALL ? stripRailsEnv(canonical) : kind.defaultCommand());
                }
            }
            if (!unknownCode && !found.isEmpty() && knownWording) {
                found.forEach(tasks::put);
                covered(verbatim);
                return;
            }
            readStreaming(normalize(verbatim));
            // Where a step has a non-Docker variant, that variant says what a source installation restarts.
            String restartText = normalize(
                    withoutDockerSentences(nonDockerParts.isEmpty() ? verbatim : String.join(" ", nonDockerParts)));
            RestartWording.Kind restart = restarts.kind(restartText);
            if (!nonDockerParts.isEmpty()
                    && !own.isBlank()
                    && restarts.kind(normalize(withoutDockerSentences(own))) != RestartWording.Kind.RESTART) {
                restart = RestartWording.Kind.OTHER; // the step's own words ask for more than a restart
            }
            restartAll |= restarts.restartsAll(restartText);
            if (restart == RestartWording.Kind.RESTART) {
                covered(verbatim);
            } else if (restart == RestartWording.Kind.NO_STREAMING_RESTART || nothingToDo(verbatim)) {
                part(Kind.PROSE, NoteClass.INFORMATION, verbatim);
            } else {
                part(Kind.STEP, NoteClass.MANUAL, verbatim);
            }
        }

        private boolean hasPlatformItems(ListBlock list) {
            for (Node item = list.getFirstChild(); item != null; item = item.getNext()) {
                String t = normalize(clean(text(item, 0)));
                if (t.startsWith("docker:") || isNonDocker(t)) {
                    return true;
                }
            }
            return false;
        }

        private void codes(Node node, List<String> out, int depth) {
            if (depth > MAX_DEPTH) {
                out.add("(nested too deeply)");
                return;
            }
            if (node instanceof Code code) {
                out.add(code.getLiteral());
            } else if (node instanceof FencedCodeBlock || node instanceof IndentedCodeBlock) {
                out.add(text(node, depth));
            }
            for (Node child = node.getFirstChild(); child != null; child = child.getNext()) {
                codes(child, out, depth + 1);
            }
        }
    }

    private static boolean isNonDocker(String normalized) {
        return normalized.startsWith("non-docker") || normalized.startsWith("non docker");
    }

    /** The task a command names, with or without {@code RAILS_ENV=production}, or null. */
    static TaskKind canonicalTask(String command) {
        String c = stripRailsEnv(command);
        if (c.equals("bundle install")) {
            return TaskKind.BUNDLE_INSTALL;
        }
        if (TaskKind.YARN_COMMANDS.contains(c)) {
            return TaskKind.YARN_INSTALL;
        }
        if (c.equals("SKIP_POST_DEPLOYMENT_MIGRATIONS=true bundle exec rails db:migrate")) {
            return TaskKind.PRE_DEPLOYMENT_MIGRATIONS;
        }
        if (c.equals("bundle exec rails db:migrate")) {
            return TaskKind.POST_DEPLOYMENT_MIGRATIONS;
        }
        if (c.equals("bundle exec rails assets:precompile")) {
            return TaskKind.ASSETS_PRECOMPILE;
        }
        return null;
    }

    private static String stripRailsEnv(String command) {
        return (" " + command.strip().replaceAll("\\s+", " ") + " ")
                .replace(" RAILS_ENV=production ", " ")
                .strip();
    }

    private static boolean isComment(HtmlBlock html) {
        return html.getLiteral().strip().startsWith("<!--");
    }

    /** The lines of a paragraph, split at its soft and hard line breaks (overview flags are one per line). */
    private static List<String> lines(Paragraph paragraph) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (Node child = paragraph.getFirstChild(); child != null; child = child.getNext()) {
            if (child instanceof SoftLineBreak || child instanceof HardLineBreak) {
                lines.add(clean(line.toString()));
                line.setLength(0);
            } else {
                line.append(inline(child, 0));
            }
        }
        lines.add(clean(line.toString()));
        return lines;
    }

    /** Plain text of a block and its children: code in backticks, links with their target, HTML as literal text. */
    private static String text(Node node, int depth) {
        if (depth > MAX_DEPTH) {
            return "...";
        }
        if (node instanceof FencedCodeBlock fenced) {
            return fenced.getLiteral().strip();
        }
        if (node instanceof IndentedCodeBlock indented) {
            return indented.getLiteral().strip();
        }
        if (node instanceof HtmlBlock html) {
            return html.getLiteral().strip();
        }
        if (node instanceof BlockQuote) {
            return alert(blockText(node, depth));
        }
        if (!(node instanceof Block) || node instanceof Paragraph || node instanceof Heading) {
            return inline(node, depth);
        }
        return blockText(node, depth);
    }

    /** GitHub's alert markers ({@code > [!TIP]}) read as words. */
    private static String alert(String quote) {
        Matcher m = Pattern.compile("^\\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\\]\\s*")
                .matcher(quote);
        if (!m.find()) {
            return quote;
        }
        String kind = m.group(1);
        return kind.charAt(0) + kind.substring(1).toLowerCase(Locale.ROOT) + ": " + quote.substring(m.end());
    }

    private static String blockText(Node node, int depth) {
        StringBuilder out = new StringBuilder();
        for (Node child = node.getFirstChild(); child != null; child = child.getNext()) {
            String part = text(child, depth + 1);
            if (part.isEmpty()) {
                continue;
            }
            if (out.length() > 0) {
                out.append("\n");
            }
            if (child instanceof ListItem) {
                out.append("- ");
            }
            out.append(part);
            if (out.length() > 4 * MAX_ITEM) {
                break;
            }
        }
        return out.toString();
    }

    private static String inline(Node node, int depth) {
        if (depth > MAX_DEPTH) {
            return "...";
        }
        if (node instanceof Text text) {
            return text.getLiteral();
        }
        if (node instanceof Code code) {
            return "`" + code.getLiteral() + "`";
        }
        if (node instanceof HtmlInline html) {
            return html.getLiteral();
        }
        if (node instanceof SoftLineBreak) {
            return " ";
        }
        if (node instanceof HardLineBreak) {
            return "\n";
        }
        StringBuilder out = new StringBuilder();
        for (Node child = node.getFirstChild(); child != null; child = child.getNext()) {
            out.append(inline(child, depth + 1));
            if (out.length() > 4 * MAX_ITEM) {
                break;
            }
        }
        if (node instanceof Link link && !out.toString().equals(link.getDestination())) {
            out.append(" (").append(link.getDestination()).append(')');
        }
        if (node instanceof Image image && out.length() == 0 && image.getTitle() != null) {
            out.append(image.getTitle());
        }
        return out.toString();
    }
}

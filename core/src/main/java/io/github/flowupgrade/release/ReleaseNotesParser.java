package io.github.flowupgrade.release;

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
 * <p>Only the five steps in {@link TaskKind} become tasks, and only when a step says nothing but that: any other step,
 * and every paragraph, note or section it does not recognise, is kept verbatim as a manual item. Nothing from the notes
 * is ever run. Hostile input is bounded: the body is cut at {@link #MAX_BODY} characters, nesting is capped, control
 * characters are dropped and each manual item is clipped.
 */
public final class ReleaseNotesParser {
    static final int MAX_BODY = 512 * 1024;
    static final int MAX_ITEM = 2000;
    private static final int MAX_DEPTH = 24;

    private final Parser markdown =
            Parser.builder().maxOpenBlockParsers(48).maxInlineNesting(24).build();

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

    /** An overview that says the release asks for nothing beyond the usual steps: nothing for a human to do. */
    private static final Pattern NOTHING_SPECIAL =
            Pattern.compile("^this release contains no (?:special |particular )?upgrade (?:notes|instructions)"
                    + "|^no (?:special|particular) upgrade (?:notes|instructions|steps)");

    private static final Pattern EMOJI_PREFIX =
            Pattern.compile("^(?::[a-z_]+:|[\u2139\u203C\u26A0\uFE0F]|[^\\p{L}\\p{N}])+");
    private static final Pattern REQUIRE_BUMP = Pattern.compile(
            "the minim(?:um|al) supported version (?:for|of) ([a-z. ]+?) has been (?:bumped|raised) to ([0-9]{1,9}(?:\\.[0-9]{1,9}){0,3})");
    private static final Pattern VERSION = Pattern.compile("([0-9]{1,9}(?:\\.[0-9]{1,9}){0,3})");
    private static final Pattern INSTRUCTION_WORDS = Pattern.compile(
            "\\b(make sure|must|need to|needs to|required|requires|please|should|ensure|important|before (?:upgrading|updating))\\b");

    /** Step wordings (code spans removed, lower case, no ':' or ',') that say nothing beyond their canonical tasks. */
    private static final List<Pattern> TASK_STEP_WORDINGS = List.of(
            Pattern.compile("install (?:the )?dependencies(?: with| using)?(?: and)?"),
            Pattern.compile("precompile the assets"),
            Pattern.compile("run the pre-deployment database migrations(?: by specifying the environment variable)?"),
            Pattern.compile("run the post-deployment database migrations"),
            Pattern.compile("now that the new code is running we can finish the database migrations\\.? "
                    + "this will run the post-deployment ones"));

    private static final Pattern RESTART_STEP = Pattern.compile(
            "restart all mastodon processes(?:\\.? if you are "
                    + "(?:updating|upgrading) directly from a mastodon version earlier than [0-9.]+ see the [^.]{1,80} section)?");

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
        private boolean streaming;
        private boolean backupAdvised;
        private final Map<TaskKind, String> tasks = new EnumMap<>(TaskKind.class);
        private Requirements requirements = Requirements.none();
        private final List<String> manual = new ArrayList<>();
        private final List<String> otherRequirements = new ArrayList<>();
        private String freeformTitle;
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
                manual.add("The notes of " + tag + " are longer than " + MAX_BODY + " characters; only the start was "
                        + "read. Read them in full" + where() + ".");
            }
            boolean stepsMissing = !stepsFound;
            if (stepsMissing) {
                manual.add("The notes of " + tag + " have no update steps here (cut short or missing); the plan "
                        + "only has what their overview flags say. Read the full notes" + where()
                        + " and carry out their steps by hand.");
            }
            // 3.x notes have no overview flags; their "Restart all Mastodon processes" includes streaming.
            boolean eraA = !seenOverview && !modernLayout;
            return new ReleaseNotes(
                    tag,
                    streaming || (eraA && restartAll),
                    tasks,
                    requirements,
                    manual,
                    otherRequirements,
                    stepsMissing,
                    backupAdvised);
        }

        private String where() {
            return url == null ? " on its release page" : " at " + url;
        }

        private void enter(String title) {
            String t = normalize(title);
            platform = Platform.ANY;
            if (t.equals("upgrade overview")) {
                section = Section.OVERVIEW;
                seenOverview = true;
            } else if (t.startsWith("changelog")
                    || List.of("added", "changed", "removed", "fixed", "security", "deprecated", "breaking changes")
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
            } else if (isNonDocker(t)) {
                section = Section.STEPS;
                platform = Platform.NON_DOCKER;
            } else if (t.contains("docker")) {
                // "When using Docker" steps, "Docker image split": not for the installations this tool upgrades.
                section = seenUpgradeNotes ? Section.STEPS : Section.IGNORED;
                platform = Platform.DOCKER;
            } else if (List.of("translators", "contributors", "new contributors")
                    .contains(t)) {
                section = Section.IGNORED;
            } else if (seenUpgradeNotes) {
                section = Section.FREEFORM;
                freeformTitle = title;
            } else if (section == Section.PREAMBLE || section == Section.OVERVIEW) {
                section = Section.PREAMBLE;
            }
        }

        private void block(Node block) {
            if (block instanceof ThematicBreak) {
                return;
            }
            switch (section) {
                case CHANGELOG, IGNORED -> {}
                case PREAMBLE -> preamble(block);
                case OVERVIEW -> overview(block);
                case UPGRADE_NOTES, STEPS -> steps(block);
                case DEPENDENCIES -> dependencies(block);
                case FREEFORM -> {
                    if (!(block instanceof HtmlBlock html && isComment(html))) {
                        freeform.append(freeform.length() == 0 ? "" : "\n").append(text(block, 0));
                    }
                }
            }
        }

        private void flushFreeform() {
            if (freeformTitle != null) {
                String text = freeform.toString().strip();
                manual.add(clip(freeformTitle + (text.isEmpty() ? "" : ": " + text)));
            }
            freeformTitle = null;
            freeform.setLength(0);
        }

        private void preamble(Node block) {
            if (block instanceof HtmlBlock) {
                return; // the logo
            }
            String text = text(block, 0);
            if (INSTRUCTION_WORDS.matcher(text.toLowerCase(Locale.ROOT)).find()) {
                manual.add(clip(text));
            }
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
            } else if (!(block instanceof HtmlBlock html && isComment(html))) {
                manual.add(clip(text(block, 0)));
            }
        }

        private void overviewLine(String line) {
            String t = normalize(EMOJI_PREFIX.matcher(line.strip()).replaceFirst(""));
            if (t.isEmpty()
                    || t.startsWith("this release contains upgrade notes that deviate from the norm")
                    || NOTHING_SPECIAL.matcher(t).find()
                    || t.startsWith("for more information")) {
                return;
            }
            Matcher bump = REQUIRE_BUMP.matcher(t);
            if (bump.find()) {
                String dependency = dependency(bump.group(1));
                if (dependency != null) {
                    requirements = requirements.with(dependency, bump.group(2));
                } else {
                    otherRequirements.add(clip(line.strip()));
                }
                return;
            }
            if (t.contains("streaming") && t.contains("restart")) {
                streaming = true;
            } else if (t.matches("requires (?:unusually long )?database migrations")) {
                tasks.put(TaskKind.PRE_DEPLOYMENT_MIGRATIONS, TaskKind.PRE_DEPLOYMENT_MIGRATIONS.defaultCommand());
                tasks.put(TaskKind.POST_DEPLOYMENT_MIGRATIONS, TaskKind.POST_DEPLOYMENT_MIGRATIONS.defaultCommand());
                if (t.contains("unusually long")) {
                    manual.add(clip(line.strip()));
                }
            } else if (t.matches("requires assets? (?:re)?compilation|requires assets? precompilation")) {
                tasks.put(TaskKind.ASSETS_PRECOMPILE, TaskKind.ASSETS_PRECOMPILE.defaultCommand());
            } else {
                manual.add(clip(line.strip()));
            }
        }

        private void dependencies(Node block) {
            if (block instanceof ListBlock list) {
                for (Node item = list.getFirstChild(); item != null; item = item.getNext()) {
                    requirement(clean(text(item, 0)));
                }
            } else if (block instanceof Paragraph) {
                String text = clean(text(block, 0));
                if (!normalize(text)
                        .matches("external dependencies have not changed (?:since|compared to) v?[0-9.]+\\.?")) {
                    manual.add(clip(text));
                }
            } else if (!(block instanceof HtmlBlock html && isComment(html))) {
                manual.add(clip(text(block, 0)));
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
            if (platform == Platform.DOCKER || block instanceof HtmlBlock html && isComment(html)) {
                return;
            }
            if (block instanceof ListBlock list) {
                stepsFound = true;
                for (Node item = list.getFirstChild(); item != null; item = item.getNext()) {
                    step((ListItem) item);
                }
            } else if (block instanceof BlockQuote) {
                String text = clean(text(block, 0));
                if (text.toLowerCase(Locale.ROOT).contains("make sure you have backups of the database")) {
                    backupAdvised = true;
                } else {
                    manual.add(clip(text));
                }
            } else if (block instanceof Paragraph) {
                String text = clean(text(block, 0));
                String t = normalize(text);
                boolean boilerplate = t.startsWith("to get the code for")
                        || t.startsWith("because this is a backport, it is not available with")
                        || t.startsWith("the following instructions are for updating from")
                        || t.startsWith("if you are upgrading directly from an earlier release")
                        || t.matches("if you are updating from .{1,120} see the (?:next|previous) section\\.?");
                if (!boilerplate) {
                    manual.add(clip(text));
                }
            } else {
                manual.add(clip(text(block, 0)));
            }
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
            List<String> commandParts = new ArrayList<>();
            boolean platformSplit = false;
            boolean nonDockerPart = false;
            for (Node child = item.getFirstChild(); child != null; child = child.getNext()) {
                if (child instanceof ListBlock sub && hasPlatformItems(sub)) {
                    platformSplit = true;
                    for (Node subItem = sub.getFirstChild(); subItem != null; subItem = subItem.getNext()) {
                        String subText = clean(text(subItem, 0));
                        String t = normalize(subText);
                        if (isNonDocker(t)) {
                            nonDockerPart = true;
                            commandParts.add(subText.replaceFirst("^(?i)non[- ]docker( only)?:\\s*", ""));
                            codes(subItem, codes, 0);
                        } else if (!t.startsWith("docker")) {
                            commandParts.add(subText);
                            codes(subItem, codes, 0);
                        }
                    }
                } else {
                    description.append(description.length() == 0 ? "" : " ").append(clean(text(child, 0)));
                    codes(child, codes, 0);
                }
            }
            if (platformSplit && !nonDockerPart && commandParts.isEmpty()) {
                // Only a Docker variant; a non-Docker "Both" step without a non-Docker line is a plain step.
                if (!normalize(description.toString()).startsWith("restart")) {
                    return;
                }
            }
            String verbatim =
                    clip((description + (commandParts.isEmpty() ? "" : " " + String.join(" ", commandParts))).strip());
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
            String wording = normalize(description.toString().replaceAll("`[^`]*`", " "))
                    .replaceAll("[:,]", "")
                    .replaceAll("\\s+", " ")
                    .strip();
            if (!unknownCode && found.isEmpty() && RESTART_STEP.matcher(wording).matches()) {
                restartAll = true;
                return;
            }
            boolean knownWording =
                    TASK_STEP_WORDINGS.stream().anyMatch(p -> p.matcher(wording).matches());
            if (!unknownCode && !found.isEmpty() && knownWording) {
                found.forEach(tasks::put);
            } else {
                manual.add(verbatim);
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

    /** Lower case, single spaces, no trailing punctuation: for comparing wordings. */
    private static String normalize(String s) {
        return s.toLowerCase(Locale.ROOT)
                .replace('\u2019', '\'')
                .replaceAll("\\s+", " ")
                .strip()
                .replaceAll("[.:;!]+$", "")
                .strip();
    }

    /** Text without control characters (other than newlines), so nothing reaches a terminal as an escape sequence. */
    private static String clean(String s) {
        return s.replaceAll("[\\p{Cntrl}&&[^\n]]", " ")
                .replaceAll("[\u200B-\u200F\u202A-\u202E\u2066-\u2069]", "")
                .strip();
    }

    private static String clip(String s) {
        String c = clean(s);
        return c.length() <= MAX_ITEM
                ? c
                : c.substring(0, MAX_ITEM) + "... (" + (c.length() - MAX_ITEM) + " more characters in the notes)";
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

package io.github.flowupgrade.release;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a sentence of release notes says, read on its words alone: that nothing is to be done, that it is for Docker
 * installations only, that it only reports a change, or that it asks something of the reader. The parser decides by
 * where a text stands (overview, section, update step, Docker list) and asks these questions of its words.
 */
final class NoteWording {
    private NoteWording() {}

    /** A text that says the release asks for nothing beyond the usual steps (matched against the whole text). */
    private static final Pattern NOTHING_SPECIAL = Pattern.compile("nothing (?:else )?special(?: to do)?"
            + "|(?:this release contains |there are )?no (?:special |particular |additional |extra )?"
            + "(?:upgrade |update )?(?:notes|instructions|steps)(?: that deviate from the norm)?"
            + "(?: (?:are |is )?(?:needed|required))?");
    /** A sentence that only says something is not needed (matched against one whole sentence). */
    private static final Pattern NOTHING_NEEDED = Pattern.compile("(?:there is |there's )?no need to [^,`]{1,120}"
            + "|no [^,`]{1,80} (?:is|are) (?:needed|required|necessary)"
            + "|[^,`]{1,80} (?:is|are) not (?:needed|required|necessary)(?: [^,`]{1,80})?"
            + "|[^,`]{1,80} (?:does not|doesn't|do not|don't) (?:need|require)s? [^,`]{1,120}");

    private static final Pattern BUT_OR_CONDITION = Pattern.compile(
            "^(?:if|unless|when|before|after) |\\b(?:but|however|instead|must|make sure|please|should|ensure)\\b");

    private static final Pattern INSTRUCTION_WORDS = Pattern.compile(
            "\\b(make sure|must|need to|needs to|requires|please|should|ensure|important|before (?:upgrading|updating))\\b");
    /** "Please update as soon as possible": the reader is already updating. */
    private static final Pattern URGES_UPDATE = Pattern.compile("(?:please )?(?:update|upgrade)(?: to this"
            + " (?:version|release))? (?:as soon as possible|immediately|promptly|now)"
            + "|(?:recommend|urge|advise|encourage)\\w* (?:you |all admins |admins |everyone |all servers )?(?:to )?"
            + "(?:update|upgrad)");
    /** An overview flag that only reports a change, asking nothing ("The logging format ... has changed"). */
    private static final Pattern NOTICE = Pattern.compile(
            "(?:the )?[^,;]{1,80} (?:has|have) changed|starting (?:from|with) this (?:release|version),? .+");

    private static final Pattern DOCKER_WORD = Pattern.compile("\\bdocker\\b|\\bcontainer images?\\b");
    private static final Pattern NOT_DOCKER = Pattern.compile("non-docker|non docker|\\bnot (?:using|use|run|running)"
            + " (?:our |the |official )?(?:docker|container)|without docker|(?:do not|don't) use docker");
    /** A step or paragraph that opens with a Docker condition ("Docker:", "If you use Docker, ..."). */
    private static final Pattern DOCKER_CONDITION = Pattern.compile("^(?:docker(?: only)?\\s*:|when using docker"
            + "|if you (?:are )?(?:use|using|run|running) (?:the )?(?:official )?(?:docker|container image)"
            + "|for docker(?: installations| users)?\\b)");

    private static final Pattern DOCKER_STEP_LIST = Pattern.compile(
            "(?:when |if )?(?:using |with |for )?docker(?: only| installations?| users| compose| setups?)?"
                    + "|docker-compose|docker only|docker-only");
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.;!?])\\s+|\\n");

    /** "Nothing special", or only sentences saying something is not needed. */
    static boolean nothingToDo(String text) {
        String t = normalize(text);
        if (NOTHING_SPECIAL.matcher(t).matches()) {
            return true;
        }
        if (t.isEmpty() || t.contains("`")) {
            return false;
        }
        for (String sentence : SENTENCE_END.split(t)) {
            String s = normalize(sentence);
            if (!s.isEmpty()
                    && (!NOTHING_NEEDED.matcher(s).matches()
                            || BUT_OR_CONDITION.matcher(s).find())) {
                return false;
            }
        }
        return true;
    }

    /** The text without its sentences that open with a Docker condition ("Docker: `docker-compose up -d`."). */
    static String withoutDockerSentences(String text) {
        StringBuilder kept = new StringBuilder();
        for (String sentence : SENTENCE_END.split(text)) {
            if (!DOCKER_CONDITION.matcher(normalize(sentence)).find()) {
                kept.append(kept.length() == 0 ? "" : " ").append(sentence);
            }
        }
        return kept.toString();
    }

    /** Names Docker (or its container images) and not as something the reader does not use. */
    static boolean mentionsDockerOnly(String normalized) {
        return DOCKER_WORD.matcher(normalized).find()
                && !NOT_DOCKER.matcher(normalized).find();
    }

    /** A GitHub {@code > [!TIP]} alert (read as "Tip: ..."): advice for when something goes wrong. */
    static boolean isTip(String text) {
        return text.startsWith("Tip: ");
    }

    /** An instruction word in a sentence that does more than urge to update. */
    static boolean asksSomething(String normalized) {
        for (String sentence : SENTENCE_END.split(normalized)) {
            if (INSTRUCTION_WORDS.matcher(sentence).find()
                    && !URGES_UPDATE.matcher(sentence).find()) {
                return true;
            }
        }
        return false;
    }

    /** An overview flag that only reports a change and asks nothing. */
    static boolean isNotice(String normalized) {
        return NOTICE.matcher(normalized).matches()
                && !INSTRUCTION_WORDS.matcher(normalized).find();
    }

    /** A text naming nothing but "nothing special" (the whole of it). */
    static boolean isNothingSpecial(String normalized) {
        return NOTHING_SPECIAL.matcher(normalized).matches();
    }

    /** A heading that names Docker ("When using Docker", "Docker image split"). */
    static boolean namesDocker(String normalizedTitle) {
        return DOCKER_WORD.matcher(normalizedTitle).find();
    }

    /** A heading over Docker's own step list rather than a section about Docker. */
    static boolean isDockerStepList(String normalizedTitle) {
        return DOCKER_STEP_LIST.matcher(normalizedTitle).matches();
    }

    /** A step or paragraph that opens with a Docker condition ("Docker:", "If you use Docker, ..."). */
    static boolean opensWithDocker(String normalized) {
        return DOCKER_CONDITION.matcher(normalized).find();
    }

    /** Lower case, single spaces, no trailing punctuation: for comparing wordings. */
    static String normalize(String s) {
        return s.toLowerCase(Locale.ROOT)
                .replace('\u2019', '\'')
                .replaceAll("\\s+", " ")
                .strip()
                .replaceAll("[.:;!]+$", "")
                .strip();
    }

    /** Text without control characters (other than newlines), so nothing reaches a terminal as an escape sequence. */
    static String clean(String s) {
        return s.replaceAll("[\\p{Cntrl}&&[^\n]]", " ")
                .replaceAll("[\u200B-\u200F\u202A-\u202E\u2066-\u2069]", "")
                .strip();
    }

    private static final Pattern CLIPPED = Pattern.compile("\\.\\.\\. \\([0-9]{1,9} more characters in the notes\\)$");

    /** At most {@link #ReleaseNotesParser.MAX_ITEM} characters and a note of how many more there were; clipping twice changes nothing. */
    static String clip(String s) {
        String c = clean(s);
        if (c.length() <= ReleaseNotesParser.MAX_ITEM
                || c.length() <= ReleaseNotesParser.MAX_ITEM + 48
                        && CLIPPED.matcher(c).find()) {
            return c;
        }
        return c.substring(0, ReleaseNotesParser.MAX_ITEM) + "... (" + (c.length() - ReleaseNotesParser.MAX_ITEM)
                + " more characters in the notes)";
    }
}

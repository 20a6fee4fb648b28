package io.github.flowupgrade.release;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How release notes word restarts, read on lower-case text with single spaces. flow restarts sidekiq and reloads web
 * itself and restarts streaming behind its approval gate, so a text made only of restart wording asks nothing of a
 * human; whether it asks for a streaming restart, or rules one out, is read sentence by sentence.
 */
final class RestartWording {
    private RestartWording() {}

    /** What a text says about restarting. */
    enum Kind {
        /** Only restarts flow performs (and, optionally, streaming phrasing or a pointer to another section). */
        RESTART,
        /** Only says that streaming (or nothing) needs no restart. */
        NO_STREAMING_RESTART,
        /** Anything else. */
        OTHER
    }

    /** A text's wording about the streaming server. */
    record Streaming(boolean restart, boolean noRestart) {
        static final Streaming NONE = new Streaming(false, false);

        Streaming or(Streaming o) {
            return new Streaming(restart || o.restart, noRestart || o.noRestart);
        }
    }

    private static final String VERB = "(?:restart|reload)";
    private static final String RESTARTED = "(?:restart(?:ed|ing)?|reload(?:ed|ing)?)\\b";
    private static final String STREAMING =
            "(?:the )?(?:mastodon-)?streaming(?: api| server)*(?: process| processes| service| services| containers?)?";
    private static final String UNIT = "(?:the )?(?:mastodon[- ])?(?:web|puma|sidekiq|streaming)(?:@[a-z0-9_.-]+)?"
            + "(?:\\.service)?(?: (?:api |web )?(?:server|servers|api|service|services|process|processes|workers?"
            + "|units?|nodes?|containers?))?";
    private static final String ALL = "(?:all (?:of )?(?:the |your )?(?:mastodon |app |application )?"
            + "(?:processes|services)|(?:the |your )(?:mastodon |app |application )(?:processes|services)"
            + "|all (?:of )?mastodon|mastodon)";
    /** Ends a word: "restart mastodon" must not match the start of "restart mastodon-web". */
    private static final String END = "(?![\\w@.-]*\\w)";

    private static final String OBJECT = "(?:" + ALL + "|" + UNIT + ")" + END;
    private static final Pattern CLAUSE =
            Pattern.compile(VERB + " " + OBJECT + "(?:(?: ?,| and|, and| &) (?:" + VERB + " )?" + OBJECT + ")*");
    private static final Pattern INCLUDING =
            Pattern.compile("(?:including|as well as|along with|and also|plus) " + STREAMING + END);
    private static final Pattern SEE_SECTION = Pattern.compile(
            "(?:if you are (?:updating|upgrading) (?:directly )?from [^,;]{1,80}?,? )?see the [^.;]{1,80}? section"
                    + "(?: (?:above|below))?(?: for more information)?");
    private static final String NOT =
            "(?:does not|doesn't|do not|don't|will not|won't|need not|needn't|should not|shouldn't)";
    private static final List<Pattern> NEGATIONS = List.of(
            Pattern.compile("(?:there is |there's )?no need to " + VERB + " " + STREAMING),
            Pattern.compile(STREAMING + " " + NOT + "(?: need| require)?(?: to)?(?: be)?(?: a)? " + RESTARTED),
            Pattern.compile("(?:you )?" + NOT + " (?:need|have) to " + VERB + " " + STREAMING),
            Pattern.compile("(?:it is |it's )?not (?:necessary|needed|required) to " + VERB + " " + STREAMING),
            Pattern.compile("(?:a |the )?(?:restart of " + STREAMING + "|" + STREAMING + " restart) (?:is not|isn't) "
                    + "(?:needed|required|necessary)"),
            Pattern.compile("no " + STREAMING + " restart(?: is)?(?: needed| required| necessary)?"),
            Pattern.compile("(?:but |except (?:for )?)(?:not )?" + STREAMING + END),
            Pattern.compile("without (?:restarting|reloading) " + STREAMING));

    private static final Pattern SEPARATORS = Pattern.compile(
            "\\b(?:and|then|also|finally|now|please|afterwards|but|only)\\b|non-docker(?: only)?:|[\\s.,;:()!-]+");
    private static final Pattern RESTART_WORD =
            Pattern.compile("\\b(?:restart|restarts|restarted|restarting|reload|reloads|reloaded|reloading)\\b");
    private static final Pattern STREAMING_WORD = Pattern.compile("\\bstreaming\\b");
    private static final Pattern NEGATION = Pattern.compile(
            "\\b(?:not|no|without|except|never|nor|needn't|don't|doesn't|isn't|aren't|won't|shouldn't)\\b");
    private static final Pattern RESTART_ALL = Pattern.compile(
            "\\brestart (?:all (?:of )?(?:the |your )?(?:mastodon |app |application )?(?:processes|services)"
                    + "|all (?:of )?mastodon)\\b");
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.;!?])\\s+|\\n");
    /** {@code systemctl restart mastodon-sidekiq} and the like: restart wording, not a command. */
    private static final Pattern SYSTEMCTL = Pattern.compile("(?:sudo )?systemctl (restart|reload|reload-or-restart"
            + "|try-restart)((?: mastodon-(?:web|sidekiq|streaming)(?:@[a-z0-9_.-]+)?(?:\\.service)?)+)");

    private static final Pattern CODE_SPAN = Pattern.compile("`([^`]*)`");

    /**
     * Rewrites code spans that only restart or reload the application's units into words ({@code `systemctl restart
     * mastodon-web && systemctl reload mastodon-web`} becomes {@code restart mastodon-web and reload mastodon-web});
     * any other code span stays as it is.
     */
    static String systemctlAsWords(String lowerCase) {
        return CODE_SPAN.matcher(lowerCase).replaceAll(span -> {
            List<String> words = new ArrayList<>();
            for (String command : span.group(1).split("\\s*(?:&&|;)\\s*")) {
                Matcher m = SYSTEMCTL.matcher(command.strip());
                if (!m.matches()) {
                    return Matcher.quoteReplacement(span.group());
                }
                String verb = m.group(1).startsWith("reload") ? "reload" : "restart";
                words.add(verb + " " + String.join(" and ", m.group(2).strip().split(" ")));
            }
            return Matcher.quoteReplacement(String.join(" and ", words));
        });
    }

    /** Whether {@code normalized} is made only of restart wording (see {@link Kind}). */
    static Kind kind(String normalized) {
        String s = systemctlAsWords(normalized)
                .replaceAll("`([a-z0-9_@.-]+)`", "$1") // `web`, `sidekiq`: names, not commands
                .replaceFirst("^(?:both docker and non-docker|non-docker(?: only)?|non docker)\\s*:\\s*", "");
        s = SEE_SECTION.matcher(s).replaceAll(" ");
        for (Pattern negation : NEGATIONS) {
            s = negation.matcher(s).replaceAll(" ");
        }
        s = INCLUDING.matcher(s).replaceAll(" ");
        String withoutClauses = CLAUSE.matcher(s).replaceAll(" ");
        boolean clause = !withoutClauses.equals(s);
        if (!SEPARATORS.matcher(withoutClauses).replaceAll("").isEmpty()) {
            return Kind.OTHER;
        }
        if (clause) {
            return Kind.RESTART;
        }
        return streaming(normalized).noRestart() ? Kind.NO_STREAMING_RESTART : Kind.OTHER;
    }

    /** What the sentences of {@code normalized} that name both streaming and a restart say. */
    static Streaming streaming(String normalized) {
        Streaming found = Streaming.NONE;
        for (String sentence : SENTENCE_END.split(systemctlAsWords(normalized))) {
            if (STREAMING_WORD.matcher(sentence).find()
                    && RESTART_WORD.matcher(sentence).find()) {
                found = found.or(
                        NEGATION.matcher(sentence).find() ? new Streaming(false, true) : new Streaming(true, false));
            }
        }
        return found;
    }

    /** "Restart all Mastodon processes": in the 2019-2022 notes, which have no overview, this includes streaming. */
    static boolean restartsAll(String normalized) {
        return RESTART_ALL.matcher(normalized).find();
    }
}

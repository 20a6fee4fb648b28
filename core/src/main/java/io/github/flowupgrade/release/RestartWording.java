package io.github.flowupgrade.release;

import io.github.flowupgrade.app.AppProfile;
import io.github.flowupgrade.app.ServiceUnits;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How release notes word restarts, read on lower-case text with single spaces, with the application's names (see
 * {@link #of}). flow restarts sidekiq and reloads web itself and restarts streaming behind its approval gate, so a
 * text made only of restart wording asks nothing of a human; whether it asks for a streaming restart, or rules one
 * out, is read sentence by sentence.
 */
final class RestartWording {
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
    private static final String ROLE = "(?:web|puma|sidekiq|streaming)";
    /** Ends a word: "restart mastodon" must not match the start of "restart mastodon-web". */
    private static final String END = "(?![\\w@.-]*\\w)";
    /** Starts a word: "evil-mastodon-web" is not a unit of the application. */
    private static final String START = "(?<![\\w@.-])";

    private static final Pattern SEE_SECTION = Pattern.compile(
            "(?:if you are (?:updating|upgrading) (?:directly )?from [^,;]{1,80}?,? )?see the [^.;]{1,80}? section"
                    + "(?: (?:above|below))?(?: for more information)?");
    private static final String NOT =
            "(?:does not|doesn't|do not|don't|will not|won't|need not|needn't|should not|shouldn't)";

    private static final Pattern SEPARATORS = Pattern.compile(
            "\\b(?:and|then|also|finally|now|please|afterwards|but|only)\\b|non-docker(?: only)?:|[\\s.,;:()!-]+");
    private static final Pattern RESTART_WORD =
            Pattern.compile("\\b(?:restart|restarts|restarted|restarting|reload|reloads|reloaded|reloading)\\b");
    private static final Pattern STREAMING_WORD = Pattern.compile("\\bstreaming\\b");
    private static final Pattern NEGATION = Pattern.compile(
            "\\b(?:not|no|without|except|never|nor|needn't|don't|doesn't|isn't|aren't|won't|shouldn't)\\b");
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.;!?])\\s+|\\n");
    private static final Pattern CODE_SPAN = Pattern.compile("`([^`]*)`");

    /** The restart wording of Mastodon's own notes, for Mastodon and as the default. */
    static final RestartWording MASTODON = of(AppProfile.mastodon());

    /** Each unit of the profile that its role's usual name does not already cover, with the role it stands for. */
    private final Map<Pattern, String> renamedUnits = new LinkedHashMap<>();

    private final Pattern clause;
    private final Pattern including;
    private final List<Pattern> negations;
    private final Pattern restartAll;
    private final Pattern systemctl;

    private RestartWording(List<String> appNames, Map<String, String> unitRoles) {
        // The application's names as notes spell them, lower case: mastodon, and the profile's own name.
        String names =
                "(?:" + String.join("|", appNames.stream().map(Pattern::quote).toList()) + ")";
        String usualUnit = "(?:" + names + "-)" + ROLE + "(?:@[a-z0-9_.-]+)?";
        for (Map.Entry<String, String> unit : unitRoles.entrySet()) {
            if (!unit.getKey().matches(usualUnit)) {
                renamedUnits.put(Pattern.compile(START + Pattern.quote(unit.getKey()) + END), unit.getValue());
            }
        }
        String streaming = "(?:the )?(?:" + names + "-)?streaming(?: api| server)*"
                + "(?: process| processes| service| services| containers?)?";
        String unit = "(?:the )?(?:" + names + "[- ])?" + ROLE + "(?:@[a-z0-9_.-]+)?"
                + "(?:\\.service)?(?: (?:api |web )?(?:server|servers|api|service|services|process|processes|workers?"
                + "|units?|nodes?|containers?))?";
        String all = "(?:all (?:of )?(?:the |your )?(?:" + names + " |app |application )?"
                + "(?:processes|services)|(?:the |your )(?:" + names + " |app |application )(?:processes|services)"
                + "|all (?:of )?" + names + "|" + names + ")";
        String object = "(?:" + all + "|" + unit + ")" + END;
        clause = Pattern.compile(VERB + " " + object + "(?:(?: ?,| and|, and| &) (?:" + VERB + " )?" + object + ")*");
        including = Pattern.compile("(?:including|as well as|along with|and also|plus) " + streaming + END);
        negations = List.of(
                Pattern.compile("(?:there is |there's )?no need to " + VERB + " " + streaming),
                Pattern.compile(streaming + " " + NOT + "(?: need| require)?(?: to)?(?: be)?(?: a)? " + RESTARTED),
                Pattern.compile("(?:you )?" + NOT + " (?:need|have) to " + VERB + " " + streaming),
                Pattern.compile("(?:it is |it's )?not (?:necessary|needed|required) to " + VERB + " " + streaming),
                Pattern.compile("(?:a |the )?(?:restart of " + streaming + "|" + streaming
                        + " restart) (?:is not|isn't) " + "(?:needed|required|necessary)"),
                Pattern.compile("no " + streaming + " restart(?: is)?(?: needed| required| necessary)?"),
                Pattern.compile("(?:but |except (?:for )?)(?:not )?" + streaming + END),
                Pattern.compile("without (?:restarting|reloading) " + streaming));
        restartAll = Pattern.compile("\\brestart (?:all (?:of )?(?:the |your )?(?:" + names
                + " |app |application )?(?:processes|services)|all (?:of )?" + names + ")\\b");
        List<String> units = new ArrayList<>(List.of(usualUnit));
        for (String u : unitRoles.keySet()) {
            units.add(Pattern.quote(u));
        }
        systemctl = Pattern.compile("(?:sudo )?systemctl (restart|reload|reload-or-restart|try-restart)((?: (?:"
                + String.join("|", units) + ")(?:\\.service)?)+)");
    }

    /**
     * The restart wording of {@code profile}'s notes: Mastodon's, with the profile's name beside "Mastodon" ("Restart
     * all Flow processes") and its units beside Mastodon's ({@code systemctl restart flow-sidekiq}, or a unit a JSON
     * profile renamed). Notes of derived projects often still say Mastodon, so that wording is always understood.
     */
    static RestartWording of(AppProfile profile) {
        List<String> appNames = new ArrayList<>(List.of("mastodon"));
        String own = profile.name().toLowerCase(Locale.ROOT);
        if (!appNames.contains(own)) {
            appNames.add(own);
        }
        Map<String, String> unitRoles = new LinkedHashMap<>();
        ServiceUnits services = profile.services();
        services.sidekiq().forEach(u -> unitRoles.put(u.toLowerCase(Locale.ROOT), "sidekiq"));
        services.web().forEach(u -> unitRoles.put(u.toLowerCase(Locale.ROOT), "web"));
        services.streaming().forEach(u -> unitRoles.put(u.toLowerCase(Locale.ROOT), "streaming"));
        return new RestartWording(appNames, unitRoles);
    }

    /** A profile's renamed units read as their roles: "restart hometown-push" is "restart streaming". */
    private String unitsAsRoles(String s) {
        for (Map.Entry<Pattern, String> unit : renamedUnits.entrySet()) {
            s = unit.getKey().matcher(s).replaceAll(unit.getValue());
        }
        return s;
    }

    /**
     * Rewrites code spans that only restart or reload the application's units into words ({@code `systemctl restart
     * mastodon-web && systemctl reload mastodon-web`} becomes {@code restart mastodon-web and reload mastodon-web});
     * any other code span stays as it is.
     */
    String systemctlAsWords(String lowerCase) {
        return CODE_SPAN.matcher(lowerCase).replaceAll(span -> {
            List<String> words = new ArrayList<>();
            for (String command : span.group(1).split("\\s*(?:&&|;)\\s*")) {
                Matcher m = systemctl.matcher(command.strip());
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
    Kind kind(String normalized) {
        String s = unitsAsRoles(systemctlAsWords(normalized))
                .replaceAll("`([a-z0-9_@.-]+)`", "$1") // `web`, `sidekiq`: names, not commands
                .replaceFirst("^(?:both docker and non-docker|non-docker(?: only)?|non docker)\\s*:\\s*", "");
        s = SEE_SECTION.matcher(s).replaceAll(" ");
        for (Pattern negation : negations) {
            s = negation.matcher(s).replaceAll(" ");
        }
        s = including.matcher(s).replaceAll(" ");
        String withoutClauses = clause.matcher(s).replaceAll(" ");
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
    Streaming streaming(String normalized) {
        Streaming found = Streaming.NONE;
        for (String sentence : SENTENCE_END.split(unitsAsRoles(systemctlAsWords(normalized)))) {
            if (STREAMING_WORD.matcher(sentence).find()
                    && RESTART_WORD.matcher(sentence).find()) {
                found = found.or(
                        NEGATION.matcher(sentence).find() ? new Streaming(false, true) : new Streaming(true, false));
            }
        }
        return found;
    }

    /** "Restart all Mastodon processes": in the 2019-2022 notes, which have no overview, this includes streaming. */
    boolean restartsAll(String normalized) {
        return restartAll.matcher(normalized).find();
    }
}

package io.github.flowupgrade.release;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Joins the pieces of one release's notes that are the same instruction: Mastodon's notes often say one thing three
 * times, as an overview flag ({@code ‼️ Requires new encryption secrets environment variables}), as a section under
 * "Upgrade notes" ("Active Record encryption secrets configuration") and as a numbered update step ("Generate secrets
 * by running ..."). A human should confirm it once, reading all of it.
 *
 * <p>Sections anchor groups. A flag joins the section it shares the most words with; a step joins the section it names
 * ("see the “Yarn 4 and corepack” section") or else the section or flag it shares the most words with. Two shared
 * words (after dropping common ones and folding word endings) are needed, so unrelated steps stay apart; steps never
 * join other steps, so two different instructions are never merged.
 */
final class InstructionGroups {
    private InstructionGroups() {}

    enum Kind {
        FLAG,
        SECTION,
        STEP,
        /** Text that stays on its own (a paragraph before the overview, a tip, a notice flow adds). */
        PROSE
    }

    /** One piece of the notes, in document order, with what it would be on its own. */
    record Part(int order, Kind kind, NoteClass kindOfNote, String title, String text) {}

    /** An instruction as a human reads it: every piece of it, and its class. */
    record Item(int order, NoteClass kindOfNote, String text) {}

    private static final int MIN_SHARED = 2;
    private static final Pattern SECTION_REFERENCE =
            Pattern.compile("[“\"']([^”\"']{3,80})[”\"'] section", Pattern.CASE_INSENSITIVE);
    private static final Set<String> COMMON = words(
            "the and for with from that this then them they their your you are was were been being has have had not"
                    + " can will may might must should would could all any some more most other into onto over under"
                    + " about after before when what which who how also just only than such its use used using uses"
                    + " run running runs make sure need needs needed require requires required new now each per via see"
                    + " section above below information following instruction instructions step steps update updates"
                    + " updated updating upgrade upgrades upgrading version versions release releases mastodon docker"
                    + " compose non production rails bundle exec bin env please note important like well here there"
                    + " these those does did done doing get set install installed installing installation directory"
                    + " directly process processes service services server servers configuration config environment"
                    + " variable variables database migration migrations restart restarting restarted change changes"
                    + " changed our out one two way want don can't won't doesn't either else same instead");

    static List<Item> group(List<Part> parts) {
        List<Group> groups = new ArrayList<>();
        Map<String, Group> sections = new HashMap<>();
        for (Part part : parts) {
            if (part.kind() == Kind.SECTION) {
                Group g = new Group(part, true);
                groups.add(g);
                sections.putIfAbsent(normalizeTitle(part.title()), g);
            }
        }
        List<Group> sectionGroups = List.copyOf(groups);
        for (Part part : parts) {
            if (part.kind() == Kind.FLAG) {
                Group best = best(part, sectionGroups);
                if (best == null) {
                    groups.add(new Group(part, true));
                } else {
                    best.add(part, true);
                }
            }
        }
        List<Group> anchors = List.copyOf(groups);
        for (Part part : parts) {
            if (part.kind() == Kind.STEP) {
                Group named = referenced(part, sections);
                Group best = named != null ? named : best(part, anchors);
                if (best == null) {
                    groups.add(new Group(part, false));
                } else {
                    best.add(part, false);
                }
            } else if (part.kind() == Kind.PROSE) {
                groups.add(new Group(part, false));
            }
        }
        return groups.stream()
                .map(Group::item)
                .sorted(Comparator.comparingInt(Item::order))
                .toList();
    }

    private static Group referenced(Part part, Map<String, Group> sections) {
        Matcher m = SECTION_REFERENCE.matcher(part.text());
        while (m.find()) {
            Group g = sections.get(normalizeTitle(m.group(1)));
            if (g != null) {
                return g;
            }
        }
        return null;
    }

    private static Group best(Part part, List<Group> candidates) {
        Set<String> stems = stemsOf(part.text());
        Group best = null;
        int bestScore = 0;
        for (Group g : candidates) {
            int score = g.score(stems);
            if (score > bestScore) {
                best = g;
                bestScore = score;
            }
        }
        return best;
    }

    private static String normalizeTitle(String title) {
        return title == null
                ? ""
                : title.toLowerCase(Locale.ROOT)
                        .replaceAll("[^\\p{L}\\p{N}]+", " ")
                        .strip();
    }

    /** Words folded to a stem (a plural's "s" dropped, at most six letters), common words and links left out. */
    static Set<String> stemsOf(String text) {
        Set<String> stems = words(text);
        stems.removeAll(COMMON);
        return stems;
    }

    private static Set<String> words(String text) {
        Set<String> stems = new LinkedHashSet<>();
        String t = text.toLowerCase(Locale.ROOT).replaceAll("https?://\\S+", " ");
        for (String word : t.split("[^\\p{L}\\p{N}]+")) {
            if (word.length() >= 3 && !word.chars().allMatch(Character::isDigit)) {
                stems.add(stem(word));
            }
        }
        return stems;
    }

    private static String stem(String word) {
        String w = word;
        if (w.length() > 4 && w.endsWith("s") && !w.endsWith("ss")) {
            w = w.substring(0, w.length() - 1);
        }
        return w.length() > 6 ? w.substring(0, 6) : w;
    }

    private static final class Group {
        private final List<Part> parts = new ArrayList<>();
        private final Set<String> anchorStems = new HashSet<>();
        private final Set<String> titleStems = new HashSet<>();

        Group(Part first, boolean anchor) {
            add(first, anchor);
        }

        void add(Part part, boolean anchor) {
            parts.add(part);
            if (anchor) {
                anchorStems.addAll(stemsOf(part.text()));
                if (part.title() != null) {
                    Set<String> title = stemsOf(part.title());
                    anchorStems.addAll(title);
                    titleStems.addAll(title);
                }
            }
        }

        /** Shared stems, words of a section title counting twice; 0 below {@link #MIN_SHARED}. */
        int score(Set<String> stems) {
            long shared = stems.stream().filter(anchorStems::contains).count();
            if (shared < MIN_SHARED) {
                return 0;
            }
            return (int) (shared + stems.stream().filter(titleStems::contains).count());
        }

        /**
         * A manual step if any piece asks something of a source installation (the Docker pieces then left out of its
         * text); else Docker-only if any piece is; else information.
         */
        Item item() {
            Set<NoteClass> kinds = parts.stream().map(Part::kindOfNote).collect(Collectors.toSet());
            NoteClass kind = kinds.contains(NoteClass.MANUAL)
                    ? NoteClass.MANUAL
                    : kinds.contains(NoteClass.DOCKER_ONLY) ? NoteClass.DOCKER_ONLY : NoteClass.INFORMATION;
            Function<Part, String> text =
                    p -> p.title() == null ? p.text() : p.title() + (p.text().isEmpty() ? "" : ": " + p.text());
            String joined = parts.stream()
                    .sorted(Comparator.comparingInt(Part::order))
                    .filter(p -> kind != NoteClass.MANUAL || p.kindOfNote() != NoteClass.DOCKER_ONLY)
                    .map(text)
                    .distinct()
                    .collect(Collectors.joining("\n"));
            int order = parts.stream().mapToInt(Part::order).min().orElse(0);
            return new Item(order, kind, NoteWording.clip(joined));
        }
    }
}

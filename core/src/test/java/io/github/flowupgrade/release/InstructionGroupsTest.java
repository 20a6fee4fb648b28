package io.github.flowupgrade.release;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flowupgrade.release.InstructionGroups.Item;
import io.github.flowupgrade.release.InstructionGroups.Kind;
import io.github.flowupgrade.release.InstructionGroups.Part;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which pieces of one release's notes are the same instruction. */
class InstructionGroupsTest {
    private static Part flag(int order, NoteClass kind, String text) {
        return new Part(order, Kind.FLAG, kind, null, text);
    }

    private static Part section(int order, NoteClass kind, String title, String text) {
        return new Part(order, Kind.SECTION, kind, title, text);
    }

    private static Part step(int order, NoteClass kind, String text) {
        return new Part(order, Kind.STEP, kind, null, text);
    }

    @Test
    void flagSectionAndStepOfOneTopicAreOneItemInDocumentOrder() {
        List<Item> items = InstructionGroups.group(List.of(
                flag(0, NoteClass.MANUAL, "‼️ Requires new encryption secrets environment variables"),
                section(1, NoteClass.MANUAL, "Active Record encryption secrets configuration", "Set the secrets."),
                step(2, NoteClass.MANUAL, "Generate secrets by running `bin/rails db:encryption:init`"),
                step(
                        3,
                        NoteClass.DOCKER_ONLY,
                        "Generate secrets by running `docker-compose run web bin/rails" + " db:encryption:init`")));
        assertThat(items)
                .containsExactly(new Item(
                        0,
                        NoteClass.MANUAL,
                        "‼️ Requires new encryption secrets environment variables\n"
                                + "Active Record encryption secrets configuration: Set the secrets.\n"
                                + "Generate secrets by running `bin/rails db:encryption:init`"));
    }

    @Test
    void aStepJoinsTheSectionItNamesEvenWithoutWordsInCommon() {
        List<Item> items = InstructionGroups.group(List.of(
                section(0, NoteClass.MANUAL, "Yarn 4 and corepack", "Use corepack."),
                step(1, NoteClass.MANUAL, "Do it now. See the “Yarn 4 and corepack” section.")));
        assertThat(items).singleElement().extracting(Item::text).asString().contains("Do it now.");
    }

    @Test
    void stepsNeverJoinStepsAndOneSharedWordIsNotEnough() {
        List<Item> items = InstructionGroups.group(List.of(
                flag(0, NoteClass.MANUAL, ":warning: Requires rebuilding Elasticsearch accounts index"),
                step(1, NoteClass.MANUAL, "Clear the cache: `RAILS_ENV=production bin/tootctl cache clear`"),
                step(2, NoteClass.MANUAL, "Clear the media cache: `bin/tootctl media remove`"),
                step(3, NoteClass.MANUAL, "Deploy the search index: `bin/tootctl search deploy`")));
        assertThat(items).extracting(Item::order).containsExactly(0, 1, 2, 3);
    }

    @Test
    void aManualPieceKeepsTheWholeGroupManualAndDockerPiecesOutOfItsText() {
        List<Item> items = InstructionGroups.group(List.of(
                flag(0, NoteClass.DOCKER_ONLY, ":warning: The Docker image no longer ships ffmpeg"),
                section(1, NoteClass.DOCKER_ONLY, "Docker images and ffmpeg", "Mount your own ffmpeg binary."),
                step(
                        2,
                        NoteClass.MANUAL,
                        "Install an ffmpeg binary of your own too, see the “Docker images and" + " ffmpeg” section")));
        assertThat(items)
                .singleElement()
                .satisfies(i -> assertThat(i.kindOfNote()).isEqualTo(NoteClass.MANUAL))
                .extracting(Item::text)
                .isEqualTo("Install an ffmpeg binary of your own too, see the “Docker images and ffmpeg” section");
        assertThat(InstructionGroups.group(List.of(
                        items.isEmpty()
                                ? null
                                : section(
                                        0,
                                        NoteClass.DOCKER_ONLY,
                                        "Docker images and ffmpeg",
                                        "Mount your own ffmpeg binary."))))
                .extracting(Item::kindOfNote)
                .containsExactly(NoteClass.DOCKER_ONLY);
    }

    @Test
    void stemsFoldPluralsAndEndingsAndDropCommonWords() {
        assertThat(InstructionGroups.stemsOf("Rebuilding the Elasticsearch accounts index"))
                .containsExactly("rebuil", "elasti", "accoun", "index");
        assertThat(InstructionGroups.stemsOf("rebuild the account search index (https://example.org/rebuild)"))
                .containsExactly("rebuil", "accoun", "search", "index");
        assertThat(InstructionGroups.stemsOf("Restart all Mastodon processes, update your configuration"))
                .isEmpty();
    }
}

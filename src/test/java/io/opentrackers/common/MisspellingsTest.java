package io.opentrackers.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The one rule by which a name is a typo of a name taken, for query parameters, JSON members and patch paths. */
class MisspellingsTest {

    private static final Misspellings TAKEN = Misspellings.of("op", "path", "value", "from", "vocabulary",
            "categories", "webhookUrl", "speakerRoles", "trackerId");

    @ParameterizedTest
    @CsvSource({"Op, op", "PATH, path", "webhookURL, webhookUrl", "speaker_roles, speakerRoles",
            "trackerIds, trackerId", "vocabularies, vocabulary", "Vocabulary, vocabulary", "category, categories",
            "paht, path", "vaule, value", "form, from", "vocabualry, vocabulary", "webhookUlr, webhookUrl",
            "trackreIds, trackerId"})
    void aNameSpeltLikeOneTakenMeansIt(String given, String meant) {
        assertThat(TAKEN.meant(given)).isEqualTo(meant);
    }

    @ParameterizedTest
    @ValueSource(strings = {"op", "path", "vocabulary", "po", "to", "id", "pat", "paths2", "valeu2", "vocab",
            "confidenceThreshold", "detectPhrases", "fromm", "fro", "pth"})
    void aNameTakenAsItIsOrLikeNoneIsNoTypo(String given) {
        assertThat(TAKEN.meant(given)).isNull();
    }
}

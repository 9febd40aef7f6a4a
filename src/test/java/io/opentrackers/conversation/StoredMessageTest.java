package io.opentrackers.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A message rebuilt from its stored sentences is what the matcher reads as its whole message. */
class StoredMessageTest {

    private static List<StoredMessage> stored(String content) {
        return SentenceSplitter.split(content).stream()
                .map(s -> new StoredMessage("id", s.text(), null, null, null, 0, 0, s.start(), s.end())).toList();
    }

    @Test
    void aMessageRebuiltFromItsSentencesDiffersFromTheContentOnlyInWhiteSpace() {
        assertThat(StoredMessage.joined(stored("I lost my card.  What now?\nPlease  help!")))
                .isEqualTo("I lost my card. What now? Please  help!");
        // sentences that touched stay touching
        List<StoredMessage> touching = List.of(new StoredMessage("a", "Yes!", null, null, null, 0, 0, 0, 4),
                new StoredMessage("b", "No.", null, null, null, 0, 0, 4, 7));
        assertThat(StoredMessage.joined(touching)).isEqualTo("Yes!No.");
        assertThat(StoredMessage.joined(stored("One sentence only."))).isEqualTo("One sentence only.");
    }
}

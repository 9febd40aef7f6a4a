package io.opentrackers.matching;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpansTest {

    private static List<String> texts(String text) {
        return Spans.split(text).stream().map(span -> span.of(text)).toList();
    }

    @Test
    void splitsSentencesAndKeepsTheirPositions() {
        String text = "I lost my card.  Can you block it? Thanks!";
        List<Span> spans = Spans.split(text);
        assertThat(texts(text)).containsExactly("I lost my card.", "Can you block it?", "Thanks!");
        assertThat(spans.get(1).start()).isEqualTo(text.indexOf("Can"));
        assertThat(spans.get(1).end()).isEqualTo(text.indexOf("?") + 1);
    }

    @Test
    void decimalsAndNewlinesAreHandled() {
        assertThat(texts("The rate was 3.5 percent\nwhy so high")).containsExactly("The rate was 3.5 percent",
                "why so high");
    }

    @Test
    void dropsFragmentsWithoutContentButNeverReturnsNothingForText() {
        assertThat(texts("Ok. I want a refund.")).containsExactly("I want a refund.");
        assertThat(texts("Ok.")).containsExactly("Ok.");
        assertThat(Spans.split("   ")).isEmpty();
    }

    @Test
    void aSentenceOfALongerMessageIsAFragmentWhenTheWholeMessageHasMore() {
        assertThat(Spans.split("Ok.", "Ok. I want a refund.")).isEmpty();
        assertThat(Spans.split("I want a refund.", "Ok. I want a refund.")).hasSize(1);
        // the whole message is only fragments: each is kept, as the message alone would be
        assertThat(Spans.split("Ok.", "Ok. Hm.")).hasSize(1);
        assertThat(Spans.split("Ok.", null)).hasSize(1);
    }

    @Test
    void cutsLongSentencesAtClauseMarks() {
        String first = "I was trying to pay for my groceries at the store this morning with the new card";
        String second = "but the terminal kept declining it even though there is plenty of money on the account";
        assertThat(texts(first + ", " + second)).containsExactly(first + ",", second);
    }

    @Test
    void aLongSentenceIsAlsoReadInPiecesOfEightWords() {
        String text = "Well honestly,  I think we need to check with my boss before we sign anything today, okay?";
        Span sentence = Spans.split(text).get(0);
        List<String> windows = Spans.windows(text, sentence).stream().map(span -> span.of(text)).toList();
        // 17 words: words 1-8, 9-16 and the one left
        assertThat(windows).containsExactly("Well honestly,  I think we need to check",
                "with my boss before we sign anything today,", "okay?");
    }

    @Test
    void aSentenceOfAtMostEightWordsHasNoWindows() {
        String text = "Ok. Can I talk to your manager please now?";
        assertThat(Spans.windows(text, Spans.split(text).get(0))).isEmpty();
    }

    @Test
    void aSentenceHasTheSameWindowsAloneAndInsideAMessage() {
        String sentence = "So right now we are running everything out of spreadsheets and a bit of HubSpot.";
        String message = "Hi there. " + sentence + " Thanks.";
        Span inMessage = Spans.split(message).get(1);
        assertThat(Spans.windows(message, inMessage).stream().map(span -> span.of(message)))
                .containsExactlyElementsOf(Spans.windows(sentence, Spans.split(sentence).get(0)).stream()
                        .map(span -> span.of(sentence)).toList());
    }

    @Test
    void aSentenceOfSeveralClausesIsAlsoReadClauseByClause() {
        String text = "We are cancelling all our subscriptions next month, the budget is gone.";
        Span sentence = Spans.split(text).get(0);
        assertThat(Spans.clauses(text, sentence).stream().map(span -> span.of(text)))
                .containsExactly("We are cancelling all our subscriptions next month,", "the budget is gone.");
    }

    @Test
    void piecesOfFewerThanFourWordsJoinTheirNeighbour() {
        String text = "Well, to be honest, the price is too high for us; we would need a discount, really.";
        Span sentence = Spans.split(text).get(0);
        // "Well," joins the piece after it, "really." the one before it
        assertThat(Spans.clauses(text, sentence).stream().map(span -> span.of(text))).containsExactly(
                "Well, to be honest,", "the price is too high for us;", "we would need a discount, really.");
    }

    @Test
    void aSentenceWithoutTwoClausesOfItsOwnHasNone() {
        for (String text : List.of("Hi, I lost my card yesterday.", "I want to cancel my plan.",
                "Yes, sure, of course, thanks.")) {
            assertThat(Spans.clauses(text, Spans.split(text).get(0))).as(text).isEmpty();
        }
    }
}

package io.opentrackers.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The decision with examples, the cross-validated estimate and the suggestion choice, with a bag-of-words model where
 * cosine = shared words / sqrt(words(a) × words(b)) ("pay my bill" vs "pay my bill today" = 3 / sqrt(12) = 0.866).
 */
class TeachingDecisionTest {

    private static final MatchingPolicy MAX = new MatchingPolicy(Aggregation.MAX, 0.5, 0.0, 0.1);
    private final BagOfWordsModel model = new BagOfWordsModel();

    private VocabularyIndex index(List<TrackerDefinition> trackers) {
        List<VocabularyIndex.EmbeddedTracker> embedded = new ArrayList<>();
        for (TrackerDefinition t : trackers) {
            float[][] examples = t.examples().isEmpty() ? new float[0][]
                    : model.embed(t.examples().stream().map(LabelledExample::text).toList());
            embedded.add(new VocabularyIndex.EmbeddedTracker(t, model.embed(t.vocabulary()), null, examples));
        }
        return new VocabularyIndex(embedded);
    }

    private List<String> firing(VocabularyIndex index, MatchingPolicy policy, String... texts) {
        List<MessageText> messages = new ArrayList<>();
        for (String text : texts) {
            messages.add(new MessageText(text, text));
        }
        return TrackerMatcher.match(index, new TrackerMatcher(model, policy).embed(messages), policy).stream()
                .map(h -> h.messageId() + "->" + h.trackerId()).distinct().toList();
    }

    private static TrackerDefinition billing(LabelledExample... examples) {
        return new TrackerDefinition("billing", "Billing", List.of("pay my bill"), null, 1).withExamples(List.of(examples));
    }

    @Test
    void aPositiveExampleMakesItsNeighboursFireAndANegativeOneVetoesThem() {
        assertThat(firing(index(List.of(billing())), MAX, "settle the invoice please", "pay my bill later please"))
                .containsExactly("pay my bill later please->billing");

        VocabularyIndex taught = index(List.of(billing(new LabelledExample("settle the invoice", true),
                new LabelledExample("my bill later please", false))));
        // "settle the invoice please" is 0.866 from the positive; for "my bill later too" the negative (0.75) is
        // closer than the phrase "pay my bill" (0.577); a literal phrase always fires
        assertThat(firing(taught, MAX, "settle the invoice please", "my bill later too", "pay my bill later please"))
                .containsExactly("settle the invoice please->billing", "pay my bill later please->billing");
    }

    @Test
    void withTheClassifierANegativeNearASentenceStopsItAndPositivesMakeParaphrasesFire() {
        MatchingPolicy classifier = new MatchingPolicy(Aggregation.CLASSIFIER, 0.5, 0, 0.1, 0, 0.1);
        TrackerDefinition money = new TrackerDefinition("money", "Money", List.of("no money left", "short on cash"),
                null, 1);
        String[] texts = {"settle the invoice please", "my bill later too", "we have no money left"};
        assertThat(firing(index(List.of(billing(), money)), classifier, texts))
                .containsExactly("my bill later too->billing", "we have no money left->money");

        VocabularyIndex taught = index(List.of(billing(new LabelledExample("settle the invoice", true),
                new LabelledExample("my bill later", false)), money));
        // "settle the invoice please" is 0.866 from the positive; "my bill later too" is 0.866 from the negative
        // and 0.577 from the phrase "pay my bill"
        assertThat(firing(taught, classifier, texts))
                .containsExactly("settle the invoice please->billing", "we have no money left->money");
    }

    /**
     * One negative example as close as three positive ones is outvoted (3 of 4 equal weights say yes), where a
     * nearest-neighbour veto would have stopped the hit; alone, the same negative stops it.
     */
    @Test
    void aLoneNegativeAmongAsClosePositivesIsOutvoted() {
        String sentence = "settle the invoice today please"; // 0.894 from each 4-word example below
        VocabularyIndex outvoted = index(List.of(billing(new LabelledExample("settle the invoice please", true),
                new LabelledExample("the invoice today please", true),
                new LabelledExample("settle invoice today please", true),
                new LabelledExample("settle the invoice today", false))));
        assertThat(firing(outvoted, MAX, sentence)).containsExactly(sentence + "->billing");

        VocabularyIndex alone = index(List.of(billing(new LabelledExample("settle the invoice please", true),
                new LabelledExample("settle the invoice today", false))));
        assertThat(firing(alone, MAX, sentence)).isEmpty();
    }

    /**
     * The explanation reports the cosine the decision actually required: a unanimous vote lowers the threshold, so a
     * span that fired never shows a threshold above its score, and one voted out says why.
     */
    @Test
    void theExplanationOfATaughtTrackerShowsTheThresholdItsVoteApplied() {
        MatchingPolicy classifier = new MatchingPolicy(Aggregation.CLASSIFIER, 0.5, 0, 0.1, 0, 0.1);
        TrackerDefinition money = new TrackerDefinition("money", "Money", List.of("no money left", "short on cash"),
                null, 1);
        VocabularyIndex taught = index(List.of(billing(new LabelledExample("settle the invoice", true),
                new LabelledExample("my bill later", false)), money));
        List<MessageText> messages = List.of(new MessageText("a", "settle the invoice please"),
                new MessageText("b", "my bill later too"));
        // "settle the invoice please" is 0.866 from the positive, which alone votes: unanimous, so the 0.88 the
        // policy asks becomes 0.85 and it fires
        MatchingPolicy strict = new MatchingPolicy(Aggregation.CLASSIFIER, 0.88, 0, 0.1, 0, 0);
        Explanation.Candidate fired = candidate(new TrackerMatcher(model, strict).explain(taught, messages), "a",
                "billing");
        assertThat(fired.fired()).isTrue();
        assertThat(fired.score()).isLessThan(0.88);
        assertThat(fired.threshold()).isCloseTo(0.85, within(1e-6));
        // the score is the positive example's cosine (the phrase "pay my bill" shares no word): the explanation names
        // the example that gave it, not a phrase that scored 0
        assertThat(fired.phrase()).isEqualTo("settle the invoice");
        assertThat(fired.score()).isCloseTo(0.866, within(1e-3));

        Detection detection = new TrackerMatcher(model, classifier).explain(taught, messages);
        Explanation.Candidate outvoted = candidate(detection, "b", "billing");
        assertThat(outvoted.fired()).isFalse();
        assertThat(outvoted.reason()).isEqualTo(Explanation.NEGATIVE_EXAMPLE);
    }

    /**
     * With MAX, a tracker above its threshold and within the margin that its labelled neighbours vote out says so; it
     * was reported as not chosen, as if another tracker had scored better, when it was the best one.
     */
    @Test
    void withMaxAVetoOfTheBestTrackerIsExplainedAsTheNegativeExample() {
        VocabularyIndex taught = index(List.of(billing(new LabelledExample("settle the invoice", true),
                new LabelledExample("my bill later please", false))));
        // "my bill later too": 0.577 from the phrase "pay my bill", above 0.5; the negative (0.75) is closer
        Detection detection = new TrackerMatcher(model, MAX).explain(taught,
                List.of(new MessageText("b", "my bill later too")));
        Explanation.Candidate vetoed = candidate(detection, "b", "billing");
        assertThat(vetoed.fired()).isFalse();
        assertThat(vetoed.score()).isGreaterThanOrEqualTo(vetoed.threshold());
        assertThat(vetoed.reason()).isEqualTo(Explanation.NEGATIVE_EXAMPLE);
        assertThat(vetoed.chosenInstead()).isNull();
    }

    private static Explanation.Candidate candidate(Detection detection, String messageId, String trackerId) {
        return detection.explanations().stream().filter(e -> e.messageId().equals(messageId)).findFirst().orElseThrow()
                .candidates().stream().filter(c -> c.trackerId().equals(trackerId)).findFirst().orElseThrow();
    }

    @Test
    void aTrackerWithoutExamplesDecidesAsWithoutTeachingBesideATaughtOne() {
        TrackerDefinition money = new TrackerDefinition("money", "Money", List.of("no money left", "short on cash"),
                null, 1);
        String[] texts = {"pay the bill please", "we have no money", "cash is short", "short of money today"};
        assertThat(firing(index(List.of(billing(new LabelledExample("pay the bill please", false)), money)), MAX,
                texts))
                .containsExactlyElementsOf(firing(index(List.of(billing(), money)), MAX, texts).stream()
                        .filter(hit -> hit.endsWith("->money")).toList());
    }

    @Test
    void withoutExamplesTheDecisionIsTheVocabularyOne() {
        TrackerDefinition plain = new TrackerDefinition("billing", "Billing", List.of("pay my bill"), null, 1);
        MatchingPolicy classifier = new MatchingPolicy(Aggregation.CLASSIFIER, 0.5, 0, 0.1, 0, 0.1);
        List<TrackerDefinition> trackers = List.of(plain, new TrackerDefinition("money", "Money",
                List.of("no money left", "short on cash"), null, 1));
        VocabularyIndex index = index(trackers);
        assertThat(index.examples().isEmpty()).isTrue();
        String[] texts = {"pay the bill please", "we have no money", "cash is short", "the weather"};
        List<MessageText> messages = new ArrayList<>();
        for (String text : texts) {
            messages.add(new MessageText(text, text));
        }
        EmbeddedMessages embedded = new TrackerMatcher(model, classifier).embed(messages);
        assertThat(TrackerMatcher.match(index, embedded, classifier))
                .isEqualTo(TrackerMatcher.match(index, index.examples(), embedded, classifier))
                .isNotEmpty();
    }

    /**
     * Hand-computed, 5 folds (example i in fold i mod 5: {P1, N2}, {P2, N3}, {P3}, {P4}, {N1}): P1 "pay my bill
     * today" contains the phrase (literal, fires); P2 and P3 are in different folds and 0.866 from each other (each
     * fires with the other in); P4 "where is my parcel" is at most 0.289 from the phrase and any positive (misses);
     * N1, N3 share at most "the" with a positive (0.289, silent); N2 "pay my bill later" contains the phrase (fires).
     * So tp 3, fn 1, fp 1: precision 3/4, recall 3/4, F1 3/4.
     */
    @Test
    void crossValidationMatchesTheHandComputedCase() {
        VocabularyIndex index = index(List.of(billing(
                new LabelledExample("pay my bill today", true),
                new LabelledExample("settle the invoice", true),
                new LabelledExample("settle the invoice please", true),
                new LabelledExample("where is my parcel", true),
                new LabelledExample("the weather is nice", false),
                new LabelledExample("pay my bill later", false),
                new LabelledExample("see you soon", false))));

        QualityEstimate estimate = QualityEstimate.of(index, 0, MAX);

        assertThat(estimate.examples()).isEqualTo(7);
        assertThat(estimate.positives()).isEqualTo(4);
        assertThat(estimate.negatives()).isEqualTo(3);
        assertThat(estimate.precision()).isCloseTo(0.75, within(1e-9));
        assertThat(estimate.recall()).isCloseTo(0.75, within(1e-9));
        assertThat(estimate.f1()).isCloseTo(0.75, within(1e-9));
        assertThat(estimate.method()).isEqualTo("5-fold cross-validation");
    }

    @Test
    void tooFewExamplesGiveNoFigures() {
        VocabularyIndex index = index(List.of(billing(new LabelledExample("pay my bill today", true),
                new LabelledExample("settle the invoice", true), new LabelledExample("settle it", true),
                new LabelledExample("the weather is nice", false), new LabelledExample("see you soon", false))));
        QualityEstimate estimate = QualityEstimate.of(index, 0, MAX);
        assertThat(estimate.positives()).isEqualTo(3);
        assertThat(estimate.negatives()).isEqualTo(2);
        assertThat(estimate.precision()).isNull();
        assertThat(estimate.recall()).isNull();
        assertThat(estimate.f1()).isNull();
    }

    @Test
    void suggestionsAlternateSidesAndSkipDuplicatesOfEachOtherAndOfExamples() {
        VocabularyIndex index = index(List.of(billing(new LabelledExample("settle the invoice", true))));
        List<String> texts = List.of("my bill now", "My bill now!", "settle the invoice", "my bill is late",
                "pay the rent", "the weather is nice", "bill", "pay my bill today");
        float[][] vectors = model.embed(texts);
        float[][] references = model.embed(List.of("pay my bill", "settle the invoice"));
        float[][] labelled = model.embed(List.of("settle the invoice"));

        List<SuggestionPicker.Suggestion> picked = SuggestionPicker.pick(index, 0, MAX, texts,
                SentenceMatrix.of(vectors), null, references, labelled, 10);

        List<String> chosen = picked.stream().map(s -> texts.get(s.candidate())).toList();
        // "pay my bill today" holds the phrase literally: it fires whatever its label, so it is never suggested
        assertThat(chosen).doesNotContain("settle the invoice", "pay my bill today").hasSize(5);
        assertThat(chosen.stream().filter(t -> t.equals("my bill now") || t.equals("My bill now!"))).hasSize(1);
        // nearest the threshold (0.5) first, firing and silent in turn: "my bill is late" (0.577, fires), "pay the
        // rent" (0.333, silent), "bill" (0.577, fires) ...
        assertThat(picked.get(0).fired()).isTrue();
        assertThat(picked.get(1).fired()).isFalse();
        assertThat(picked.get(2).fired()).isTrue();
        assertThat(picked.get(0).score()).isCloseTo(1 / Math.sqrt(3), within(1e-6));
    }

    @Test
    void sentencesThatDifferOnlyInTheirNumbersAreOneSuggestion() {
        // a templated call ("a table for 2 at 7") repeats one sentence with other numbers; their vectors are further
        // apart than the duplicate cosine (here 0.714 with the bag of words), yet labelling one teaches the other
        VocabularyIndex index = index(List.of(billing(new LabelledExample("pay my bill of 80 dollars", true))));
        List<String> texts = List.of("pay my bill of 120 dollars", "my bill for 2 rooms is 300", "my bill for 4 rooms is 510",
                "My bill for 10 rooms is 1,200", "my bill for two rooms is three hundred",
                "my bill for twenty-five rooms is 2,000", "pay the rent", "my bill is late");
        float[][] vectors = model.embed(texts);
        assertThat(Vectors.dot(vectors[1], vectors[2])).isLessThan((float) SuggestionPicker.DUPLICATE);

        List<SuggestionPicker.Suggestion> picked = SuggestionPicker.pick(index, 0, MAX, texts,
                SentenceMatrix.of(vectors), null, model.embed(List.of("pay my bill", "pay my bill of 80 dollars")),
                model.embed(List.of("pay my bill of 80 dollars")), 10);

        List<String> chosen = picked.stream().map(s -> texts.get(s.candidate())).toList();
        assertThat(chosen).doesNotContain("pay my bill of 120 dollars").contains("pay the rent", "my bill is late");
        assertThat(chosen.stream().filter(t -> t.toLowerCase(java.util.Locale.ROOT).startsWith("my bill for")))
                .hasSize(1);
    }

    /**
     * An account whose stored sentences nearest the tracker are one templated sentence thousands of times over (more
     * than a shortlist holds): they are one suggestion, and the others asked for come from the sentences beyond them,
     * not an answer of one sentence where 5 were asked for (2 of 25 before, on such an account).
     */
    @Test
    void aShortlistOfDuplicatesIsFollowedByTheNextNearestSentences() {
        VocabularyIndex index = index(List.of(billing()));
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < SuggestionPicker.SHORTLIST + 100; i++) {
            texts.add("my bill number " + i + " is late"); // 2 words of "pay my bill": 0.471 with its centre
        }
        List<String> beyond = List.of("the bill came", "my rent is due", "the doctor sent a bill", "my car broke down");
        texts.addAll(beyond); // 0.333, 0.289, 0.258, 0.289
        float[][] vectors = model.embed(texts);

        List<SuggestionPicker.Suggestion> picked = SuggestionPicker.pick(index, 0, MAX, texts,
                SentenceMatrix.of(vectors), null, model.embed(List.of("pay my bill")), new float[0][], 5);

        List<String> chosen = picked.stream().map(s -> texts.get(s.candidate())).toList();
        assertThat(chosen).hasSize(5).containsAll(beyond);
        assertThat(chosen.stream().filter(t -> t.startsWith("my bill number"))).hasSize(1);
    }

    @Test
    void aSentencesShapeMasksItsNumbersWrittenInDigitsOrInWords() {
        assertThat(SuggestionPicker.shape("A table for two at  seven pm"))
                .isEqualTo(SuggestionPicker.shape("a table for 4 at 8 pm")).isEqualTo("a table for # at # pm");
        assertThat(SuggestionPicker.shape("for twenty-five years")).isEqualTo(SuggestionPicker.shape("for 3 years"));
        assertThat(SuggestionPicker.shape("two hundred and ten dollars")).isEqualTo("# dollars");
        // words that hold a number word are words
        assertThat(SuggestionPicker.shape("someone often listens")).isEqualTo("someone often listens");
    }

    @Test
    void suggestionsSkipTheSentencesTheCallerExcludes() {
        VocabularyIndex index = index(List.of(billing()));
        List<String> texts = List.of("pay my bill now", "my bill is late", "pay the rent");
        float[][] vectors = model.embed(texts);
        BitSet excluded = new BitSet();
        excluded.set(0);

        List<SuggestionPicker.Suggestion> picked = SuggestionPicker.pick(index, 0, MAX, texts,
                SentenceMatrix.of(vectors), excluded, model.embed(List.of("pay my bill")), new float[0][], 10);

        assertThat(picked).extracting(SuggestionPicker.Suggestion::candidate).containsExactlyInAnyOrder(1, 2);
        excluded.set(1, 3);
        assertThat(SuggestionPicker.pick(index, 0, MAX, texts, SentenceMatrix.of(vectors), excluded,
                model.embed(List.of("pay my bill")), new float[0][], 10)).isEmpty();
    }

    /**
     * The picker decides only the sentences a tracker could fire on (SuggestionPicker.mayFire); whether a suggestion
     * "fired" must still be exactly the full decision's, and the choice the one the class comment states (2,600
     * sentences: a shortlist of 2,000), under the classifier (choice, uncertainty penalty, vetoes) and
     * MAX, for every tracker; sentences that hold one of the tracker's phrases literally are never suggested.
     */
    @Test
    void whetherASuggestionFiresIsTheFullDecision() {
        List<String> words = List.of("pay", "my", "bill", "card", "declined", "refund", "order", "late", "cash",
                "short", "the", "shop", "invoice", "please", "money", "left", "no", "account", "closed", "today");
        // bag of words with one dimension per word: the 4,096 of BagOfWordsModel make this test slow
        java.util.function.Function<List<String>, float[][]> embed = list -> list.stream().map(text -> {
            float[] v = new float[words.size()];
            for (String word : text.split(" ")) {
                v[words.indexOf(word)] += 1;
            }
            double norm = 0;
            for (float x : v) {
                norm += x * x;
            }
            for (int d = 0; d < v.length; d++) {
                v[d] /= (float) Math.sqrt(norm);
            }
            return v;
        }).toArray(float[][]::new);
        Random random = new Random(16);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 2600; i++) {
            StringBuilder text = new StringBuilder();
            for (int w = 0, n = 2 + random.nextInt(9); w < n; w++) {
                text.append(w == 0 ? "" : " ").append(words.get(random.nextInt(words.size())));
            }
            texts.add(text.toString());
        }
        List<TrackerDefinition> trackers = new ArrayList<>();
        // 7 phrases each: every tracker has the 20 competing phrases a calibrated threshold is derived from
        String[][] vocabularies = {
                {"pay my bill", "invoice please", "pay the invoice", "my bill please", "bill today", "pay today",
                        "the bill"},
                {"card declined", "account closed", "my card declined", "card closed", "account declined today",
                        "the card", "closed account"},
                {"no money left", "cash short", "money short", "no cash", "no money", "short cash today",
                        "money left"},
                {"refund my order", "order late", "refund please", "late order", "my order", "the shop refund",
                        "order refund today"}};
        for (int t = 0; t < vocabularies.length; t++) {
            List<LabelledExample> examples = new ArrayList<>();
            for (int e = 0; e < 12; e++) {
                examples.add(new LabelledExample(texts.get((t * 97 + e * 31) % texts.size()), e % 3 == 0));
            }
            trackers.add(new TrackerDefinition("t" + t, "T" + t, List.of(vocabularies[t]), null, 1)
                    .withExamples(examples));
        }
        List<VocabularyIndex.EmbeddedTracker> embedded = new ArrayList<>();
        for (TrackerDefinition t : trackers) {
            embedded.add(new VocabularyIndex.EmbeddedTracker(t, embed.apply(t.vocabulary()), null,
                    embed.apply(t.examples().stream().map(LabelledExample::text).toList())));
        }
        VocabularyIndex index = new VocabularyIndex(embedded);
        float[][] vectors = embed.apply(texts);
        SentenceMatrix matrix = SentenceMatrix.of(vectors);
        List<MessageText> messages = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            messages.add(new MessageText(Integer.toString(i), texts.get(i)));
        }
        MatchingPolicy classifier = new MatchingPolicy(Aggregation.CLASSIFIER, 0.45, 0, 0.1, 0, 0.1);
        // "near the decision boundary" is near each tracker's own threshold, which calibration moves off the floor
        MatchingPolicy calibrated = classifier.withCalibrationQuantile(0.95);
        assertThat(java.util.Arrays.stream(index.thresholds(calibrated))).allMatch(threshold -> Math.abs(threshold - 0.45) > 0.03);
        int literalSentences = 0;
        for (MatchingPolicy policy : List.of(classifier, calibrated, MAX)) {
            Set<String> full = new HashSet<>();
            TrackerMatcher.match(index, EmbeddedMessages.wholeMessages(messages, vectors), policy)
                    .forEach(hit -> full.add(hit.messageId() + "/" + hit.trackerId()));
            for (int t = 0; t < trackers.size(); t++) {
                TrackerDefinition tracker = trackers.get(t);
                List<float[]> references = new ArrayList<>(List.of(embed.apply(tracker.vocabulary())));
                tracker.examples().stream().filter(LabelledExample::match)
                        .forEach(e -> references.add(embed.apply(List.of(e.text()))[0]));
                List<SuggestionPicker.Suggestion> picked = SuggestionPicker.pick(index, t, policy, texts, matrix,
                        null, references.toArray(new float[0][]), new float[0][], texts.size());
                assertThat(picked).hasSizeGreaterThan(300);
                assertThat(picked).anyMatch(SuggestionPicker.Suggestion::fired)
                        .anyMatch(s -> !s.fired());
                float[][] refs = references.toArray(new float[0][]);
                int position = t;
                java.util.function.IntPredicate literal = i -> index.finder().find(texts.get(i)).stream()
                        .anyMatch(o -> index.trackerOf(o.ref()) == position);
                assertThat(SuggestionPicker.pick(index, t, policy, texts, matrix, null, refs, new float[0][], 25))
                        .as("25 suggestions for %s (%s)", tracker.id(), policy.aggregation())
                        .isEqualTo(choiceOfTheFullDecision(index.kernel(), texts.size(), vectors, refs,
                                index.thresholds(policy)[t],
                                i -> full.contains(i + "/" + tracker.id()), literal, 25));
                for (SuggestionPicker.Suggestion s : picked) {
                    assertThat(s.fired()).as("%s on '%s' (%s)", tracker.id(), texts.get(s.candidate()),
                            policy.aggregation()).isEqualTo(full.contains(s.candidate() + "/" + tracker.id()));
                    assertThat(literal.test(s.candidate())).as("'%s' holds a phrase of %s literally",
                            texts.get(s.candidate()), tracker.id()).isFalse();
                }
                literalSentences += (int) IntStream.range(0, texts.size()).filter(literal).count();
            }
        }
        // literal occurrences (which fire whatever their label) are there to be skipped
        assertThat(literalSentences).isPositive();
    }

    /**
     * The choice of SuggestionPicker as its class comment states it, from every sentence's full decision: the
     * shortlist by sorting all products with the centre, then the two queues.
     */
    private static List<SuggestionPicker.Suggestion> choiceOfTheFullDecision(SimilarityKernel kernel, int count,
            float[][] vectors, float[][] references, double threshold, java.util.function.IntPredicate fires,
            java.util.function.IntPredicate literal, int limit) {
        float[] centre = new float[vectors[0].length];
        for (float[] r : references) {
            for (int d = 0; d < centre.length; d++) {
                centre[d] += r[d];
            }
        }
        List<Integer> shortlist = java.util.stream.IntStream.range(0, count).boxed()
                .sorted(java.util.Comparator.comparingDouble((Integer i) -> -Vectors.dot(vectors[i], centre)))
                .limit(Math.max(SuggestionPicker.SHORTLIST, 40 * limit)).sorted().toList();
        List<SuggestionPicker.Suggestion> firing = new ArrayList<>();
        List<SuggestionPicker.Suggestion> silent = new ArrayList<>();
        SimilarityKernel.PreparedMatrix byReference = kernel.prepare(references, references[0].length);
        for (int i : shortlist) {
            if (literal.test(i)) {
                continue; // it fires whatever its label: no candidate
            }
            // the best cosine to a reference, from the index's kernel as the picker's (ties at 0.5 order by rounding)
            float[][] products = new float[1][references.length];
            byReference.multiply(new float[][] {vectors[i]}, products);
            double score = Double.NEGATIVE_INFINITY;
            for (float product : products[0]) {
                score = Math.max(score, product);
            }
            (fires.test(i) ? firing : silent).add(new SuggestionPicker.Suggestion(i, score, fires.test(i)));
        }
        java.util.Comparator<SuggestionPicker.Suggestion> byDistance =
                java.util.Comparator.comparingDouble(s -> Math.abs(s.score() - threshold));
        firing.sort(byDistance);
        silent.sort(byDistance);
        List<SuggestionPicker.Suggestion> chosen = new ArrayList<>();
        int f = 0;
        int n = 0;
        boolean fromFiring = true;
        while (chosen.size() < limit && (f < firing.size() || n < silent.size())) {
            boolean useFiring = f < firing.size() && (fromFiring || n >= silent.size());
            SuggestionPicker.Suggestion next = useFiring ? firing.get(f++) : silent.get(n++);
            boolean duplicate = chosen.stream()
                    .anyMatch(c -> Vectors.dot(vectors[c.candidate()], vectors[next.candidate()])
                            >= SuggestionPicker.DUPLICATE);
            if (!duplicate) { // a duplicate is passed over and takes no turn
                fromFiring = !useFiring;
                chosen.add(next);
            }
        }
        return chosen;
    }
}

package io.opentrackers.matching;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.opentrackers.account.AccountId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The matching engine: literal phrase occurrences plus meaning hits from span embeddings, per
 * {@link MatchingPolicy}. Stateless apart from its model and policy; thread-safe.
 */
public final class TrackerMatcher {

    /** Spans scored together in one kernel call (ONNX Runtime's product gains most from blocks, see SimilarityKernel). */
    private static final int SPAN_BLOCK = 32;
    /** Whole-message vectors kept for the calls that follow (1.5 KB each with bge-small). */
    private static final int RECENT_WHOLES = 1024;
    /** Messages whose normalised text is kept while their sentences are detected (weakly: only while still in use). */
    private static final int RECENT_SOURCES = 256;

    private final EmbeddingModel model;
    private final MatchingPolicy policy;
    private final RecentVectors recentWholes;
    /**
     * The whole messages of the last sentences, normalised, by the identity of the text they were cut from: a stream
     * detects a message's sentences in many calls, and normalising the whole message again for each of them cost the
     * square of its length (a fifth of the detector's time on a message of 950 long sentences, docs/performance.md).
     * The normalised text is also what {@link #recentWholes} is asked for, so one instance keeps its hash too.
     */
    private final Cache<String, String> normalisedSources;
    /**
     * Whether each of those messages has a sentence that is not a fragment, by the same identity: asked for every
     * fragment sentence ("Ok.") of the message, and answering it by cutting the whole message each time cost the
     * square of its length (a job of one message of 48,000 "Hm." took 81 s and grew the service to 2 GB).
     */
    private final Cache<String, Boolean> sourcesWithSpans;
    /** Whose texts these calls embed: the recent whole-message vectors are shared only among its calls. */
    private final AccountId account;

    public TrackerMatcher(EmbeddingModel model, MatchingPolicy policy) {
        this(model, policy, new RecentVectors(RECENT_WHOLES),
                Caffeine.newBuilder().weakKeys().maximumSize(RECENT_SOURCES).<String, String>build(),
                Caffeine.newBuilder().weakKeys().maximumSize(RECENT_SOURCES).<String, Boolean>build(), null);
    }

    private TrackerMatcher(EmbeddingModel model, MatchingPolicy policy, RecentVectors recentWholes,
            Cache<String, String> normalisedSources, Cache<String, Boolean> sourcesWithSpans, AccountId account) {
        this.model = model;
        this.policy = policy;
        this.recentWholes = recentWholes;
        this.normalisedSources = normalisedSources;
        this.sourcesWithSpans = sourcesWithSpans;
        this.account = account;
    }

    /**
     * The same matcher embedding {@code account}'s texts through {@code callModel} (e.g. a model that runs a text
     * once per call), sharing this matcher's recent whole-message vectors with the other calls of that account only.
     */
    public TrackerMatcher through(EmbeddingModel callModel, AccountId account) {
        return new TrackerMatcher(callModel, policy, recentWholes, normalisedSources, sourcesWithSpans, account);
    }

    public MatchingPolicy policy() {
        return policy;
    }

    public List<TrackerHit> match(VocabularyIndex index, List<MessageText> messages) {
        return match(index, embed(messages, readsContext(index)), policy);
    }

    /**
     * The hits of {@link #match(VocabularyIndex, List)} and, per message, the decision on each of its best-scoring
     * trackers, recorded while deciding (api.md, "Why a message did or did not fire").
     */
    public Detection explain(VocabularyIndex index, List<MessageText> messages) {
        return decide(index, index.examples(), embed(messages, readsContext(index)), policy, new DecisionLog(index));
    }

    /**
     * Splits each message into spans and embeds them, plus what the classifier reads besides: the clauses of its
     * sentences ({@link Spans#clauses}), each decided as a span of its own; for a message that is more than its one
     * span, its whole text (the context the classifier reads its spans in), one extra model run per such message
     * unless the message is one sentence; and for a span longer than a window, unless it is read clause by clause,
     * its word windows ({@link Spans#windows}). The sentences of one message sent in separate calls (a stream queues
     * them one by one) share the whole-message run through {@link #recentWholes}.
     */
    public EmbeddedMessages embed(List<MessageText> messages) {
        return embed(messages, true);
    }

    /** As {@link #embed(List)}, without the whole-message and window runs when {@code index}'s decision does not read them. */
    public EmbeddedMessages embed(VocabularyIndex index, List<MessageText> messages) {
        return embed(messages, readsContext(index));
    }

    /**
     * Only the classifier reads clauses, the whole message and the word windows: an index too large for one (MAX
     * decides, see {@link TrackerClassifier#affordable}) or another aggregation costs no extra model run.
     */
    private boolean readsContext(VocabularyIndex index) {
        return policy.aggregation() == Aggregation.CLASSIFIER && index.classifier() != null;
    }

    private EmbeddedMessages embed(List<MessageText> messages, boolean withContext) {
        List<List<Span>> spans = new ArrayList<>(messages.size());
        List<String> texts = new ArrayList<>();
        int[] firstSpan = new int[messages.size()];
        String[] wholeTexts = new String[messages.size()];
        List<String> windowTexts = new ArrayList<>();
        List<Integer> windowCounts = new ArrayList<>();
        int[] wholeSpan = new int[messages.size()];
        for (int m = 0; m < messages.size(); m++) {
            String text = messages.get(m).text();
            String source = messages.get(m).source();
            List<Span> split = new ArrayList<>(Spans.splitInMessage(text,
                    () -> source != null && sourcesWithSpans.get(source, Spans::hasSpans)));
            Set<Span> readByClause = new HashSet<>();
            if (withContext) {
                // the sentences first, then their clauses (Conditions places literal occurrences by sentence)
                for (Span sentence : List.copyOf(split)) {
                    List<Span> clauses = Spans.clauses(text, sentence);
                    if (!clauses.isEmpty()) {
                        readByClause.add(sentence);
                        split.addAll(clauses);
                    }
                }
            }
            spans.add(split);
            firstSpan[m] = texts.size();
            wholeSpan[m] = -1;
            wholeTexts[m] = withContext ? contextOf(messages.get(m), split, normalisedWhole(messages.get(m))) : null;
            for (Span span : split) {
                if (span.of(text).equals(wholeTexts[m])) {
                    // a sentence read clause by clause is its own context: its vector is the whole message's
                    wholeSpan[m] = texts.size();
                }
                texts.add(span.of(text));
                // a sentence read clause by clause is read in those pieces rather than in word windows (its clauses
                // have windows of their own when long)
                List<Span> windows = withContext && !readByClause.contains(span) ? Spans.windows(text, span)
                        : List.of();
                windows.forEach(window -> windowTexts.add(window.of(text)));
                windowCounts.add(windows.size());
            }
        }
        int spanCount = texts.size();
        texts.addAll(windowTexts);
        int wholesFrom = texts.size();
        Map<String, CompletableFuture<float[]>> wholes = new HashMap<>();
        List<CompletableFuture<float[]>> claimed = new ArrayList<>();
        for (int m = 0; m < messages.size(); m++) {
            String whole = wholeTexts[m];
            if (whole != null && wholeSpan[m] < 0 && !wholes.containsKey(whole)) {
                RecentVectors.Claim claim = recentWholes.claim(account, whole);
                wholes.put(whole, claim.vector());
                if (claim.owned()) {
                    texts.add(whole);
                    claimed.add(claim.vector());
                }
            }
        }
        float[][] all;
        try {
            all = texts.isEmpty() ? new float[0][] : model.embed(texts);
        } catch (RuntimeException e) {
            for (int i = 0; i < claimed.size(); i++) {
                recentWholes.fail(account, texts.get(wholesFrom + i), claimed.get(i), e);
            }
            throw e;
        }
        for (int i = 0; i < claimed.size(); i++) {
            claimed.get(i).complete(all[wholesFrom + i]);
        }
        // spans and windows of nothing the model knows ("👍") have no meaning (the wholes only give context)
        System.arraycopy(model.meaning(texts.subList(0, wholesFrom), Arrays.copyOf(all, wholesFrom)), 0, all, 0,
                wholesFrom);
        float[][] contexts = new float[messages.size()][];
        for (int m = 0; m < messages.size(); m++) {
            contexts[m] = wholeTexts[m] == null ? null
                    : wholeSpan[m] >= 0 ? all[wholeSpan[m]] : wholes.get(wholeTexts[m]).join();
        }
        float[][][] windows = new float[spanCount][][];
        for (int s = 0, w = spanCount; s < spanCount; w += windowCounts.get(s), s++) {
            windows[s] = Arrays.copyOfRange(all, w, w + windowCounts.get(s));
        }
        return new EmbeddedMessages(messages, spans, firstSpan, Arrays.copyOf(all, spanCount), contexts, windows);
    }

    /**
     * The whole text a message's spans are read in, or null when the message is its only span: a single sentence
     * sent alone, or a message whose one span is all of it.
     *
     * @param whole the message's whole text, normalised ({@link Spans#normalized})
     */
    static String contextOf(MessageText message, List<Span> spans, String whole) {
        if (whole.isEmpty() || spans.isEmpty()
                || spans.size() == 1 && Spans.normalized(spans.get(0).of(message.text())).equals(whole)) {
            return null;
        }
        return whole;
    }

    /**
     * {@link Spans#normalized} of the message's whole text; for a sentence of a longer message (the same source text
     * object for each of its sentences) computed once for all of them. Caffeine's weak keys compare by identity, so
     * looking a source up costs nothing whatever its length.
     */
    private String normalisedWhole(MessageText message) {
        return message.source() == null ? Spans.normalized(message.text())
                : normalisedSources.get(message.source(), Spans::normalized);
    }

    public static List<TrackerHit> match(VocabularyIndex index, EmbeddedMessages embedded, MatchingPolicy policy) {
        return decide(index, index.examples(), embedded, policy, null).hits();
    }

    /**
     * Like {@link #match(VocabularyIndex, EmbeddedMessages, MatchingPolicy)} with the given examples instead of
     * the index's own (e.g. some left out, for a cross-validated estimate of the decision's quality).
     */
    public static List<TrackerHit> match(VocabularyIndex index, ExampleIndex examples, EmbeddedMessages embedded,
            MatchingPolicy policy) {
        return decide(index, examples, embedded, policy, null).hits();
    }

    /** @param log records each tracker's decision per message when explanations are asked for, else null */
    private static Detection decide(VocabularyIndex index, ExampleIndex examples, EmbeddedMessages embedded,
            MatchingPolicy policy, DecisionLog log) {
        List<TrackerHit> hits = new ArrayList<>();
        List<TrackerDefinition> trackers = index.trackers();
        if (trackers.isEmpty()) {
            List<Explanation> none = log == null ? List.of()
                    : embedded.messages().stream().map(m -> new Explanation(m.id(), List.of())).toList();
            return new Detection(hits, none);
        }
        double[] thresholds = index.thresholds(policy);
        double[] penalties = index.penalties(policy);
        double[] margins = trackers.stream().mapToDouble(t -> policy.marginFor(t.sensitivity())).toArray();
        TrackerClassifier classifier = policy.aggregation() != Aggregation.CLASSIFIER ? null
                : examples.isEmpty() ? index.classifier() : examples.classifier(index); // teaching: fitted with them
        // sized for the spans at hand: a streamed message has one or two, and rows can number 25,500
        float[][] block = new float[Math.min(SPAN_BLOCK, embedded.vectors().length)][index.rows()];
        for (int m0 = 0; m0 < embedded.messages().size(); ) {
            // a block holds whole messages (at most SPAN_BLOCK spans, or one longer message on its own)
            int m1 = m0;
            int spanCount = 0;
            while (m1 < embedded.messages().size()
                    && (m1 == m0 || spanCount + embedded.spans().get(m1).size() <= SPAN_BLOCK)) {
                spanCount += embedded.spans().get(m1).size();
                m1++;
            }
            int first = embedded.firstSpan()[m0];
            float[][] vectors = Arrays.copyOfRange(embedded.vectors(), first, first + spanCount);
            float[][] sims = spanCount <= block.length ? block : new float[spanCount][index.rows()];
            index.similarities(vectors, sims);
            int[][] windowOf = foldWindows(index, Arrays.copyOfRange(embedded.windows(), first, first + spanCount),
                    sims);
            // teaching: cosines to the labelled examples, only when some tracker has any
            float[][] exampleSims = null;
            if (!examples.isEmpty()) {
                exampleSims = new float[spanCount][examples.rows()];
                examples.similarities(vectors, exampleSims);
            }
            for (int m = m0; m < m1; m++) {
                int offset = embedded.firstSpan()[m] - first;
                int spanEnd = offset + embedded.spans().get(m).size();
                decide(index, classifier, policy, embedded.messages().get(m), embedded.spans().get(m),
                        Arrays.copyOfRange(sims, offset, spanEnd), Arrays.copyOfRange(windowOf, offset, spanEnd),
                        Arrays.copyOfRange(vectors, offset, spanEnd),
                        Arrays.copyOfRange(embedded.windows(), first + offset, first + spanEnd),
                        embedded.wholes()[m], thresholds, penalties, margins,
                        exampleSims == null ? null : examples,
                        exampleSims == null ? null : Arrays.copyOfRange(exampleSims, offset, spanEnd), hits, log);
            }
            m0 = m1;
        }
        return new Detection(hits, log == null ? List.of() : log.explanations());
    }

    /**
     * A span's cosine to each phrase becomes its best over the span and the span's word windows: a short phrase said
     * inside a long sentence is compared with a stretch of about its own length. The classifier still reads the span
     * itself (in its message).
     *
     * @return per span, per similarity row, the window whose cosine it now is (-1: the span's own); null for a span
     *         without windows. A meaning hit names that window as where the phrase was said.
     */
    private static int[][] foldWindows(VocabularyIndex index, float[][][] windows, float[][] sims) {
        int[][] windowOf = new int[windows.length][];
        for (int s = 0; s < windows.length; s++) {
            if (windows[s].length == 0) {
                continue;
            }
            float[][] windowSims = new float[windows[s].length][index.everydayTalkStart()];
            index.phraseSimilarities(windows[s], windowSims);
            windowOf[s] = new int[index.rows()];
            Arrays.fill(windowOf[s], -1);
            // the phrases' and centroids' rows only: a span is compared with everyday talk as a whole (a long sentence
            // has some stretch of words that sounds like small talk, which must not silence its tracker)
            for (int w = 0; w < windowSims.length; w++) {
                for (int r = 0; r < index.everydayTalkStart(); r++) {
                    if (windowSims[w][r] > sims[s][r]) {
                        sims[s][r] = windowSims[w][r];
                        windowOf[s][r] = w;
                    }
                }
            }
        }
        return windowOf;
    }

    private static void decide(VocabularyIndex index, TrackerClassifier classifier, MatchingPolicy policy,
            MessageText message, List<Span> spans, float[][] sims, int[][] windowOf, float[][] vectors,
            float[][][] windows, float[] whole, double[] thresholds, double[] penalties, double[] margins,
            ExampleIndex examples, float[][] exampleSims, List<TrackerHit> hits,
            DecisionLog log) {
        int trackerCount = index.trackers().size();
        float[] bestScore = new float[trackerCount];
        int[] bestSpan = new int[trackerCount];
        Arrays.fill(bestScore, Float.NEGATIVE_INFINITY);
        Arrays.fill(bestSpan, -1);
        float[] scores = new float[trackerCount];
        // the trackers' conditions (speaker, window, excluded phrases) only take hits away, after the decision
        Conditions.Gate gate = index.conditions().gate(message, spans, vectors, windows, sims, index,
                thresholds);
        if (log != null) {
            log.startMessage();
        }
        for (int s = 0; s < spans.size(); s++) {
            float top = Float.NEGATIVE_INFINITY;
            for (int t = 0; t < trackerCount; t++) {
                scores[t] = policy.aggregation().score(sims[s], index.phraseStart(t), index.phraseEnd(t),
                        sims[s][index.centroidRow(t)]);
                top = Math.max(top, scores[t]);
            }
            if (classifier != null) {
                // only the classifier's choice can fire, and it needs more cosine the less sure the classifier is;
                // the classifier reads the span in the context of its whole message
                TrackerClassifier.Choice choice = classifier.choose(vectors[s], whole);
                for (int t : choice.trackers()) { // one tracker, or the trackers of one topic (IdenticalTrackers)
                    // the cosine the choice needs; with examples the vote lowers it, or rules the tracker out
                    double required = policy.classifierThreshold(thresholds[t], penalties[t], choice.probability());
                    boolean outvoted = false;
                    if (examples != null) { // teaching: positives raise the scores, the labelled neighbours vote
                        double taught = examples.chosenThreshold(exampleSims[s], scores, t, required);
                        outvoted = taught == Double.POSITIVE_INFINITY;
                        required = outvoted ? required : taught;
                    }
                    boolean reaches = choice.probability() >= policy.minProbability() && scores[t] >= required;
                    boolean everyday = reaches && index.losesToEverydayTalk(t, scores[t], sims[s]);
                    boolean passes = reaches && !everyday;
                    boolean accepts = passes && !outvoted;
                    boolean vetoed = passes && outvoted;
                    if (accepts && gate.reason(t, s) == null && scores[t] > bestScore[t]) {
                        bestScore[t] = scores[t];
                        bestSpan[t] = s;
                    }
                    if (log != null) {
                        logChosen(log, gate, policy, s, t, sims[s], scores[t], required, choice, accepts, vetoed,
                                everyday, examples, exampleSims == null ? null : exampleSims[s]);
                    }
                }
                if (log != null) {
                    logNotChosen(log, gate, s, sims[s], scores, thresholds, choice, examples,
                            exampleSims == null ? null : exampleSims[s]);
                }
            } else {
                // teaching: positives raise the scores, the labelled neighbours vote
                boolean[] taught = examples == null ? null
                        : examples.firesWithMargin(exampleSims[s], scores, thresholds, margins);
                // the best score the margin is measured from (teaching has raised the scores in place)
                int best = 0;
                for (int t = 1; t < trackerCount; t++) {
                    if (scores[t] > scores[best]) {
                        best = t;
                    }
                }
                for (int t = 0; t < trackerCount; t++) {
                    boolean reaches = taught != null ? taught[t]
                            : scores[t] >= top - margins[t] && scores[t] >= thresholds[t];
                    boolean everyday = reaches && index.losesToEverydayTalk(t, scores[t], sims[s]);
                    boolean passes = reaches && !everyday;
                    String reason = gate.reason(t, s);
                    if (passes && reason == null && scores[t] > bestScore[t]) {
                        bestScore[t] = scores[t];
                        bestSpan[t] = s;
                    }
                    if (log != null) {
                        if (reason == null) {
                            reason = passes ? Explanation.ABOVE_THRESHOLD
                                    : everyday ? Explanation.EVERYDAY_TALK
                                    : scores[t] < thresholds[t] ? Explanation.BELOW_THRESHOLD
                                    : scores[t] < scores[best] - margins[t] ? Explanation.NOT_CHOSEN
                                    // teaching: above the threshold and within the margin, only the vote rules it out
                                    : Explanation.NEGATIVE_EXAMPLE;
                        }
                        log.span(t, sims[s], scores[t], thresholds[t], passes && reason.equals(Explanation.ABOVE_THRESHOLD),
                                reason, best, examples, exampleSims == null ? null : exampleSims[s]);
                    }
                }
            }
        }
        List<PhraseFinder.Occurrence> occurrences = index.finder().find(message.text());
        for (int t = 0; t < trackerCount; t++) {
            TrackerDefinition tracker = index.trackers().get(t);
            boolean[] literal = new boolean[index.phraseEnd(t) - index.phraseStart(t)];
            for (PhraseFinder.Occurrence found : occurrences) {
                if (index.trackerOf(found.ref()) != t) {
                    continue;
                }
                PhraseFinder.Occurrence occurrence = found;
                String reason = gate.blocked(t);
                if (reason == null && gate.excludes(t, found.offset())) {
                    // the phrase may occur again in a sentence this tracker does not exclude
                    occurrence = occurrenceOutside(index, gate, t, message.text(), found.ref());
                    reason = occurrence == null ? Conditions.EXCLUDED : null;
                }
                if (log != null) {
                    log.literal(t, index.phrase(found.ref()), thresholds[t], reason);
                }
                if (reason != null) {
                    continue;
                }
                literal[occurrence.ref() - index.phraseStart(t)] = true;
                hits.add(new TrackerHit(message.id(), tracker.id(), tracker.name(), index.phrase(occurrence.ref()),
                        occurrence.offset(), 1.0, occurrence.offset(), occurrence.offset() + occurrence.length()));
            }
            if (bestSpan[t] >= 0) {
                addMeaningHits(index, t, message, spans.get(bestSpan[t]), sims[bestSpan[t]], windowOf[bestSpan[t]],
                        thresholds[t], literal,
                        hits);
            }
        }
        if (log != null) {
            log.finishMessage(message.id());
        }
    }

    /** Records the decision on tracker t at span s, which the classifier chose. */
    private static void logChosen(DecisionLog log, Conditions.Gate gate, MatchingPolicy policy, int s, int t,
            float[] sims, float score, double required, TrackerClassifier.Choice choice, boolean accepts,
            boolean vetoed, boolean everyday, ExampleIndex examples, float[] exampleSims) {
        String reason = gate.reason(t, s);
        if (reason == null) {
            reason = accepts ? Explanation.ABOVE_THRESHOLD
                    : vetoed ? Explanation.NEGATIVE_EXAMPLE
                    : everyday ? Explanation.EVERYDAY_TALK
                    : choice.probability() < policy.minProbability() ? Explanation.UNCERTAIN
                    : Explanation.BELOW_THRESHOLD;
        }
        log.span(t, sims, score, required, accepts && reason.equals(Explanation.ABOVE_THRESHOLD), reason,
                choice.tracker(), examples, exampleSims);
    }

    /** Records the decision on every tracker the classifier did not choose at span s. */
    private static void logNotChosen(DecisionLog log, Conditions.Gate gate, int s, float[] sims, float[] scores,
            double[] thresholds, TrackerClassifier.Choice choice, ExampleIndex examples, float[] exampleSims) {
        for (int t = 0; t < scores.length; t++) {
            if (choice.chose(t)) {
                continue;
            }
            String reason = gate.reason(t, s);
            log.span(t, sims, scores[t], thresholds[t], false, reason == null ? Explanation.NOT_CHOSEN : reason,
                    choice.tracker(), examples, exampleSims);
        }
    }

    /** The first occurrence of phrase row {@code ref} in a span tracker t does not exclude, or null. */
    private static PhraseFinder.Occurrence occurrenceOutside(VocabularyIndex index, Conditions.Gate gate, int t,
            String text, int ref) {
        for (Span span : gate.allowedSpans(t)) {
            for (PhraseFinder.Occurrence occurrence : index.finder().find(span.of(text))) {
                if (occurrence.ref() == ref) {
                    return new PhraseFinder.Occurrence(ref, span.start() + occurrence.offset(), occurrence.length());
                }
            }
        }
        return null;
    }

    /**
     * The phrases of a firing tracker that the span is close to: every phrase at or above the tracker's threshold,
     * or the single closest phrase when the tracker fired on an aggregate no single phrase reaches.
     */
    private static void addMeaningHits(VocabularyIndex index, int t, MessageText message, Span span, float[] sims,
            int[] windowOf, double threshold, boolean[] literal, List<TrackerHit> hits) {
        TrackerDefinition tracker = index.trackers().get(t);
        List<Span> windows = windowOf == null ? List.of() : Spans.windows(message.text(), span);
        int best = -1;
        boolean any = false;
        for (int p = index.phraseStart(t); p < index.phraseEnd(t); p++) {
            if (best < 0 || sims[p] > sims[best]) {
                best = p;
            }
            if (sims[p] >= threshold) {
                any = true;
            }
        }
        for (int p = index.phraseStart(t); p < index.phraseEnd(t); p++) {
            boolean matched = any ? sims[p] >= threshold : p == best;
            if (matched && !literal[p - index.phraseStart(t)]) {
                // where the phrase was said: the window its cosine came from, else the span
                Span where = windowOf != null && windowOf[p] >= 0 ? windows.get(windowOf[p]) : span;
                hits.add(new TrackerHit(message.id(), tracker.id(), tracker.name(), index.phrase(p), -1,
                        Math.min(1.0, sims[p]), where.start(), where.end()));
            }
        }
    }
}

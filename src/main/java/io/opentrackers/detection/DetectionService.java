package io.opentrackers.detection;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentrackers.account.AccountId;
import io.opentrackers.common.Stages;
import io.opentrackers.embedding.ModelDescriptor;
import io.opentrackers.matching.Detection;
import io.opentrackers.matching.EmbeddedMessages;
import io.opentrackers.matching.EmbeddingModel;
import io.opentrackers.matching.Explanation;
import io.opentrackers.matching.MatchingPolicy;
import io.opentrackers.matching.MessageText;
import io.opentrackers.matching.OncePerCallModel;
import io.opentrackers.matching.TrackerDefinition;
import io.opentrackers.matching.TrackerDetector;
import io.opentrackers.matching.TrackerExplainer;
import io.opentrackers.matching.TrackerHit;
import io.opentrackers.matching.TrackerMatcher;
import io.opentrackers.matching.VocabularyIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;

/**
 * The {@link TrackerDetector} of the application: {@code matching/} does the pure work with the configured policy,
 * on the index of the trackers from {@link IndexCache} (whose vectors come from {@link VocabularyVectors}).
 *
 * <p><b>A big call keeps both cores busy.</b> Its messages are embedded in chunks of {@link #CHUNK}; each chunk is
 * scored and decided on a scoring thread while the caller (with the model's helpers) embeds the next one, instead of
 * one core idling while the whole call is scored on the caller. A message is decided on its own spans alone, so
 * neither the chunks nor the thread change any hit or score; hits come back in message order, as from one pass.
 *
 * <p><b>A text is embedded once per call, and once while its account's recent texts remember it.</b> Within one
 * call, a span text met again (a repeated "Thank you.") takes the vector computed for it the first time, and a text
 * the account sent in an earlier call takes its vector from {@link RememberedVectors}: every text is its own model
 * run (docs/matching.md, "Determinism"), so that vector is bit for bit what a second run would give. Whole messages,
 * which only a classifier reads, are run only for an index that has one, and are shared across the calls of one
 * account (a stream detects a message's sentences one by one).
 */
@Service
class DetectionService implements TrackerDetector, TrackerExplainer {

    /**
     * Messages embedded and then scored together. Small enough that the scoring of the last chunk, which nothing
     * overlaps, is a small share of a job's batch (256 messages); large enough that the scoring kernel gets full
     * blocks of spans and the model's helpers are handed work a few times per batch only.
     */
    static final int CHUNK = 64;

    /** The model, through each account's recent texts: a sentence the account sent before is not run again. */
    private final RememberedVectors remembered;
    private final MatchingPolicy policy;
    /** Shared by every call, so the sentences of one message detected in separate calls embed the message once. */
    private final TrackerMatcher matcher;
    private final IndexCache indexes;
    private final Timer detectTime;
    /** Scores chunks while their callers embed the next ({@link DetectionConfiguration#detectionScoringExecutor}). */
    private final Executor scorers;

    DetectionService(EmbeddingModel model, RememberedVectors remembered, ModelDescriptor descriptor, IndexCache indexes,
            MatchingProperties properties, MeterRegistry meters,
            @Qualifier(DetectionConfiguration.SCORING_EXECUTOR) Executor scorers) {
        this.remembered = remembered;
        this.policy = properties.policyFor(descriptor);
        this.matcher = new TrackerMatcher(model, policy);
        this.indexes = indexes;
        this.detectTime = Timer.builder("trackers.detection")
                .description("One detector call (match, job batch or streamed sentences): index lookup, embedding "
                        + "and matching")
                .publishPercentileHistogram().register(meters);
        this.scorers = scorers;
    }

    @Override
    public List<TrackerHit> detect(AccountId account, List<TrackerDefinition> trackers,
            List<MessageText> messages) {
        if (trackers.isEmpty() || messages.isEmpty()) {
            return List.of();
        }
        return detectTime.record(() -> match(account, indexes.indexOf(account, trackers), messages, null));
    }

    @Override
    public HitsAndVectors detectKeepingVectors(AccountId account, List<TrackerDefinition> trackers,
            List<MessageText> messages) {
        float[][] own = new float[messages.size()][];
        if (trackers.isEmpty() || messages.isEmpty()) {
            return new HitsAndVectors(List.of(), own);
        }
        return new HitsAndVectors(
                detectTime.record(() -> match(account, indexes.indexOf(account, trackers), messages, own)), own);
    }

    @Override
    public Detection explain(AccountId account, List<TrackerDefinition> trackers, List<MessageText> messages) {
        if (trackers.isEmpty() || messages.isEmpty()) {
            return new Detection(List.of(), messages.stream().map(m -> new Explanation(m.id(), List.of())).toList());
        }
        return detectTime.record(() -> matcher.through(new OncePerCallModel(remembered.of(account), Map.of()), account)
                .explain(indexes.indexOf(account, trackers), messages));
    }

    /** @param own where not null, receives each message's {@link EmbeddedMessages#vectorOfItsOwnText}. */
    private List<TrackerHit> match(AccountId account, VocabularyIndex index, List<MessageText> messages,
            float[][] own) {
        TrackerMatcher call = matcher.through(new OncePerCallModel(remembered.of(account), Map.of()), account);
        List<CompletableFuture<List<TrackerHit>>> scored = new ArrayList<>();
        List<TrackerHit> hits = new ArrayList<>();
        for (int from = 0; from < messages.size(); from += CHUNK) {
            List<MessageText> chunk = messages.subList(from, Math.min(messages.size(), from + CHUNK));
            EmbeddedMessages embedded = call.embed(index, chunk);
            for (int m = 0; own != null && m < chunk.size(); m++) {
                own[from + m] = embedded.vectorOfItsOwnText(m);
            }
            if (from + CHUNK >= messages.size()) {
                // the last chunk: nothing is left to overlap its scoring with
                List<TrackerHit> last = TrackerMatcher.match(index, embedded, policy);
                scored.forEach(earlier -> hits.addAll(Stages.awaitUninterruptibly(earlier)));
                hits.addAll(last);
            } else {
                scored.add(CompletableFuture.supplyAsync(() -> TrackerMatcher.match(index, embedded, policy),
                        scorers));
            }
        }
        return hits;
    }
}

package io.opentrackers.detection;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentrackers.embedding.ModelDescriptor;
import io.opentrackers.matching.Detection;
import io.opentrackers.matching.EmbeddingModel;
import io.opentrackers.matching.Explanation;
import io.opentrackers.matching.MessageText;
import io.opentrackers.matching.TrackerDefinition;
import io.opentrackers.matching.TrackerDetector;
import io.opentrackers.matching.TrackerExplainer;
import io.opentrackers.matching.TrackerHit;
import io.opentrackers.matching.TrackerMatcher;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * The {@link TrackerDetector} of the application: {@code matching/} does the pure work with the configured policy,
 * on the index of the trackers from {@link IndexCache} (whose vectors come from {@link VocabularyVectors}).
 */
@Service
class DetectionService implements TrackerDetector, TrackerExplainer {

    private final TrackerMatcher matcher;
    private final IndexCache indexes;
    private final Timer detectTime;

    DetectionService(EmbeddingModel model, ModelDescriptor descriptor, IndexCache indexes, MatchingProperties properties,
            MeterRegistry meters) {
        this.matcher = new TrackerMatcher(model, properties.policyFor(descriptor));
        this.indexes = indexes;
        this.detectTime = Timer.builder("trackers.detection")
                .description("One detector call (match, job batch or streamed sentences): index lookup, embedding "
                        + "and matching")
                .publishPercentileHistogram().register(meters);
    }

    @Override
    public List<TrackerHit> detect(List<TrackerDefinition> trackers, List<MessageText> messages) {
        if (trackers.isEmpty() || messages.isEmpty()) {
            return List.of();
        }
        return detectTime.record(() -> matcher.match(indexes.indexOf(trackers), messages));
    }

    @Override
    public Detection explain(List<TrackerDefinition> trackers, List<MessageText> messages) {
        if (trackers.isEmpty() || messages.isEmpty()) {
            return new Detection(List.of(), messages.stream().map(m -> new Explanation(m.id(), List.of())).toList());
        }
        return detectTime.record(() -> matcher.explain(indexes.indexOf(trackers), messages));
    }
}

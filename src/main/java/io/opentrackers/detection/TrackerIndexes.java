package io.opentrackers.detection;

import io.opentrackers.account.AccountId;
import io.opentrackers.embedding.ModelDescriptor;
import io.opentrackers.matching.MatchingPolicy;
import io.opentrackers.matching.TrackerDefinition;
import io.opentrackers.matching.VocabularyIndex;
import io.opentrackers.matching.VocabularyIndex.EmbeddedTracker;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The detector's index, vectors and policy for features that reason about a tracker's decision outside a
 * conversation (teaching: suggestions and quality estimates), so they decide exactly as detection does.
 */
@Component
public class TrackerIndexes {

    private final IndexCache indexes;
    private final VocabularyVectors vectors;
    private final MatchingPolicy policy;

    TrackerIndexes(IndexCache indexes, VocabularyVectors vectors, ModelDescriptor model,
            MatchingProperties properties) {
        this.indexes = indexes;
        this.vectors = vectors;
        this.policy = properties.policyFor(model);
    }

    /** The (cached, shared) index of the account's trackers; callers must not release it. */
    public VocabularyIndex indexOf(AccountId account, List<TrackerDefinition> trackers) {
        return indexes.indexOf(account, trackers);
    }

    /** Each of the account's trackers' phrase and example vectors. */
    public List<EmbeddedTracker> vectorsOf(AccountId account, List<TrackerDefinition> trackers) {
        return vectors.of(account, trackers);
    }

    /** The policy detection decides with. */
    public MatchingPolicy policy() {
        return policy;
    }
}

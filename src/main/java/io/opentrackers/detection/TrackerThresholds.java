package io.opentrackers.detection;

import io.opentrackers.account.AccountId;
import io.opentrackers.embedding.ModelDescriptor;
import io.opentrackers.matching.EmbeddingModel;
import io.opentrackers.matching.MatchingPolicy;
import io.opentrackers.matching.ReferenceSentences;
import io.opentrackers.matching.ThresholdCalibration;
import io.opentrackers.matching.TrackerDefinition;
import io.opentrackers.matching.VocabularyIndex;
import io.opentrackers.tracker.TrackerCalibrations;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The calibration evidence of the service's indexes (the reference sentences, embedded once per process and model)
 * and the calibrated thresholds of accounts' tracker sets, stored when an account's index is built so that they
 * survive restarts and users can read them with their trackers ({@link TrackerCalibrations}).
 */
@Component
class TrackerThresholds implements TrackerCalibrations {

    private static final Logger log = LoggerFactory.getLogger(TrackerThresholds.class);

    private final TrackerThresholdRepository repository;
    private final EmbeddingModel model;
    private final MatchingPolicy policy;
    private final Clock clock;
    private volatile ThresholdCalibration.Evidence evidence;

    TrackerThresholds(TrackerThresholdRepository repository, EmbeddingModel model, ModelDescriptor descriptor,
            MatchingProperties properties) {
        this.repository = repository;
        this.model = model;
        this.policy = properties.policyFor(descriptor);
        this.clock = Clock.systemUTC();
    }

    /**
     * What the index builder calibrates with: the reference sentences under the default rule when the policy
     * calibrates, nothing beyond the other trackers' phrases when it has a fixed threshold. The sentences are embedded
     * on the first call (the warm-up makes it at start-up).
     */
    ThresholdCalibration.Evidence evidence() {
        ThresholdCalibration.Evidence known = evidence;
        if (known == null) {
            // one caller prepares it: the start-up warm-up and the first job or match often ask at the same moment,
            // and each logged the "once per process" line
            synchronized (this) {
                known = evidence;
                if (known == null) {
                    known = ThresholdCalibration.Evidence.forPolicy(policy, model);
                    if (known.rule() != ThresholdCalibration.Rule.OTHER_TRACKERS) {
                        ReferenceSentences.Embedded embedded = ReferenceSentences.of(model);
                        log.info("calibration evidence: {} reference sentences embedded with {} in {} ms "
                                + "(once per process)", embedded.vectors().length, embedded.modelId(),
                                embedded.embeddingNanos() / 1_000_000);
                    }
                    evidence = known;
                }
            }
        }
        return known;
    }

    /**
     * Stores the thresholds of an account's whole tracker set as its index has them (unless the same set under the
     * same policy was stored already); with calibration off, drops the account's stored ones.
     */
    void record(AccountId account, List<TrackerDefinition> trackers, VocabularyIndex index) {
        if (policy.calibrationQuantile() == 0) {
            repository.deleteAll(account, model.id());
            return;
        }
        String fingerprint = fingerprint(trackers);
        if (fingerprint.equals(repository.fingerprintOf(account, model.id()))) {
            return;
        }
        double[] thresholds = index.thresholds(policy);
        int[] evidence = index.calibrationEvidence();
        List<TrackerThresholdRepository.Row> rows = new ArrayList<>(trackers.size());
        for (int t = 0; t < trackers.size(); t++) {
            TrackerDefinition tracker = index.trackers().get(t);
            rows.add(new TrackerThresholdRepository.Row(tracker.id(), tracker.version(), thresholds[t], evidence[t]));
        }
        repository.replace(account, model.id(), fingerprint, clock.instant(), rows);
    }

    /** Drops what is stored for an account that has no tracker left. */
    void forget(AccountId account) {
        repository.deleteAll(account, model.id());
    }

    @Override
    public Map<String, Calibration> calibrationsOf(AccountId account, Collection<String> trackerIds) {
        // with a fixed threshold nothing is calibrated, whatever an earlier configuration stored
        return policy.calibrationQuantile() == 0 ? Map.of() : repository.load(account, model.id(), trackerIds);
    }

    /** What produced a set of thresholds: the model, the reference sentences, the policy and the tracker versions. */
    private String fingerprint(List<TrackerDefinition> trackers) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            StringBuilder text = new StringBuilder()
                    .append(model.id()).append('\n')
                    .append(ReferenceSentences.fingerprint()).append(' ').append(ThresholdCalibration.DEFAULT_RULE)
                    .append('\n').append(policy).append('\n');
            trackers.stream().map(t -> t.id() + ":" + t.version()).sorted()
                    .forEach(key -> text.append(key).append('\n'));
            return HexFormat.of().formatHex(sha.digest(text.toString().getBytes(StandardCharsets.UTF_8)), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.opentrackers.streaming;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentrackers.common.DatabaseUnavailable;
import io.opentrackers.common.NotFoundException;
import io.opentrackers.common.PeriodicChore;
import io.opentrackers.conversation.ConversationService.PendingDetection;
import io.opentrackers.conversation.ConversationService;
import io.opentrackers.conversation.StoredMessage;
import io.opentrackers.matching.ConversationTimeline;
import io.opentrackers.matching.MessageContext;
import io.opentrackers.matching.MessageText;
import io.opentrackers.matching.TrackerDetector;
import io.opentrackers.matching.TrackerHit;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.springframework.stereotype.Component;

/**
 * Detects streamed sentences whose hits were never recorded. A stream stores a final message's sentences and then,
 * after detection, their hits; a process killed in between left those sentences without detection for ever
 * (issue 20). They are stored marked as pending and unmarked in the transaction that stores their hits, so this
 * component finds them: once at start-up and every {@code recovery-interval}, it takes the sentences pending for
 * longer than {@code recovery-after}, detects them with the trackers their stream resolved at its start (kept with
 * the conversation) and records their hits, which the Conversation API then shows. Hits are stored once per
 * (message, tracker, phrase), so a sentence detected twice (by two instances, or by its live stream after a long
 * stall) still has each hit once. Nothing is sent to the client: its connection died with the process.
 */
@Component
class StreamRecovery extends PeriodicChore {

    private static final Logger log = LoggerFactory.getLogger(StreamRecovery.class);

    /** Sentences taken per round; rounds repeat until none is left, so a long outage is worked off in steps. */
    static final int BATCH = 256;

    private final ConversationService conversations;
    private final TrackerDetector detector;
    private final Duration after;
    private final Clock clock;
    private final Counter recovered;

    StreamRecovery(ConversationService conversations, TrackerDetector detector, StreamingProperties properties,
            MeterRegistry meters) {
        // the first round at start-up picks up what a killed process left behind; a round under way at shutdown
        // finishes (within 5 s)
        super("streaming-recovery-", properties.recoveryInterval(), Duration.ofSeconds(5));
        this.conversations = conversations;
        this.detector = detector;
        this.after = properties.recoveryAfter();
        this.clock = Clock.systemUTC();
        this.recovered = Counter.builder("trackers.streaming.recovered.sentences")
                .description("Streamed sentences whose detection was re-run after it had not been recorded")
                .register(meters);
    }

    /**
     * Detects and records every sentence pending for longer than {@code recovery-after}; returns how many.
     * A conversation whose detection fails is logged and left pending for the next round.
     */
    int recover() {
        int total = 0;
        while (true) {
            List<PendingDetection> round = conversations.pendingDetections(clock.instant().minus(after), BATCH);
            int taken = round.stream().mapToInt(pending -> pending.sentences().size()).sum();
            int done = 0;
            for (PendingDetection pending : round) {
                try {
                    detect(pending);
                    done += pending.sentences().size();
                } catch (NotFoundException e) {
                    // the conversation was deleted since its sentences were read: they went with it
                    log.debug("Streaming conversation {} was deleted before its recovery", pending.conversationId());
                    done += pending.sentences().size();
                } catch (RuntimeException e) {
                    DatabaseUnavailable.logRoundFailure(log, Level.ERROR, e, "Recovering the detection of {} "
                            + "sentence(s) of streaming conversation {} failed; retrying in {}",
                            pending.sentences().size(), pending.conversationId(), interval());
                }
            }
            total += done;
            // a round that made no progress (every conversation failed) waits for the next interval
            if (taken < BATCH || done == 0) {
                break;
            }
        }
        if (total > 0) {
            recovered.increment(total);
            log.info("Detected {} streamed sentence(s) whose hits had not been recorded", total);
        }
        return total;
    }

    private void detect(PendingDetection pending) {
        // the stream may still be going on (or never said stop_request): end windows are not decided here
        List<MessageContext> contexts = ConversationTimeline.contexts(
                conversations.turns(pending.account(), pending.conversationId()), false);
        List<MessageText> messages = conversations.toMatch(pending.account(), pending.conversationId(),
                pending.sentences(), contexts);
        TrackerDetector.HitsAndVectors detected = detector.detectKeepingVectors(pending.account(), pending.trackers(),
                messages);
        conversations.recordDetection(pending.account(), pending.conversationId(),
                pending.sentences().stream().map(StoredMessage::id).toList(), detected.hits(), detected.ownVectors());
    }

    @Override
    protected void runRound() {
        try {
            recover();
        } catch (RuntimeException e) {
            DatabaseUnavailable.logRoundFailure(log, Level.ERROR, e,
                    "Looking for streamed sentences without detection failed; retrying in {}", interval());
        }
    }
}

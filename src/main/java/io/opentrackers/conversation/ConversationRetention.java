package io.opentrackers.conversation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentrackers.common.DatabaseUnavailable;
import io.opentrackers.common.PeriodicChore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Deletes the conversations of every account whose last activity is older than {@code trackers.conversations.retention}
 * (when it is set), every {@code retention-interval} and once at start-up: each exactly as
 * {@code DELETE /v1/conversations/{id}} deletes it ({@link ConversationService#deleteIfInactive}), except those a job
 * still has to process or a live stream writes to. Each conversation is deleted in a transaction of its own, found in
 * pages of {@link #PAGE} oldest first, so a first round on millions of them holds no long transaction and no lock on
 * more than one conversation at a time. Every instance runs it: a conversation another instance is deleting is locked
 * and skipped, and one already deleted is no longer found, so two rounds at once neither fail nor delete twice.
 */
@Component
class ConversationRetention extends PeriodicChore {

    private static final Logger log = LoggerFactory.getLogger(ConversationRetention.class);

    /** Conversations read per page; each is then deleted in its own transaction. */
    static final int PAGE = 200;

    /** A round under way at shutdown ends at the conversation it is deleting. */
    private static final Duration FINISH_ROUND_FOR = Duration.ofSeconds(2);

    private final ConversationService conversations;
    private final Duration retention;
    private final Clock clock;
    private final Counter deleted;

    @Autowired
    ConversationRetention(ConversationService conversations, ConversationProperties properties, MeterRegistry meters) {
        this(conversations, properties, meters, Clock.systemUTC());
    }

    ConversationRetention(ConversationService conversations, ConversationProperties properties, MeterRegistry meters,
            Clock clock) {
        super("conversation-retention-", properties.retentionInterval(), FINISH_ROUND_FOR);
        this.conversations = conversations;
        this.retention = properties.retention();
        this.clock = clock;
        this.deleted = Counter.builder("trackers.conversations.retention.deleted")
                .description("Conversations deleted because their last activity was older than "
                        + "trackers.conversations.retention")
                .register(meters);
    }

    @Override
    public void start() {
        super.start();
        if (!retention.isZero()) {
            log.info("Conversations without activity for {} are deleted (trackers.conversations.retention), checked "
                    + "every {}", retention, interval());
        }
    }

    /** One round: deletes every conversation due now; answers how many it deleted. */
    int deleteDue() {
        if (retention.isZero()) {
            return 0; // kept for ever
        }
        Instant now = clock.instant();
        Instant before = now.minus(retention);
        int count = 0;
        try {
            ConversationRepository.Inactive after = null;
            List<ConversationRepository.Inactive> page;
            do {
                page = conversations.inactive(before, after, PAGE);
                for (ConversationRepository.Inactive candidate : page) {
                    if (stopping()) {
                        return count;
                    }
                    if (conversations.deleteIfInactive(candidate.id(), before, now)) {
                        count++;
                        deleted.increment();
                    }
                }
                // those kept (a job to finish, a live stream, another instance's) are not read again this round
                after = page.isEmpty() ? after : page.get(page.size() - 1);
            } while (page.size() == PAGE);
            return count;
        } finally {
            if (count > 0) {
                log.info("Deleted {} conversations older than {}", count, retention);
            }
        }
    }

    @Override
    protected void runRound() {
        try {
            deleteDue();
        } catch (RuntimeException e) {
            DatabaseUnavailable.logRoundFailure(log, Level.WARN, e,
                    "Deleting conversations older than {} (trackers.conversations.retention) failed; retrying in {}",
                    retention, interval());
        }
    }
}

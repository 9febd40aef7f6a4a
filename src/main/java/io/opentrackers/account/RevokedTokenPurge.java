package io.opentrackers.account;

import io.opentrackers.common.DatabaseUnavailable;
import io.opentrackers.common.PeriodicChore;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.springframework.stereotype.Component;

/**
 * Deletes the revocations of tokens that have expired, every {@code trackers.auth.revoked-purge-interval} (and once
 * at start-up): an expired token is refused by its signature check, so its row only costs space. Every instance
 * runs it; two deleting the same rows at once is harmless.
 */
@Component
class RevokedTokenPurge extends PeriodicChore {

    private static final Logger log = LoggerFactory.getLogger(RevokedTokenPurge.class);

    /** A delete of expired rows is quick; a round under way at shutdown is not waited for longer. */
    private static final Duration FINISH_ROUND_FOR = Duration.ofSeconds(2);

    private final RevokedTokens revoked;

    RevokedTokenPurge(RevokedTokens revoked, AccountProperties properties) {
        super("revoked-token-purge-", properties.auth().revokedPurgeInterval(), FINISH_ROUND_FOR);
        this.revoked = revoked;
    }

    @Override
    protected void runRound() {
        try {
            int purged = revoked.purgeExpired();
            if (purged > 0) {
                log.debug("Purged {} revocation(s) of tokens that have expired", purged);
            }
        } catch (RuntimeException e) {
            DatabaseUnavailable.logRoundFailure(log, Level.WARN, e,
                    "Purging the revocations of expired tokens failed; retrying in {}", interval());
        }
    }
}

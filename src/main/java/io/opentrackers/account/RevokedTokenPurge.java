package io.opentrackers.account;

import io.opentrackers.common.ShutdownPhases;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Deletes the revocations of tokens that have expired, every {@code trackers.auth.revoked-purge-interval} (and once
 * at start-up): an expired token is refused by its signature check, so its row only costs space. Every instance
 * runs it; two deleting the same rows at once is harmless.
 */
@Component
class RevokedTokenPurge implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RevokedTokenPurge.class);

    private final RevokedTokens revoked;
    private final Duration interval;
    private volatile ThreadPoolTaskScheduler scheduler;

    RevokedTokenPurge(RevokedTokens revoked, AccountProperties properties) {
        this.revoked = revoked;
        this.interval = properties.auth().revokedPurgeInterval();
    }

    private void purge() {
        try {
            int purged = revoked.purgeExpired();
            if (purged > 0) {
                log.debug("Purged {} revocation(s) of tokens that have expired", purged);
            }
        } catch (RuntimeException e) {
            log.warn("Purging the revocations of expired tokens failed; retrying in {}", interval, e);
        }
    }

    @Override
    public void start() {
        ThreadPoolTaskScheduler started = new ThreadPoolTaskScheduler();
        started.setThreadNamePrefix("revoked-token-purge-");
        started.setDaemon(true);
        started.initialize();
        started.scheduleWithFixedDelay(this::purge, interval);
        scheduler = started;
    }

    @Override
    public void stop() {
        scheduler.shutdown();
        scheduler = null;
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }

    @Override
    public int getPhase() {
        return ShutdownPhases.STOP_TAKING_WORK;
    }
}

package io.opentrackers.account;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Bounds what logins cost. A secret check is a BCrypt comparison (about 70 ms of one core); without a bound, 160
 * wrong secrets from 40 threads got no 429, saturated both cores and made every login take 1.3 s (issue 20).
 *
 * <p>Three limits, checked before the secret is: a token bucket per appId and one per client address, each holding
 * the attempts that may still fail ({@code failures-per-*}, one more every {@code *-refill}); and a fair semaphore
 * of {@code max-concurrent-checks} BCrypt comparisons, so that logins never hold every core whatever the number of
 * appIds and addresses an attacker uses. Each appId and each address has one check at a time, so that a burst of
 * one client waits in its own queue and not in front of everyone else's logins. An attempt takes a token from both buckets before its check, so that
 * concurrent attempts cannot all pass an almost empty bucket; a successful check gives them back, so correct logins
 * cost nothing. Over a limit → {@link LoginThrottledException} (429 with {@code Retry-After}), without any BCrypt.
 *
 * <p>The account is read from the database after the buckets admit an attempt and before it takes its turns and a
 * check slot, so the slots bound BCrypt work only and a login waiting on a database out of reach holds none of them
 * (its failure becomes the 503 every request gets). Reads are bounded by the connection pool, as every request's are.
 *
 * <p>The buckets live in bounded Caffeine caches that drop a bucket once it would be full again, so an attacker
 * cycling through invented appIds costs memory only up to the bound. The state is per instance: behind a load
 * balancer of n instances an appId can fail n times as often.
 */
@Component
class LoginThrottle {

    /** Buckets kept per key kind; beyond it the least recently used are dropped (and start full again). */
    private static final int MAX_BUCKETS = 100_000;

    private final AccountProperties.Login settings;
    private final Ticker ticker;
    private final Cache<String, Client> byAppId;
    private final Cache<String, Client> byAddress;
    private final Semaphore checks;

    @Autowired
    LoginThrottle(AccountProperties properties) {
        this(properties.auth().login(), Ticker.systemTicker());
    }

    LoginThrottle(AccountProperties.Login settings, Ticker ticker) {
        this.settings = settings;
        this.ticker = ticker;
        this.byAppId = buckets(settings.appIdRefill().multipliedBy(settings.failuresPerAppId()), ticker);
        this.byAddress = buckets(settings.addressRefill().multipliedBy(settings.failuresPerAddress()), ticker);
        this.checks = new Semaphore(settings.maxConcurrentChecks(), true);
    }

    private static Cache<String, Client> buckets(Duration untilFull, Ticker ticker) {
        return Caffeine.newBuilder().maximumSize(MAX_BUCKETS).expireAfterAccess(untilFull).ticker(ticker).build();
    }

    /**
     * Runs {@code check} (the secret comparison; empty when the credentials are wrong) unless a limit is reached.
     *
     * @throws LoginThrottledException before running the check when the appId or the address failed too often, or
     *                                 when the check could not start within {@code check-wait}
     */
    <T> Optional<T> attempt(String appId, String address, Supplier<Optional<T>> check) {
        return attempt(appId, address, () -> null, nothing -> check.get());
    }

    /**
     * Runs {@code lookup} (what the secret is compared with, read from the database) once the buckets admit the
     * attempt, then {@code check} on its result (the secret comparison) unless a limit is reached. The lookup holds
     * no turn and no check slot: while the database is out of reach it waits up to the pool's timeout (30 s) and
     * fails, and when it ran inside the slot every other login meanwhile was refused as busy (429) instead of being
     * told, as every other request is, that the database is gone (503). A lookup that fails is no failed login: the
     * attempt's tokens are given back and its exception goes on.
     *
     * @throws LoginThrottledException before running the check when the appId or the address failed too often, or
     *                                 when the check could not start within {@code check-wait}
     */
    <S, T> Optional<T> attempt(String appId, String address, Supplier<S> lookup, Function<S, Optional<T>> check) {
        Client app = byAppId.get(appId,
                key -> new Client(settings.failuresPerAppId(), settings.appIdRefill(), ticker.read()));
        Client client = byAddress.get(address,
                key -> new Client(settings.failuresPerAddress(), settings.addressRefill(), ticker.read()));
        long appWait = app.bucket().take(ticker.read());
        if (appWait > 0) {
            throw new LoginThrottledException("Too many failed logins for appId '" + appId + "'; try again in "
                    + seconds(appWait) + " s", Duration.ofNanos(appWait));
        }
        long clientWait = client.bucket().take(ticker.read());
        if (clientWait > 0) {
            app.bucket().giveBack(ticker.read());
            throw addressThrottled(clientWait);
        }
        Optional<T> result;
        try {
            S stored = lookup.get();
            result = checked(app, client, () -> check.apply(stored));
        } catch (RuntimeException notChecked) {
            // busy (LoginThrottledException), or the lookup failed (the database is gone): no secret was found wrong
            app.bucket().giveBack(ticker.read());
            client.bucket().giveBack(ticker.read());
            throw notChecked;
        }
        if (result.isPresent()) {
            app.bucket().giveBack(ticker.read());
            client.bucket().giveBack(ticker.read());
        }
        return result;
    }

    /**
     * Runs {@code check} of a credential that is not an app secret (the operator key) unless the address has used up
     * its failures, and counts a failure against it as a failed login: guessing the operator key from an address is
     * bounded exactly as guessing secrets is (before, 300 wrong keys took 2 s and none was refused). There is no bucket
     * per key, since the operator key has one value for everyone: a bucket of its own would let anyone, from any
     * address, lock the operator out of the admin API and the metrics scraper. The check is a constant-time
     * comparison, not BCrypt, so it takes no check slot.
     *
     * @throws LoginThrottledException before running the check when the address failed too often
     */
    boolean attemptFromAddress(String address, BooleanSupplier check) {
        Client client = byAddress.get(address,
                key -> new Client(settings.failuresPerAddress(), settings.addressRefill(), ticker.read()));
        long wait = client.bucket().take(ticker.read());
        if (wait > 0) {
            throw addressThrottled(wait);
        }
        boolean passed = check.getAsBoolean();
        if (passed) {
            client.bucket().giveBack(ticker.read());
        }
        return passed;
    }

    private static LoginThrottledException addressThrottled(long waitNanos) {
        return new LoginThrottledException("Too many failed logins from this address; try again in "
                + seconds(waitNanos) + " s", Duration.ofNanos(waitNanos));
    }

    /**
     * Runs the check once it is this appId's and this address's turn (one check of each at a time) and a check slot
     * is free, all within {@code check-wait}. Taking turns per key first means one client queues at most one check
     * for the shared slots, however many requests it sends at once, so a login of someone else waits behind one
     * check per busy client rather than behind a whole burst (the order of the three is fixed: no deadlock).
     */
    private <T> Optional<T> checked(Client app, Client client, Supplier<Optional<T>> check) {
        long deadline = System.nanoTime() + settings.checkWait().toNanos();
        List<Semaphore> held = new ArrayList<>(3);
        try {
            for (Semaphore turn : List.of(app.turn(), client.turn(), checks)) {
                if (!turn.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    throw busy();
                }
                held.add(turn);
            }
            return check.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw busy();
        } finally {
            for (int i = held.size() - 1; i >= 0; i--) {
                held.get(i).release();
            }
        }
    }

    private static LoginThrottledException busy() {
        return new LoginThrottledException("The service is busy checking other logins; try again in 1 s",
                Duration.ofSeconds(1));
    }

    private static long seconds(long nanos) {
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }

    /** One appId or one address: the attempts it may still fail, and its turn to have a secret checked. */
    private record Client(TokenBucket bucket, Semaphore turn) {
        Client(int capacity, Duration refill, long nowNanos) {
            this(new TokenBucket(capacity, refill, nowNanos), new Semaphore(1, true));
        }
    }

    /** Attempts that may still fail: {@code capacity} at most, one more every {@code refill}. */
    static final class TokenBucket {

        private final int capacity;
        private final long refillNanos;
        private double tokens;
        private long updatedNanos;

        TokenBucket(int capacity, Duration refill, long nowNanos) {
            this.capacity = capacity;
            this.refillNanos = refill.toNanos();
            this.tokens = capacity;
            this.updatedNanos = nowNanos;
        }

        /** Takes one token: 0 when taken, else the nanoseconds until one is there. */
        synchronized long take(long nowNanos) {
            refill(nowNanos);
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) * refillNanos));
        }

        synchronized void giveBack(long nowNanos) {
            refill(nowNanos);
            tokens = Math.min(capacity, tokens + 1);
        }

        private void refill(long nowNanos) {
            long elapsed = nowNanos - updatedNanos;
            if (elapsed > 0) {
                tokens = Math.min(capacity, tokens + (double) elapsed / refillNanos);
                updatedNanos = nowNanos;
            }
        }
    }
}

package io.opentrackers.job;

import static io.opentrackers.common.Settings.notNegative;
import static io.opentrackers.common.Settings.positive;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Async job processing ({@code trackers.jobs.*}).
 *
 * @param workers              jobs processed at the same time by this instance
 * @param maxActivePerAccount  scheduled + running jobs one account may have; more is refused with 429
 * @param maxMessages          submitted messages (or cues) per request
 * @param maxSentences         sentences the messages of one request split into: the messages a job matches, which
 *                             one request of many short sentences could otherwise make hundreds of thousands of
 * @param batchSize            messages matched per step; progress is committed after each step
 * @param lease                how long a claimed job stays owned without a heartbeat; a job whose worker died
 *                             is taken over by any instance once its lease has run out
 * @param pollInterval         how often idle workers look for jobs (submits on this instance wake them at once)
 * @param maxAttempts          claims of one job before it is failed (protects against a job that kills its worker);
 *                             a job handed back on an orderly shutdown does not use one up, a retry after a
 *                             temporary failure does
 * @param shutdownWait         on shutdown, how long running jobs get to reach their next batch boundary before
 *                             they are handed back anyway; keep it well below the time the platform allows between
 *                             SIGTERM and SIGKILL, since the web server's graceful shutdown follows it
 * @param webhook              webhook delivery
 */
@Validated
@ConfigurationProperties("trackers.jobs")
record JobProperties(
        @DefaultValue("2") @Min(1) int workers,
        @DefaultValue("5") @Min(1) int maxActivePerAccount,
        @DefaultValue("10000") @Min(1) int maxMessages,
        @DefaultValue("50000") @Min(1) int maxSentences,
        @DefaultValue("256") @Min(1) int batchSize,
        @DefaultValue("30s") Duration lease,
        @DefaultValue("500ms") Duration pollInterval,
        @DefaultValue("3") @Min(1) int maxAttempts,
        @DefaultValue("10s") Duration shutdownWait,
        // @Valid: without it the nested record's @Min went unchecked, and webhook.senders=0 stopped the start at the
        // dispatcher with a bare IllegalArgumentException stack trace naming no setting
        @DefaultValue @Valid Webhook webhook) {

    /**
     * Durations the workers schedule with or store: a negative or zero one was accepted and the service started (a
     * lease of 0 s or -5 s leaves every running job open to a second claim at once), or it stopped at the start of
     * the job workers with a bare {@code IllegalArgumentException} stack trace naming no setting.
     */
    JobProperties {
        positive("trackers.jobs.lease", lease);
        positive("trackers.jobs.poll-interval", pollInterval);
        notNegative("trackers.jobs.shutdown-wait", shutdownWait);
    }

    /**
     * @param timeout         bound of one delivery attempt: connecting, TLS, sending and reading the answer's status
     * @param maxAttempts     attempts before a delivery is abandoned
     * @param initialBackoff  wait after the first failure; doubles after each further failure (with jitter)
     * @param maxBackoff      cap of the wait between attempts
     * @param pollInterval    how often due deliveries are looked for
     * @param senders         deliveries sent at the same time by this instance; each account has at most one of
     *                        them, so this many accounts with hanging receivers are needed to delay another account
     * @param allowedNetworks CIDR blocks that webhooks may reach although they are private, loopback, link-local or
     *                        otherwise refused (for example {@code 10.20.0.0/16} for receivers inside the operator's
     *                        own network); empty by default, so only public addresses are reached
     */
    record Webhook(
            @DefaultValue("5s") Duration timeout,
            @DefaultValue("8") @Min(1) int maxAttempts,
            @DefaultValue("1s") Duration initialBackoff,
            @DefaultValue("10m") Duration maxBackoff,
            @DefaultValue("500ms") Duration pollInterval,
            @DefaultValue("4") @Min(1) int senders,
            @DefaultValue List<String> allowedNetworks) {

        Webhook {
            positive("trackers.jobs.webhook.timeout", timeout);
            positive("trackers.jobs.webhook.initial-backoff", initialBackoff);
            positive("trackers.jobs.webhook.max-backoff", maxBackoff);
            positive("trackers.jobs.webhook.poll-interval", pollInterval);
            allowedNetworks = allowedNetworks == null ? List.of() : List.copyOf(allowedNetworks);
            // refused here, naming the setting, rather than when the webhook destinations were made: a 128-line
            // stack trace around the reason
            for (String network : allowedNetworks) {
                try {
                    IpNetwork.parse(network);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("trackers.jobs.webhook.allowed-networks: " + e.getMessage());
                }
            }
        }
    }
}

package io.opentrackers.streaming;

import static io.opentrackers.common.Settings.notNegative;
import static io.opentrackers.common.Settings.positive;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the Streaming API ({@code trackers.streaming.*}).
 *
 * @param idleTimeout      a connection that sends no frame for this long is told so and closed
 * @param batchBacklog     a batcher worker takes several waiting sentences in one detector call only once this
 *                         many are waiting, and then its share of them (waiting / workers); below it, one sentence
 *                         per call (1 = always batch)
 * @param batchMaxMessages most sentences in one detector call
 * @param batchMaxWords    most words of the sentences in one detector call (runs of non-white-space, at least one
 *                         per 8 characters: {@code DetectionBatcher.words}): what a call costs grows with its words (a
 *                         long sentence is read in word windows, one model run per 8 words), and another stream's next
 *                         sentence waits for the call under way. A sentence with more words goes into a call of its own
 * @param batchWorkers     threads that take batches off the queue and call the detector; more than one keeps a
 *                         slow call (e.g. the first use of an account's 5000-phrase vocabulary) from holding
 *                         up every other stream
 * @param callbackThreads  threads that store hits and hand {@code tracker_response}s to their connections after a
 *                         batch was detected; they never write to a socket, so a client that stops reading cannot
 *                         hold one
 * @param maxFrameSize     largest text frame accepted (a start_request with inline trackers can be large)
 * @param shutdownDrain    at shutdown, how long streams may take to deliver the results of messages they accepted:
 *                         first every stream's pending results are awaited (new frames are refused), then the
 *                         connections are closed with 1001; the batcher then finishes what is still queued within
 *                         the same bound, and only sentences left after it fail with "the service is shutting down".
 *                         It bounds a backlog on an overloaded machine; an ordinary queue drains far sooner
 * @param recoveryInterval how often {@code StreamRecovery} looks for stored sentences whose detection was never
 *                         recorded (a process died between storing a sentence and its hits); also once at start-up
 * @param recoveryAfter    how long a sentence must have waited before recovery takes it: younger ones belong to a
 *                         live stream whose detection is still under way (here or on another instance)
 * @param maxSentences     sentences the messages of one message_request may split into: every stream's sentences
 *                         share the detection workers, and one request of 45,000 sentences (a 1 MB frame of "Ok.")
 *                         held them for tens of seconds
 * @param sendTimeout      a connection whose socket write has not completed for this long (its client stopped
 *                         reading) is closed with 1008
 * @param sendBufferSize   most output (characters) queued for a connection behind the frame being written; a client
 *                         whose unsent output grows past it is closed with 1008, so a stuck client costs at most this
 * @param revocationCheckInterval how often the open connections' tokens are checked in the database; a connection
 *                         whose token was revoked, or whose account's secret changed after the token was issued (on
 *                         any instance), is closed within this time
 * @param maxConnectionsPerAccount streaming connections one account may have open on this instance at once; one
 *                         more is refused (429 on the handshake), so that one account cannot take the connections,
 *                         memory and conversations every other account shares (an audit opened 2,500 with one token)
 */
@Validated
@ConfigurationProperties("trackers.streaming")
record StreamingProperties(
        @NotNull @DefaultValue("5m") Duration idleTimeout,
        @Min(1) @Max(10_000) @DefaultValue("8") int batchBacklog,
        @Min(1) @Max(10_000) @DefaultValue("64") int batchMaxMessages,
        @Min(1) @Max(1_000_000) @DefaultValue("128") int batchMaxWords,
        @Min(1) @Max(64) @DefaultValue("2") int batchWorkers,
        @Min(1) @Max(64) @DefaultValue("4") int callbackThreads,
        @NotNull @DefaultValue("1MB") DataSize maxFrameSize,
        @NotNull @DefaultValue("5s") Duration shutdownDrain,
        @NotNull @DefaultValue("30s") Duration recoveryInterval,
        @NotNull @DefaultValue("30s") Duration recoveryAfter,
        @Min(1) @DefaultValue("1000") int maxSentences,
        @NotNull @DefaultValue("2s") Duration revocationCheckInterval,
        @NotNull @DefaultValue("10s") Duration sendTimeout,
        @NotNull @DefaultValue("1MB") DataSize sendBufferSize,
        @Min(1) @DefaultValue("200") int maxConnectionsPerAccount) {

    StreamingProperties {
        positive("trackers.streaming.idle-timeout", idleTimeout);
        positive("trackers.streaming.revocation-check-interval", revocationCheckInterval);
        positive("trackers.streaming.send-timeout", sendTimeout);
        positive("trackers.streaming.send-buffer-size", sendBufferSize);
        notNegative("trackers.streaming.shutdown-drain", shutdownDrain);
        // every frame would be "larger than 0 KB" and ignored: a service that tracks nothing
        positive("trackers.streaming.max-frame-size", maxFrameSize);
        positive("trackers.streaming.recovery-interval", recoveryInterval);
        notNegative("trackers.streaming.recovery-after", recoveryAfter);
    }
}

package io.opentrackers.common;

import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;

/**
 * The order in which the service stops, in one place: every {@link SmartLifecycle} of ours returns one of these
 * phases. Spring stops lifecycles from the highest phase down and finishes a phase before starting the next; only
 * after the last phase does it destroy beans, so every step below still has the database.
 *
 * <ol>
 *   <li>{@code ContextClosedEvent}, before any phase: the open streaming connections refuse new frames, wait for
 *       their streams' pending results and close with 1001. The detection batcher is still running, so those streams' sentences get their results.
 *   <li>{@link #STOP_TAKING_WORK}: the job poller stops claiming, running jobs stop at their next batch boundary
 *       and their leases are released, so another instance (or the next start) takes them over at once instead of
 *       after the lease runs out. This comes before the web server's graceful shutdown so that slow HTTP requests
 *       do not delay the hand-back.
 *   <li>{@link #STOP_NOTIFYING}: webhook delivery finishes the notification being sent and hands the rest of its
 *       round back. After the jobs, so that a slow webhook receiver does not delay their hand-back either.
 *   <li>{@link #WEB_SERVER_GRACEFUL}: Spring Boot's graceful shutdown; no new requests, requests in flight finish
 *       within {@code spring.lifecycle.timeout-per-shutdown-phase}. A job submitted meanwhile stays scheduled for
 *       the next instance.
 *   <li>{@link #DRAIN_STREAMING}: the detection batcher finishes the sentences already queued (bounded), delivering
 *       their results while sockets and the database are still up, and fails only what is left after the bound.
 *   <li>Spring Boot stops the web server (its own phase, below {@link #DRAIN_STREAMING}).
 *   <li>Bean destruction: the data source closes, then the embedded PostgreSQL, which depends on nothing of ours
 *       and is therefore destroyed last. It must not stop on its own JVM shutdown hook (see the embedded database
 *       configuration).
 * </ol>
 */
public final class ShutdownPhases {

    /** Stops first: no new job claims; running jobs are handed back. */
    public static final int STOP_TAKING_WORK = SmartLifecycle.DEFAULT_PHASE;

    /** Right after the jobs: webhook delivery stops. */
    public static final int STOP_NOTIFYING = STOP_TAKING_WORK - 1;

    /** Spring Boot's graceful web server shutdown, named here to place our phases around it. */
    public static final int WEB_SERVER_GRACEFUL = WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE;

    /** After no request is in flight, before the web server (and with it every socket) stops. */
    public static final int DRAIN_STREAMING = WEB_SERVER_GRACEFUL - 512;

    private ShutdownPhases() {
    }
}

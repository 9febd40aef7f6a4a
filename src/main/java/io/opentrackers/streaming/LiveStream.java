package io.opentrackers.streaming;

import io.opentrackers.account.AccountId;
import io.opentrackers.conversation.Speaker;
import java.util.concurrent.CompletableFuture;

/**
 * One stream between start and stop: whose it is, where it is stored, what it listens for, where its results go,
 * and the work still pending for it. Results come back on batcher callback threads, so the pending work is
 * guarded by this object's monitor.
 */
final class LiveStream {

    private final AccountId account;
    private final String conversationId;
    private final TrackerSet trackers;
    private final boolean interimResults;
    private final Speaker speaker;
    private final StreamOutput output;
    /** Completes when every detection started for this stream has been stored and delivered. */
    private CompletableFuture<Void> pending = CompletableFuture.completedFuture(null);

    LiveStream(AccountId account, String conversationId, TrackerSet trackers, boolean interimResults,
            Speaker speaker, StreamOutput output) {
        this.account = account;
        this.conversationId = conversationId;
        this.trackers = trackers;
        this.interimResults = interimResults;
        this.speaker = speaker;
        this.output = output;
    }

    AccountId account() {
        return account;
    }

    String conversationId() {
        return conversationId;
    }

    TrackerSet trackers() {
        return trackers;
    }

    boolean interimResults() {
        return interimResults;
    }

    /** Who speaks when a message names nobody ({@code speaker} of the start request), or null. */
    Speaker speaker() {
        return speaker;
    }

    StreamOutput output() {
        return output;
    }

    synchronized void track(CompletableFuture<?> work) {
        CompletableFuture<Void> settled = work.handle((result, error) -> null);
        // start afresh when nothing is pending: chaining onto finished work kept every future of a long stream
        pending = pending.isDone() ? settled : CompletableFuture.allOf(pending, settled);
    }

    /** Completes once everything started so far is stored and delivered. */
    synchronized CompletableFuture<Void> pending() {
        return pending;
    }

    synchronized boolean busy() {
        return !pending.isDone();
    }
}

package io.opentrackers.common;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** Waiting for work handed to another thread. */
public final class Stages {

    private Stages() {
    }

    /**
     * The result of {@code stage}, waiting however long it takes, even when interrupted: the stages waited for are
     * short (a chunk's scoring, a job batch's statements), and leaving one running would let it act after its caller
     * moved on. An interrupt is kept for the caller to see afterwards; a stage's runtime failure is rethrown as is.
     */
    public static <T> T awaitUninterruptibly(CompletableFuture<T> stage) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return stage.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException runtime ? runtime
                            : new IllegalStateException(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

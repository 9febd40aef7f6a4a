package io.opentrackers.detection;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentrackers.embedding.EmbeddingProperties;
import io.opentrackers.matching.EmbeddingModel;
import io.opentrackers.matching.SimilarityKernel;
import io.opentrackers.matching.VocabularyIndex;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The detector's shared pieces that are not components of their own: the index cache, the warm-up thread and the
 * scoring threads.
 */
@Configuration(proxyBeanMethods = false)
class DetectionConfiguration {

    static final String WARM_UP_EXECUTOR = "vocabularyWarmUpExecutor";
    static final String SCORING_EXECUTOR = "detectionScoringExecutor";

    /**
     * Warm-ups queued at most. Each account has at most one queued (they coalesce), so this is the number of accounts
     * changed while warm-ups are behind; one more is dropped, and the first detection of its account builds the index.
     */
    private static final int WARM_UP_QUEUE = 1000;

    @Bean
    IndexCache indexCache(VocabularyVectors vectors, SimilarityKernel kernel, TrackerThresholds thresholds,
            MatchingProperties properties, MeterRegistry meters) {
        return new IndexCache((account, trackers) -> new VocabularyIndex(vectors.of(account, trackers), kernel,
                thresholds.evidence()),
                properties.indexCachePhrases(), meters);
    }

    /**
     * The account's recent texts' vectors, shared by detection and teaching: what every account-facing call embeds
     * goes through it.
     */
    @Bean
    RememberedVectors rememberedVectors(EmbeddingModel model, EmbeddingProperties embedding, MeterRegistry meters) {
        return new RememberedVectors(model, embedding.rememberedVectors().toBytes(), meters);
    }

    /**
     * The warm-up thread. A {@link ThreadPoolTaskExecutor} rather than a {@code SimpleAsyncTaskExecutor} with a
     * concurrency limit of 1: warm-ups are handed over by the thread that committed a tracker change (a request
     * thread), and the throttled executor makes that thread wait while a warm-up runs, whereas a pool with a queue
     * takes the task and returns. One thread: warm-ups never compete with each other for the cores that matching
     * needs. Bounded queue: a full one rejects, which the warm-up treats as a skipped (optional) preparation.
     *
     * <p>Spring shuts it down when the context closes, before the model and the database are: queued warm-ups are
     * dropped (they prepare for requests that will not come) and a running one gets a few seconds to finish. Daemon
     * threads, so that a context nobody closes (a test's) never keeps the JVM alive.
     *
     * <p>Not a default candidate: it is injected by name only, and Spring Boot keeps its own
     * {@code applicationTaskExecutor}, which backs off when it sees any other {@code Executor} bean.
     */
    @Bean(name = WARM_UP_EXECUTOR, defaultCandidate = false)
    ThreadPoolTaskExecutor vocabularyWarmUpExecutor() {
        ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
        executor.setThreadNamePrefix("vocabulary-warm-up-");
        executor.setCorePoolSize(1);
        executor.setMaxPoolSize(1);
        executor.setQueueCapacity(WARM_UP_QUEUE);
        executor.setDaemon(true);
        executor.setWaitForTasksToCompleteOnShutdown(false);
        executor.setAwaitTerminationSeconds(10);
        return executor;
    }

    /**
     * The threads that score a big call's chunks while their caller embeds the next ({@link DetectionService}), one
     * per core. When all are busy the chunk is scored by its caller, so a call never waits for another call's scoring;
     * that holds after shutdown began too (a call still finishing is scored on its own thread rather than dropped,
     * which would leave it waiting for ever). Spring shuts them down after the detector, whose callers are gone by
     * then; chunks already handed over are still scored. Not a default candidate, for the same reason as the
     * warm-up's.
     */
    @Bean(name = SCORING_EXECUTOR, defaultCandidate = false)
    ThreadPoolTaskExecutor detectionScoringExecutor() {
        return scoringExecutor(Runtime.getRuntime().availableProcessors());
    }

    static ThreadPoolTaskExecutor scoringExecutor(int threads) {
        ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
        executor.setThreadNamePrefix("detection-scoring-");
        executor.setCorePoolSize(threads);
        executor.setMaxPoolSize(threads);
        executor.setQueueCapacity(threads);
        executor.setAllowCoreThreadTimeOut(true);
        executor.setRejectedExecutionHandler((task, pool) -> task.run());
        executor.setDaemon(true);
        executor.setWaitForTasksToCompleteOnShutdown(true);
        return executor;
    }
}

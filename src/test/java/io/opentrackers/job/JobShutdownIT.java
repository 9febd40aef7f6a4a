package io.opentrackers.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.TestApi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * SIGTERM during a job hands it back at once: the packaged service exits promptly, the job's row has no lease
 * owner and a lease that has already ended by the time the process is gone, nothing in the log says the database
 * was gone before the hand-back, and after a restart the job resumes at once and completes with every hit once.
 * The lease is far longer than the test, so only the hand-back, never the lease running out, lets the job resume.
 */
class JobShutdownIT {

    private static final Duration LEASE = Duration.ofMinutes(10);
    /** Well within the lease: a running job stops at its next batch boundary, and batches here are small. */
    private static final Duration PROMPT_EXIT = Duration.ofSeconds(20);

    @RegisterExtension
    final PackagedServiceOnPostgres service = new PackagedServiceOnPostgres();

    @Test
    void sigtermDuringAJobHandsItBackAtOnce() throws Exception {
        Path firstLog = Path.of("target", "shutdown-service-1.log");
        Path secondLog = Path.of("target", "shutdown-service-2.log");
        Files.deleteIfExists(firstLog);
        Files.deleteIfExists(secondLog);
        TestApi api = service.start(firstLog, LEASE);
        JdbcClient db = service.database();

        TestApi.Response submitted = api.post("/v1/process/text", PackagedService.longJobRequest());
        assertThat(submitted.status()).isEqualTo(201);
        String jobId = submitted.body().get("jobId").asString();
        PackagedService.awaitBatches(api, jobId, 3);

        service.process().destroy(); // SIGTERM on Linux: Spring's shutdown hook runs the ordered stop
        assertThat(service.process().waitFor(PROMPT_EXIT.toSeconds(), TimeUnit.SECONDS))
                .as("the service exits within %s of SIGTERM (lease %s); see %s", PROMPT_EXIT, LEASE, firstLog)
                .isTrue();

        Map<String, Object> handedBack = db.sql("""
                select status, lease_owner, lease_until, now() as checked_at, done, total, attempts
                from job where id = :id""").param("id", jobId).query().singleRow();
        assertThat(handedBack.get("status")).as("still part done, so it was running at SIGTERM")
                .isEqualTo("in_progress");
        assertThat((Integer) handedBack.get("done")).isPositive().isLessThan(PackagedService.MESSAGES);
        assertThat(handedBack.get("lease_owner")).as("handed back: no instance owns it").isNull();
        assertThat((Timestamp) handedBack.get("lease_until")).as("claimable now, not when the lease would end")
                .isBeforeOrEqualTo((Timestamp) handedBack.get("checked_at"));
        assertThat(handedBack.get("attempts")).as("a hand-back does not use up an attempt").isEqualTo(0);
        String log = Files.readString(firstLog);
        assertThat(log).contains("Handed 1 running job(s) back to the queue")
                .doesNotContain("PSQLException")
                .doesNotContain("Could not release job leases")
                .doesNotContain("did not reach a batch boundary");

        service.restart(secondLog);
        JsonNode done = AsyncApiTestSupport.awaitJob(api, jobId, "completed", PackagedService.JOB_PATIENCE);
        assertThat(done.get("progress").get("done").asInt()).isEqualTo(PackagedService.MESSAGES);
        assertThat(db.sql("select attempts from job where id = :id").param("id", jobId).query(Integer.class).single())
                .as("claimed once after the restart").isEqualTo(1);
        PackagedService.assertEveryMessageHitOnce(api, submitted.body().get("conversationId").asString());
    }
}

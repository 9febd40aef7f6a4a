package io.opentrackers.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.TestApi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * A job accepted with 201 survives kill -9 of the service: the packaged service (real matching engine and model)
 * runs as a child process on a PostgreSQL started by this test, is killed while one job is half done and another
 * waits, and after a restart both complete, the half-done one resuming after its last committed batch without
 * duplicating hits.
 */
class JobDurabilityIT {

    @RegisterExtension
    final PackagedServiceOnPostgres service = new PackagedServiceOnPostgres();

    @Test
    void acceptedJobsCompleteAfterTheServiceIsKilledAndRestarted() throws Exception {
        Path log = Path.of("target", "durability-service.log");
        Files.deleteIfExists(log);
        // short, so that the killed instance's job is taken over soon after the restart (which takes about as long
        // by itself), yet three heartbeats long (one every lease / 3): a heartbeat delayed by a loaded machine must not
        // lose a running job its lease, which would claim it a third time (it was 2 s, 0.67 s between heartbeats)
        TestApi api = service.start(log, Duration.ofSeconds(10));
        JdbcClient db = service.database();

        TestApi.Response big = api.post("/v1/process/text", PackagedService.longJobRequest());
        TestApi.Response small = api.post("/v1/process/text", "{\"trackers\":[" + PackagedService.tracker()
                + "],\"messages\":[{\"payload\":{\"content\":\"What is the price?\"}}]}");
        assertThat(big.status()).isEqualTo(201);
        assertThat(small.status()).isEqualTo(201);
        String bigJob = big.body().get("jobId").asString();
        String smallJob = small.body().get("jobId").asString();

        // kill -9 once the big job has committed some batches but not all (one worker: the small job waits)
        PackagedService.awaitBatches(api, bigJob, 1);
        service.process().destroyForcibly().waitFor();
        Map<String, Object> atKill = db.sql("select status, done, total from job where id = :id")
                .param("id", bigJob).query().singleRow();
        assertThat(atKill.get("status")).isEqualTo("in_progress");
        assertThat((Integer) atKill.get("done")).isPositive().isLessThan(PackagedService.MESSAGES);
        assertThat(db.sql("select status from job where id = :id").param("id", smallJob).query(String.class).single())
                .isEqualTo("scheduled");

        service.restart(log);
        for (String job : List.of(bigJob, smallJob)) {
            JsonNode done = AsyncApiTestSupport.awaitJob(api, job, "completed", PackagedService.JOB_PATIENCE);
            assertThat(done.get("progress").get("done").asInt()).isEqualTo(done.get("progress").get("total").asInt());
        }
        assertThat(db.sql("select attempts from job where id = :id").param("id", bigJob).query(Integer.class).single())
                .isEqualTo(2);
        PackagedService.assertEveryMessageHitOnce(api, big.body().get("conversationId").asString());
    }
}

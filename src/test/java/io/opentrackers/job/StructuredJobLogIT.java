package io.opentrackers.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.TestApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

/**
 * With structured logs switched on, what a job logs names the job, its conversation and its account, so that an
 * operator can find every line about one customer's failed job.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "logging.structured.format.console=ecs")
@Import(AsyncApiTestSupport.LiteralDetectorConfiguration.class)
@ExtendWith(OutputCaptureExtension.class)
class StructuredJobLogIT {

    @LocalServerPort
    int port;

    @Test
    void aFailedJobsLogLineCarriesTheJobConversationAndAccountIds(CapturedOutput output) {
        TestApi api = TestApi.newAccount("http://localhost:" + port);
        AsyncApiTestSupport.createTracker(api, "Matcher", "the matcher");
        TestApi.Response accepted = api.post("/v1/process/text",
                "{\"messages\": [{\"payload\": {\"content\": \"This breaks [fail] the matcher.\"}}]}");
        assertThat(accepted.status()).isEqualTo(201);
        String jobId = accepted.body().get("jobId").asString();
        AsyncApiTestSupport.awaitJob(api, jobId, "failed");

        String line = output.getOut().lines().filter(text -> text.contains("Job " + jobId + " failed")).findFirst()
                .orElseThrow(() -> new AssertionError("no log line about job " + jobId));
        assertThat(TestApi.json(line).get("jobId").asString()).isEqualTo(jobId);
        assertThat(TestApi.json(line).get("conversationId").asString())
                .isEqualTo(accepted.body().get("conversationId").asString());
        assertThat(TestApi.json(line).get("accountId").asString()).isEqualTo(api.accountId());
    }
}

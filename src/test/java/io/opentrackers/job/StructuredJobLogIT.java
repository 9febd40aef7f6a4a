package io.opentrackers.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.TestApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.logging.LoggingSystemProperty;
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

    /**
     * The suite runs in one JVM, and Spring Boot configures Logback only once in it: a context another test class
     * started earlier leaves it marked initialised, and this context's ECS format is then ignored (which made this
     * test pass or fail depending on the order the classes ran in). Clearing the mark before this class's context
     * starts makes it apply its own format. Afterwards the mark is cleared again and so is the system property in
     * which Spring Boot keeps the format (a later context would inherit it), so that the next context logs plain lines
     * again, as the test classes that read them (FirstRunAccountIT) expect.
     */
    @BeforeAll
    static void letThisContextConfigureLogging() {
        LoggingSystem.get(StructuredJobLogIT.class.getClassLoader()).cleanUp();
    }

    @AfterAll
    static void letTheNextContextConfigureLogging() {
        System.clearProperty(LoggingSystemProperty.CONSOLE_STRUCTURED_FORMAT.getEnvironmentVariableName());
        LoggingSystem.get(StructuredJobLogIT.class.getClassLoader()).cleanUp();
    }

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

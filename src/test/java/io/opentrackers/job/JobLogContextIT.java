package io.opentrackers.job;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.opentrackers.TestApi;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a job logs names the job, its conversation and its account (the logging context, which structured logs,
 * {@code logging.structured.format.console}, write as fields), so that an operator can find every line about one
 * customer's failed job.
 */
class JobLogContextIT extends AsyncApiTestSupport {

    @RegisterExtension
    final CapturedLog runnerLog = new CapturedLog(JobRunner.class);

    @Test
    void aFailedJobsLogLineCarriesTheJobConversationAndAccountIds() {
        TestApi api = newAccount();
        createTracker(api, "Matcher", "the matcher");
        String jobId = submitOneMessage(api, "This breaks [fail] the matcher.");
        String conversationId = awaitJob(api, jobId, "failed").get("conversationId").asString();

        ILoggingEvent failure = runnerLog.events().stream()
                .filter(event -> event.getFormattedMessage().equals("Job " + jobId + " failed")).findFirst()
                .orElseThrow(() -> new AssertionError("no log line about job " + jobId));
        assertThat(failure.getMDCPropertyMap()).containsAllEntriesOf(Map.of(
                "jobId", jobId,
                "conversationId", conversationId,
                "accountId", api.accountId()));
    }
}

package io.opentrackers.job;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.opentrackers.TestApi;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * What a job logs names the job, its conversation and its account (the logging context, which structured logs,
 * {@code logging.structured.format.console}, write as fields), so that an operator can find every line about one
 * customer's failed job.
 */
class JobLogContextIT extends AsyncApiTestSupport {

    private final Logger runnerLog = (Logger) LoggerFactory.getLogger(JobRunner.class);
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();

    @BeforeEach
    void listen() {
        events.start();
        runnerLog.addAppender(events);
    }

    @AfterEach
    void stopListening() {
        runnerLog.detachAppender(events);
    }

    @Test
    void aFailedJobsLogLineCarriesTheJobConversationAndAccountIds() {
        TestApi api = newAccount();
        createTracker(api, "Matcher", "the matcher");
        String jobId = submitOneMessage(api, "This breaks [fail] the matcher.");
        String conversationId = awaitJob(api, jobId, "failed").get("conversationId").asString();

        ILoggingEvent failure = events.list.stream()
                .filter(event -> event.getFormattedMessage().equals("Job " + jobId + " failed")).findFirst()
                .orElseThrow(() -> new AssertionError("no log line about job " + jobId));
        assertThat(failure.getMDCPropertyMap()).containsAllEntriesOf(Map.of(
                "jobId", jobId,
                "conversationId", conversationId,
                "accountId", api.accountId()));
    }
}

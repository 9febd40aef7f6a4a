package io.opentrackers.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.StoredConversationsTestSupport;
import io.opentrackers.TestApi;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.http.HttpMethod;

/**
 * How long {@code DELETE /v1/conversations/{id}} takes on a large conversation: 10,000 sentences, each with a hit and
 * a stored vector, in an account that holds other conversations. Opt-in (it stores 30,000 sentences):
 * {@code ./mvnw -B verify -Dbenchmark=true -Dit.test=ConversationDeleteBenchmarkIT -Dtest=NONE
 * -Dsurefire.failIfNoSpecifiedTests=false}; prints one line per delete. Figures: docs/performance.md.
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class ConversationDeleteBenchmarkIT extends StoredConversationsTestSupport {

    static final int SENTENCES = 10_000;

    @Test
    void deletingATenThousandSentenceConversation() {
        TestApi api = newAccount();
        createTracker(api, "Pricing", "price");
        List<String> messages = new ArrayList<>();
        for (int i = 0; i < SENTENCES; i++) {
            messages.add("{\"payload\": {\"content\": \"Sentence " + i + " asks about the price.\"}}");
        }
        String body = "{\"messages\": [" + String.join(",", messages) + "]}";
        List<Submitted> conversations = new ArrayList<>();
        for (int run = 0; run < 3; run++) {
            Submitted submitted = submit(api, body);
            awaitCompleted(api, submitted.jobId());
            // a vector per sentence, as jobs with the real detector keep them (384 float32)
            jdbc.sql("""
                    insert into message_vector (message_id, model_id, account_id, vector)
                    select id, 'benchmark', cast(:account as uuid), decode(repeat('00', 1536), 'hex')
                    from conversation_message where conversation_id = :id""")
                    .param("account", api.accountId()).param("id", submitted.conversationId()).update();
            conversations.add(submitted);
        }
        for (Submitted conversation : conversations) {
            assertThat(jdbc.sql("select count(*) from tracker_hit where conversation_id = ?")
                    .params(conversation.conversationId()).query(Integer.class).single()).isEqualTo(SENTENCES);
            long started = System.nanoTime();
            TestApi.Response deleted = api.send(HttpMethod.DELETE,
                    "/v1/conversations/" + conversation.conversationId(), null, null);
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertThat(deleted.status()).isEqualTo(200);
            System.out.printf("Conversation delete: %,d sentences, %,d hits, %,d vectors: %d ms (load %.2f)%n",
                    SENTENCES, SENTENCES, SENTENCES, millis,
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }
}

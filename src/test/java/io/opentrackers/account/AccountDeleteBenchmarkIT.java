package io.opentrackers.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.StoredConversationsTestSupport;
import io.opentrackers.TestApi;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.http.HttpMethod;
import org.springframework.web.client.RestClient;

/**
 * How long {@code DELETE /admin/accounts/{appId}} takes on an account of 100,000 sentences (10 conversations of 10,000,
 * each sentence with a hit and a stored vector, each conversation with its job), next to another account of the same
 * size that stays. Opt-in (it stores 200,000 sentences): {@code ./mvnw -B verify -Dbenchmark=true
 * -Dit.test=AccountDeleteBenchmarkIT -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false}; prints one line. Figures:
 * docs/performance.md.
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class AccountDeleteBenchmarkIT extends StoredConversationsTestSupport {

    static final int CONVERSATIONS = 10;
    static final int SENTENCES_EACH = 10_000;

    /** The rows the job and detection paths would have stored, written in bulk (storing them through jobs takes long). */
    private void store(TestApi api) {
        UUID account = UUID.fromString(api.accountId());
        String tracker = createTracker(api, "Pricing", "price");
        Submitted small = submit(api, "{\"messages\": [{\"payload\": {\"content\": \"What is the price?\"}}]}");
        awaitCompleted(api, small.jobId()); // rollups, a job, a hit through the real path
        jdbc.sql("""
                insert into conversation (id, account_id, source, created_on, updated_on, started_on, last_seq,
                                          last_turn)
                select gen_random_uuid()::text, ?, 'async', now(), now(), now(), ?, ? from generate_series(1, ?)""")
                .params(account, SENTENCES_EACH, SENTENCES_EACH, CONVERSATIONS).update();
        jdbc.sql("""
                insert into conversation_message (id, conversation_id, seq, text, source_index, char_start, char_end,
                                                  created_on, turn)
                select gen_random_uuid()::text, c.id, s, 'Sentence ' || s || ' asks about the price.', s - 1, 0, 30,
                       now(), s - 1
                from conversation c, generate_series(1, ?) s where c.account_id = ? and c.last_seq = ?""")
                .params(SENTENCES_EACH, account, SENTENCES_EACH).update();
        jdbc.sql("""
                insert into tracker_hit (conversation_id, message_id, tracker_id, tracker_name, phrase, phrase_offset,
                                         score, span_start, span_end)
                select m.conversation_id, m.id, ?, 'Pricing', 'price', 0, 1.0, 0, 30
                from conversation_message m join conversation c on c.id = m.conversation_id
                where c.account_id = ? and c.last_seq = ?""").params(tracker, account, SENTENCES_EACH).update();
        // a vector per sentence, as jobs with the real detector keep them (384 float32)
        jdbc.sql("""
                insert into message_vector (message_id, model_id, account_id, vector)
                select m.id, 'benchmark', c.account_id, decode(repeat('00', 1536), 'hex')
                from conversation_message m join conversation c on c.id = m.conversation_id
                where c.account_id = ? and c.last_seq = ?""").params(account, SENTENCES_EACH).update();
        jdbc.sql("""
                insert into job (id, account_id, conversation_id, status, trackers, selection, first_seq, last_seq,
                                 done, total, created_on, updated_on, finished_on)
                select gen_random_uuid()::text, c.account_id, c.id, 'completed', '[]', '{}', 1, ?, ?, ?, now(), now(),
                       now()
                from conversation c where c.account_id = ? and c.last_seq = ?""")
                .params(SENTENCES_EACH, SENTENCES_EACH, SENTENCES_EACH, account, SENTENCES_EACH).update();
        jdbc.sql("analyze").update();
    }

    @Test
    void deletingAHundredThousandSentenceAccount() {
        TestApi deleted = newAccount();
        TestApi kept = newAccount();
        store(deleted);
        store(kept);
        int sentences = jdbc.sql("""
                select count(*) from conversation_message m join conversation c on c.id = m.conversation_id
                where c.account_id = ?""").params(UUID.fromString(deleted.accountId())).query(Integer.class).single();
        assertThat(sentences).isGreaterThan(CONVERSATIONS * SENTENCES_EACH);

        long started = System.nanoTime();
        int status = RestClient.create("http://localhost:" + port).method(HttpMethod.DELETE)
                .uri("/admin/accounts/" + deleted.appId()).header("X-Operator-Key", "test-operator-key").retrieve()
                .toBodilessEntity().getStatusCode().value();
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertThat(status).isEqualTo(204);
        assertThat(jdbc.sql("select count(*) from message_vector where account_id = ?")
                .params(UUID.fromString(deleted.accountId())).query(Integer.class).single()).isZero();
        System.out.printf("Account delete: %,d sentences, %,d hits, %,d vectors, %d conversations: %d ms (load %.2f)%n",
                sentences, sentences, sentences, CONVERSATIONS + 1, millis,
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
}

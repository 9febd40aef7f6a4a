package io.opentrackers.web;

import static io.opentrackers.ServiceClient.tracker;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.ServiceClient;
import io.opentrackers.ServiceClient.Reply;
import io.opentrackers.ServiceClientTestSupport;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A JSON member that differs from one its object takes only by case, separators or a plural 's' is a typo: it was
 * dropped as unknown, so {@code {"webhookURL": ...}} ran a job without its webhook and {@code "Vocabulary"} created
 * a tracker without its phrases, each answered with success. It is a 400 naming the member with its path and the one
 * meant, for every kind of body, and nothing is stored; any other unknown member (Symbl's clients send many) is still
 * ignored.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MisspeltMembersIT extends ServiceClientTestSupport {

    private static final String MESSAGE = "{\"payload\":{\"content\":\"How much does it cost?\"},"
            + "\"from\":{\"userId\":\"ann@example.com\",\"name\":\"Ann\"}}";
    private static final String PHRASES = "[\"how much does it cost\",\"what is the price\",\"pricing plans\","
            + "\"too expensive\",\"discount\"]";

    @Autowired
    JdbcClient jdbc;

    String trackerId;
    String conversationId;

    @BeforeEach
    void setUp() {
        trackerId = api.post(account, "/v1/manage/trackers", tracker("Pricing")).json().at("/tracker/id").asString();
        conversationId = api.post(account, "/v1/process/text", "{\"messages\":[" + MESSAGE + "]}")
                .text("conversationId");
    }

    @Test
    void aJobWithAMisspeltWebhookIsRefusedNamingTheMemberMeant() {
        int before = count("conversation");

        Reply reply = api.post(account, "/v1/process/text", "{\"messages\":[" + MESSAGE + "],"
                + "\"webhookURL\":\"https://example.com/hook\"}");

        assertRefused(reply, "webhookURL", "webhookUrl");
        assertThat(count("conversation")).isEqualTo(before);
    }

    @Test
    void aMisspeltMemberDeepInAMessageIsNamedWithItsPath() {
        Reply reply = api.post(account, "/v1/process/text", "{\"messages\":[" + MESSAGE + "," + MESSAGE + ","
                + "{\"payload\":{\"content\":\"Too expensive.\"},\"from\":{\"userid\":\"bob@example.com\"}}]}");

        assertRefused(reply, "messages[2].from.userid", "userId");
    }

    @Test
    void anAppendWithMisspeltSpeakerRolesStoresNothing() {
        Reply reply = api.put(account, "/v1/process/text/" + conversationId, "{\"messages\":[" + MESSAGE + "],"
                + "\"speakerroles\":{\"Ann\":\"agent\"}}");

        assertRefused(reply, "speakerroles", "speakerRoles");
        assertThat(jdbc.sql("select count(*) from conversation_message where conversation_id = ?")
                .param(conversationId).query(Integer.class).single()).isEqualTo(1);
    }

    @Test
    void aTrackerWithMisspeltVocabularyIsNotCreated() {
        int before = count("tracker");

        Reply reply = api.post(account, "/v1/manage/trackers", "{\"name\":\"Budget\",\"Vocabulary\":" + PHRASES + "}");

        assertRefused(reply, "Vocabulary", "vocabulary");
        assertThat(count("tracker")).isEqualTo(before);
    }

    @Test
    void aBulkItemWithAMisspeltMemberIsNamedByItsIndexAndNothingIsCreated() {
        int before = count("tracker");

        Reply reply = api.post(account, "/v1/manage/trackers/bulk", "[{\"name\":\"Budget\",\"vocabulary\":" + PHRASES
                + "},{\"name\":\"Churn\",\"vocabulary\":" + PHRASES + ",\"speakers\":\"customer\"}]");

        assertRefused(reply, "speakers", "speaker");
        assertThat(reply.json().at("/errors/0/index").asInt()).isEqualTo(1);
        assertThat(count("tracker")).isEqualTo(before);
    }

    @Test
    void aMisspeltBulkWrapperIsNamedRatherThanReadAsOneTracker() {
        Reply reply = api.post(account, "/v1/manage/trackers", "{\"Trackers\":[{\"name\":\"Budget\",\"vocabulary\":"
                + PHRASES + "}]}");

        assertRefused(reply, "Trackers", "trackers");
    }

    @Test
    void aReplacedTrackerWithAMisspeltWindowMemberKeepsItsVersion() {
        Reply reply = api.put(account, "/v1/manage/trackers/" + trackerId, "{\"name\":\"Pricing\",\"vocabulary\":"
                + PHRASES + ",\"window\":{\"anchor\":\"start\",\"second\":60}}");

        assertRefused(reply, "window.second", "seconds");
        assertThat(api.get(account, "/v1/manage/trackers/" + trackerId).json().at("/tracker/version").asInt())
                .isEqualTo(1);
    }

    @Test
    void anExampleWithAMisspeltMemberIsNotStored() {
        Reply reply = api.post(account, "/v1/manage/trackers/" + trackerId + "/examples",
                "[{\"text\":\"Is there a cheaper plan?\",\"match\":true},{\"Text\":\"Nice weather\",\"match\":false}]");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().at("/errors/0/index").asInt()).isEqualTo(1);
        assertThat(reply.json().at("/errors/0/field").asString()).isEqualTo("Text");
        assertThat(reply.json().at("/errors/0/message").asString())
                .isEqualTo("is not a known field; did you mean text?");
        assertThat(jdbc.sql("select count(*) from tracker_example where tracker_id = ?").param(trackerId)
                .query(Integer.class).single()).isZero();
    }

    @Test
    void aMatchWithAMisspeltInlineTrackerMemberIsRefused() {
        Reply reply = api.post(account, "/v1/match", "{\"messages\":[" + MESSAGE + "],\"trackers\":[{\"name\":"
                + "\"Budget\",\"vocabulary\":" + PHRASES + ",\"Sensitivity\":0.9}]}");

        assertRefused(reply, "trackers[0].Sensitivity", "sensitivity");
    }

    @Test
    void anAccountWithAMisspeltAppIdIsNotCreated() {
        int before = jdbc.sql("select count(*) from account").query(Integer.class).single();

        Reply reply = api.send("POST", "/admin/accounts", Map.of("X-Operator-Key", ServiceClient.OPERATOR_KEY),
                "{\"appid\":\"team-typo\"}");

        assertRefused(reply, "appid", "appId");
        assertThat(jdbc.sql("select count(*) from account").query(Integer.class).single()).isEqualTo(before);
    }

    /** A job body with several typos was refused once per typo, each answer naming only the first one left. */
    @Test
    void aJobWithSeveralMisspeltMembersIsRefusedNamingEveryOne() {
        int before = count("conversation");

        Reply reply = api.post(account, "/v1/process/text", "{\"webhookURL\":\"https://example.com/hook\","
                + "\"messages\":[" + MESSAGE + ",{\"payload\":{\"content\":\"Too expensive.\"},"
                + "\"from\":{\"userid\":\"bob@example.com\"}}],\"speakerroles\":{\"Ann\":\"agent\"},"
                + "\"trackers\":[{\"name\":\"Budget\",\"vocabulary\":" + PHRASES + ",\"Sensitivity\":0.9}]}");

        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
        assertThat(reply.json().get("errors").valueStream()
                .map(error -> error.get("field").asString() + ": " + error.get("message").asString()).toList())
                .containsExactlyInAnyOrder(
                        "webhookURL: is not a known field; did you mean webhookUrl?",
                        "messages[1].from.userid: is not a known field; did you mean userId?",
                        "speakerroles: is not a known field; did you mean speakerRoles?",
                        "trackers[0].Sensitivity: is not a known field; did you mean sensitivity?");
        assertThat(reply.text("detail")).contains("webhookURL", "messages[1].from.userid", "speakerroles",
                "trackers[0].Sensitivity");
        assertThat(count("conversation")).isEqualTo(before);
    }

    /**
     * A JSON-Patch operation's members were not checked: {@code "paht"} read as no path, {@code "Op"} as no op, and
     * {@code /vocabularies/-} was refused without the path meant.
     */
    @Test
    void aPatchWithMisspeltOperationMembersOrPathsIsRefusedNamingWhatWasMeant() {
        Reply reply = api.patch(account, "/v1/manage/trackers/" + trackerId, """
                [{"Op": "add", "path": "/vocabulary/-", "value": "cheaper plan"},
                 {"op": "add", "paht": "/vocabulary/-", "value": "cheaper plan"},
                 {"op": "add", "path": "/vocabularies/-", "value": "cheaper plan"}]""");

        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
        assertThat(reply.text("type")).isEqualTo("https://opentrackers.io/problems/invalid-request");
        assertThat(reply.json().get("errors").valueStream()
                .map(error -> error.get("field").asString() + ": " + error.get("message").asString()).toList())
                .containsExactly(
                        "patch[0].Op: is not a known field; did you mean op?",
                        "patch[1].paht: is not a known field; did you mean path?",
                        "patch[2].path: '/vocabularies/-' is not a path of a tracker; did you mean /vocabulary/-?");
        assertThat(api.get(account, "/v1/manage/trackers/" + trackerId).json().at("/tracker/version").asInt())
                .isEqualTo(1);
    }

    /** What Symbl's clients send besides what the service reads is still ignored, on jobs and trackers alike. */
    @Test
    void aSymblStyleBodyWithFieldsTheServiceDoesNotReadIsStillAccepted() {
        Reply job = api.post(account, "/v1/process/text", "{\"name\":\"Call\",\"confidenceThreshold\":0.6,"
                + "\"detectPhrases\":true,\"enableSummary\":true,\"detectEntities\":true,\"languageCode\":\"en-US\","
                + "\"mode\":\"default\",\"entities\":[{\"customType\":\"plan\",\"text\":\"gold\"}],"
                + "\"customVocabulary\":[\"Acme\"],\"enableSpeakerDiarization\":false,"
                + "\"messages\":[{\"payload\":{\"content\":\"How much does it cost?\",\"contentType\":\"text/plain\"},"
                + "\"from\":{\"id\":\"1\",\"name\":\"Ann\",\"userId\":\"ann@example.com\"},"
                + "\"duration\":{\"startTime\":\"2026-03-01T10:00:00.000Z\",\"endTime\":\"2026-03-01T10:00:02.000Z\"}}],"
                + "\"trackers\":[{\"name\":\"Budget\",\"vocabulary\":" + PHRASES + "}]}");
        Reply created = api.post(account, "/v1/manage/trackers", "{\"name\":\"Budget\",\"vocabulary\":" + PHRASES
                + ",\"color\":\"blue\"}");

        assertThat(job.status()).as(job.body()).isEqualTo(201);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
    }

    private static void assertRefused(Reply reply, String field, String meant) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
        assertThat(reply.contentType()).isEqualTo("application/problem+json");
        assertThat(reply.text("type")).isEqualTo("https://opentrackers.io/problems/invalid-request");
        assertThat(reply.json().at("/errors/0/field").asString()).isEqualTo(field);
        assertThat(reply.json().at("/errors/0/message").asString())
                .isEqualTo("is not a known field; did you mean " + meant + "?");
        assertThat(reply.text("detail")).contains(field).contains("did you mean " + meant + "?");
    }

    private int count(String table) {
        return jdbc.sql("select count(*) from " + table + " where account_id = ?")
                .param(UUID.fromString(account.id())).query(Integer.class).single();
    }
}

package io.opentrackers.web;

import static io.opentrackers.ServiceClient.tracker;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.ServiceClient;
import io.opentrackers.ServiceClient.Reply;
import io.opentrackers.ServiceClientTestSupport;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A query parameter that takes one value, given twice, is a 400 naming it on every endpoint: Spring kept the first
 * number of {@code ?limit=5&limit=7} and joined text into {@code "a,b"}, answering a request the client did not
 * make. Parameters documented as repeatable ({@code trackerId}) still repeat.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RepeatedParametersIT extends ServiceClientTestSupport {

    private static final String VTT = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nAnn: hello there\n";

    @Autowired
    JdbcClient jdbc;

    String trackerId;
    String otherTrackerId;
    String conversationId;

    @BeforeEach
    void setUp() {
        trackerId = api.post(account, "/v1/manage/trackers", tracker("Pricing")).json().at("/tracker/id").asString();
        otherTrackerId = api.post(account, "/v1/manage/trackers", tracker("Budget")).json().at("/tracker/id")
                .asString();
        conversationId = api.post(account, "/v1/process/text",
                "{\"messages\":[{\"payload\":{\"content\":\"Hello there.\"}}]}").text("conversationId");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/v1/manage/trackers?include=examples&include=examples#include",
            "/v1/manage/trackers/{tracker}?include=examples&include=examples#include",
            "/v1/manage/tracker/{tracker}?include=examples&include=examples#include",
            "/v1/manage/trackers/{tracker}/suggestions?limit=5&limit=7#limit",
            "/v1/conversations?limit=5&limit=7#limit",
            "/v1/conversations?after={conversation}&after={conversation}#after",
            "/v1/conversations?q=call&q=upload#q",
            "/v1/conversations?offset=50&offset=100#offset",
            "/v1/conversations?include=total&include=total#include",
            "/v1/conversations/{conversation}/messages?limit=5&limit=7#limit",
            "/v1/conversations/{conversation}/messages?after=0&after=1#after",
            "/v1/analytics/trackers?interval=day&interval=week#interval",
            "/v1/analytics/trackers?from=2026-03-01&from=2026-03-02#from"})
    void aSingleValuedParameterGivenTwiceIsA400NamingIt(String example) {
        assertRefused(example, "is given 2 times but takes one value");
    }

    /**
     * An empty number ({@code ?limit=} from an unset shell variable) was bound as absent, so the default answered,
     * where an empty boolean or date was already a 400. It is a 400 naming it too.
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "/v1/manage/trackers/{tracker}/suggestions?limit=#limit",
            "/v1/conversations?limit=#limit",
            "/v1/conversations?offset=#offset",
            "/v1/conversations/{conversation}/messages?limit=#limit",
            "/v1/conversations/{conversation}/messages?after=#after"})
    void anEmptyNumberIsA400NamingItInsteadOfTheDefault(String example) {
        String path = assertRefused(example, "is empty; give a value or leave the parameter out");
        assertThat(api.get(account, path.substring(0, path.indexOf('?'))).status()).as("without it").isEqualTo(200);
    }

    /**
     * Sends an example "path?query#parameter" (with this test's tracker and conversation ids) and checks the answer is
     * the invalid-request problem naming the parameter with {@code reason}; returns the path sent.
     */
    private String assertRefused(String example, String reason) {
        String path = example.substring(0, example.indexOf('#')).replace("{tracker}", trackerId)
                .replace("{conversation}", conversationId);
        String parameter = example.substring(example.indexOf('#') + 1);

        Reply reply = api.get(account, path);

        assertThat(reply.status()).as(path).isEqualTo(400);
        assertThat(reply.contentType()).isEqualTo("application/problem+json");
        assertThat(reply.text("type")).isEqualTo("https://opentrackers.io/problems/invalid-request");
        assertThat(reply.json().at("/errors/0/field").asString()).isEqualTo(parameter);
        assertThat(reply.text("detail")).isEqualTo(parameter + ": " + reason);
        return path;
    }

    @Test
    void everyRepeatedParameterIsNamedAtOnce() {
        Reply reply = api.get(account, "/v1/conversations/" + conversationId
                + "/messages?limit=1&limit=2&limit=3&after=0&after=1");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("errors").valueStream().map(e -> e.get("field").asString()))
                .containsExactlyInAnyOrder("limit", "after");
        assertThat(reply.text("detail")).contains("limit: is given 3 times but takes one value");
    }

    @Test
    void aTranscriptUploadWithARepeatedSettingStoresNothing() {
        int before = conversations();

        Reply post = api.send("POST", "/v1/process/text?name=Weekly&name=Daily", transcript(), VTT);
        Reply put = api.send("PUT", "/v1/process/text/" + conversationId + "?enableAllTrackers=true"
                + "&enableAllTrackers=false", transcript(), VTT);

        assertThat(post.status()).isEqualTo(400);
        assertThat(post.json().at("/errors/0/field").asString()).isEqualTo("name");
        assertThat(put.status()).isEqualTo(400);
        assertThat(put.json().at("/errors/0/field").asString()).isEqualTo("enableAllTrackers");
        assertThat(conversations()).isEqualTo(before);
        assertThat(jdbc.sql("select count(*) from conversation_message where conversation_id = ?")
                .param(conversationId).query(Integer.class).single()).isEqualTo(1);
    }

    @Test
    void repeatableParametersStillRepeat() {
        Reply analytics = api.get(account, "/v1/analytics/trackers?trackerId=" + trackerId + "&trackerId="
                + otherTrackerId);
        Reply upload = api.send("POST", "/v1/process/text?trackerId=" + trackerId + "&trackerId=" + otherTrackerId,
                transcript(), VTT);

        assertThat(analytics.status()).isEqualTo(200);
        assertThat(analytics.json().get("trackers").valueStream().map(t -> t.get("id").asString()))
                .containsExactly(trackerId, otherTrackerId);
        assertThat(upload.status()).isEqualTo(201);
    }

    /**
     * {@code ?trackerIds=<id>} on a transcript upload was ignored, so every tracker of the account applied and the
     * client got a 201: a parameter spelled like one the endpoint takes, but for case or a plural, is a typo, refused
     * with the name that was meant, and nothing is stored.
     */
    @ParameterizedTest
    @ValueSource(strings = {"trackerIds#trackerId", "trackerid#trackerId", "webhookURL#webhookUrl",
            "EnableAllTrackers#enableAllTrackers", "start_time#startTime"})
    void aTranscriptParameterMisspeltIsRefusedWithTheNameMeant(String typo) {
        String given = typo.substring(0, typo.indexOf('#'));
        String meant = typo.substring(typo.indexOf('#') + 1);
        int before = conversations();

        Reply upload = api.send("POST", "/v1/process/text?" + given + "=" + trackerId, transcript(), VTT);

        assertThat(upload.status()).isEqualTo(400);
        assertThat(upload.json().at("/errors/0/field").asString()).isEqualTo(given);
        assertThat(upload.text("detail")).isEqualTo(given + ": is not a parameter of this endpoint; did you mean "
                + meant + "?");
        assertThat(conversations()).isEqualTo(before);
    }

    @Test
    void aMisspeltParameterIsRefusedOnOtherEndpointsToo() {
        Reply reply = api.get(account, "/v1/conversations?limits=5");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.text("detail")).isEqualTo("limits: is not a parameter of this endpoint; did you mean limit?");
    }

    @Test
    void aParameterTheEndpointDoesNotTakeIsIgnoredAsBefore() {
        assertThat(api.get(account, "/v1/manage/trackers?unused=1&unused=2").status()).isEqualTo(200);
    }

    private Map<String, String> transcript() {
        Map<String, String> headers = new HashMap<>(ServiceClient.bearer(account));
        headers.put("Content-Type", "text/vtt");
        return headers;
    }

    private int conversations() {
        return jdbc.sql("select count(*) from conversation where account_id = ?")
                .param(UUID.fromString(account.id())).query(Integer.class).single();
    }
}

package io.opentrackers.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.ServiceClient;
import io.opentrackers.ServiceClient.Reply;
import io.opentrackers.ServiceClientTestSupport;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The API's switches ({@code enableAllTrackers}, {@code explain}, an example's {@code match}) take true or false,
 * in JSON bodies and in query parameters alike: anything else is a 400 naming the switch, and nothing is stored.
 * Spring read {@code ?enableAllTrackers=yes}, {@code =1} or {@code =on} as true and {@code =no}, {@code =0},
 * {@code =off} as false, while the same values in a JSON body were refused.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BooleanSwitchesIT extends ServiceClientTestSupport {

    private static final String MESSAGES = "[{\"payload\":{\"content\":\"What is the price?\"}}]";
    private static final String VTT = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nAnn: hello there\n";

    @Autowired
    JdbcClient jdbc;



    @ParameterizedTest
    @ValueSource(strings = {"\"true\"", "\"false\"", "1", "0", "\"yes\"", "\"\""})
    void jsonSwitchesThatAreNotBooleansAreRefusedNamingThem(String value) {
        assertRefused(api.post(account, "/v1/match", "{\"messages\":" + MESSAGES + ",\"enableAllTrackers\":"
                + value + "}"), "enableAllTrackers");
        assertRefused(api.post(account, "/v1/match", "{\"messages\":" + MESSAGES + ",\"explain\":" + value + "}"),
                "explain");
        assertRefused(api.post(account, "/v1/process/text", "{\"messages\":" + MESSAGES + ",\"enableAllTrackers\":"
                + value + "}"), "enableAllTrackers");
        String tracker = api.post(account, "/v1/manage/trackers", ServiceClient.tracker("Pricing" + UUID.randomUUID()))
                .json().at("/tracker/id").asString();
        assertRefused(api.post(account, "/v1/manage/trackers/" + tracker + "/examples", "{\"text\":\"Is it cheap?\","
                + "\"match\":" + value + "}"), "match");
        assertThat(conversations()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "no", "1", "0", "on", "off", "TRUE", "maybe", ""})
    void queryParameterSwitchesTakeTrueOrFalse(String value) {
        Map<String, String> headers = new HashMap<>(ServiceClient.bearer(account));
        headers.put("Content-Type", "text/vtt");

        Reply reply = api.send("POST", "/v1/process/text?enableAllTrackers=" + value, headers, VTT);

        assertRefused(reply, "enableAllTrackers");
        assertThat(reply.text("detail")).contains("true or false");
        assertThat(conversations()).isZero();
        assertThat(api.send("POST", "/v1/process/text?enableAllTrackers=false", headers, VTT).status())
                .isEqualTo(201);
    }

    private static void assertRefused(Reply reply, String field) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
        assertThat(reply.contentType()).isEqualTo("application/problem+json");
        assertThat(reply.json().get("errors").valueStream().map(e -> e.get("field").asString())).contains(field);
    }

    private int conversations() {
        return jdbc.sql("select count(*) from conversation where account_id = ?")
                .param(UUID.fromString(account.id())).query(Integer.class).single();
    }
}

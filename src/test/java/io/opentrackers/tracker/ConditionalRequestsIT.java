package io.opentrackers.tracker;

import static io.opentrackers.ServiceClient.array;
import static io.opentrackers.ServiceClient.bearer;
import static io.opentrackers.ServiceClient.strings;
import static io.opentrackers.ServiceClient.tracker;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.ServiceClient.Reply;
import io.opentrackers.ServiceClientTestSupport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

/**
 * Optimistic concurrency on trackers (RFC 9110 conditional requests): reads and writes answer an {@code ETag}, and a
 * PUT, PATCH or DELETE with {@code If-Match} changes the tracker only while it still has that tag. Before, two clients
 * editing one tracker (two tabs of the management UI) silently overwrote each other.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConditionalRequestsIT extends ServiceClientTestSupport {

    private static final String PATH = "/v1/manage/trackers/";

    private String create(String name) {
        Reply created = api.post(account, "/v1/manage/trackers", tracker(name));
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("tracker").get("id").asString();
        assertThat(created.header("ETag")).isEqualTo(etag(id, 1));
        return id;
    }

    private static String etag(String id, long version) {
        return "\"" + id + ".v" + version + "\"";
    }

    private Reply send(String method, String path, String ifMatch, Object body) {
        Map<String, String> headers = new HashMap<>(bearer(account));
        if (ifMatch != null) {
            headers.put("If-Match", ifMatch);
        }
        return api.send(method, path, headers, body);
    }

    private JsonNode stored(String id) {
        return api.get(account, PATH + id).json().get("tracker");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/manage/tracker/", "/v1/manage/trackers/"})
    void aReadOfOneTrackerAnswersItsEtagOnBothPaths(String path) {
        String id = create("Tagged");

        Reply read = api.get(account, path + id);

        assertThat(read.status()).isEqualTo(200);
        assertThat(read.header("ETag")).isEqualTo(etag(id, 1));
    }

    @Test
    void findingATrackerByNameAnswersItsEtagAndListsDoNot() {
        String id = create("Named");
        create("Other");

        assertThat(api.get(account, "/v1/manage/trackers?name=Named").header("ETag")).isEqualTo(etag(id, 1));
        assertThat(api.get(account, "/v1/manage/trackers?name=Nobody").header("ETag")).isNull();
        assertThat(api.get(account, "/v1/manage/trackers").header("ETag")).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/manage/tracker/", "/v1/manage/trackers/"})
    void aPutWithTheCurrentEtagIsStoredAndAnswersTheNewOne(String path) {
        String id = create("Editable");

        Reply put = send("PUT", path + id, etag(id, 1), tracker("Edited"));

        assertThat(put.status()).isEqualTo(200);
        assertThat(put.json().get("tracker").get("version").asLong()).isEqualTo(2);
        assertThat(put.header("ETag")).isEqualTo(etag(id, 2));
        assertThat(stored(id).get("name").asString()).isEqualTo("Edited");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/manage/tracker/", "/v1/manage/trackers/"})
    void aPutWithAStaleEtagIs412NamingTheCurrentVersionAndStoresNothing(String path) {
        String id = create("Contested");
        assertThat(send("PUT", path + id, etag(id, 1), tracker("First tab")).status()).isEqualTo(200);

        Reply stale = send("PUT", path + id, etag(id, 1), tracker("Second tab"));

        assertThat(stale.status()).isEqualTo(412);
        assertThat(stale.contentType()).startsWith("application/problem+json");
        assertThat(stale.text("type")).isEqualTo("https://opentrackers.io/problems/precondition-failed");
        assertThat(stale.text("detail")).contains("changed since").contains("If-Match names version 1")
                .contains("at version 2 now").isEqualTo(stale.text("message"));
        assertThat(stale.json().get("version").asLong()).isEqualTo(2);
        assertThat(stale.text("etag")).isEqualTo(etag(id, 2));
        assertThat(stale.text("instance")).isEqualTo(path + id);
        JsonNode kept = stored(id);
        assertThat(kept.get("name").asString()).isEqualTo("First tab");
        assertThat(kept.get("version").asLong()).isEqualTo(2);
    }

    @Test
    void aPatchWithAStaleEtagIs412AndOneWithTheCurrentEtagApplies() {
        String id = create("Patched");
        String rename = "[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"Renamed\"}]";
        assertThat(api.put(account, PATH + id, tracker("Changed meanwhile")).status()).isEqualTo(200);

        Reply stale = send("PATCH", PATH + id, etag(id, 1), rename);
        assertThat(stale.status()).isEqualTo(412);
        assertThat(stale.text("detail")).contains("at version 2 now");
        assertThat(stored(id).get("name").asString()).isEqualTo("Changed meanwhile");

        Reply current = send("PATCH", PATH + id, etag(id, 2), rename);
        assertThat(current.status()).isEqualTo(200);
        assertThat(current.header("ETag")).isEqualTo(etag(id, 3));
        assertThat(stored(id).get("name").asString()).isEqualTo("Renamed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/manage/tracker/", "/v1/manage/trackers/"})
    void aDeleteWithAStaleEtagIs412AndKeepsTheTracker(String path) {
        String id = create("Deletable");
        assertThat(api.put(account, PATH + id, tracker("Deletable", "changed one", "changed two", "changed three",
                "changed four", "changed five")).status()).isEqualTo(200);

        Reply stale = send("DELETE", path + id, etag(id, 1), null);
        assertThat(stale.status()).isEqualTo(412);
        assertThat(api.get(account, PATH + id).status()).isEqualTo(200);

        Reply current = send("DELETE", path + id, etag(id, 2), null);
        assertThat(current.status()).isEqualTo(200);
        assertThat(current.json().get("deleted").asBoolean()).isTrue();
        assertThat(api.get(account, PATH + id).status()).isEqualTo(404);
    }

    @Test
    void aStarMatchesAnyVersionAndOneOfSeveralTagsIsEnough() {
        String id = create("Starred");
        assertThat(api.put(account, PATH + id, tracker("Starred twice")).status()).isEqualTo(200);

        assertThat(send("PUT", PATH + id, "*", tracker("Star")).status()).isEqualTo(200);
        Reply listed = send("PUT", PATH + id, etag(id, 1) + ", " + etag(id, 3), tracker("Listed"));
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.header("ETag")).isEqualTo(etag(id, 4));
        assertThat(send("DELETE", PATH + id, "*", null).status()).isEqualTo(200);
    }

    @Test
    void withoutIfMatchChangesAreMadeWhateverTheVersionAsBefore() {
        String id = create("Unconditional");
        assertThat(api.put(account, PATH + id, tracker("One")).status()).isEqualTo(200);
        assertThat(api.put(account, PATH + id, tracker("Two")).status()).isEqualTo(200);
        assertThat(api.patch(account, PATH + id, "[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"Three\"}]")
                .status()).isEqualTo(200);
        assertThat(api.delete(account, PATH + id).status()).isEqualTo(200);
    }

    @Test
    void aWeakTagOrAnotherTrackersTagNeverMatches() {
        String id = create("Strong");
        String other = create("Other");

        // none of these is "changed since": the tracker is at the version the client read, or at none it names
        Reply weak = send("PUT", PATH + id, "W/" + etag(id, 1), tracker("Weak"));
        assertThat(weak.status()).isEqualTo(412);
        assertThat(weak.text("detail")).contains("weak").startsWith("If-Match does not match the tracker");
        Reply foreign = send("PUT", PATH + id, etag(other, 1), tracker("Foreign"));
        assertThat(foreign.status()).isEqualTo(412);
        assertThat(foreign.text("detail")).contains("names no version of this tracker")
                .startsWith("If-Match does not match the tracker");
        Reply future = send("PUT", PATH + id, etag(id, 99), tracker("Future"));
        assertThat(future.status()).isEqualTo(412);
        assertThat(future.text("detail")).startsWith("If-Match does not match the tracker: If-Match names version 99")
                .contains("at version 1 now");
        assertThat(stored(id).get("version").asLong()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "v1", "\"unterminated", "*, \"x\"", "W/", "\"a\" \"b\"", ","})
    void aMalformedIfMatchIs400NamingTheHeader(String ifMatch) {
        String id = create("Malformed");

        for (String method : List.of("PUT", "PATCH", "DELETE")) {
            Object body = switch (method) {
                case "PUT" -> tracker("Changed");
                case "PATCH" -> "[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"Changed\"}]";
                default -> null;
            };
            Reply reply = send(method, PATH + id, ifMatch, body);
            assertThat(reply.status()).as(method + " with If-Match: " + ifMatch).isEqualTo(400);
            assertThat(reply.json().get("errors").get(0).get("field").asString()).isEqualTo("If-Match");
        }
        assertThat(stored(id).get("version").asLong()).isEqualTo(1);
    }

    @Test
    void anUnknownIdIs404WhateverIfMatchSays() {
        assertThat(send("PUT", PATH + "no-such-id", "*", tracker("Ghost")).status()).isEqualTo(404);
        assertThat(send("DELETE", PATH + "no-such-id", "\"no-such-id.v1\"", null).status()).isEqualTo(404);
    }

    @Test
    void ifNoneMatchOnAReadIsAnsweredWithTheWholeTracker() {
        // the calibration of a read changes without a new version, so no 304 by version (docs/api.md)
        String id = create("Fresh");
        Map<String, String> headers = new HashMap<>(bearer(account));
        headers.put("If-None-Match", etag(id, 1));

        Reply read = api.send("GET", PATH + id, headers, null);

        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().get("tracker").get("id").asString()).isEqualTo(id);
    }

    /**
     * Two tabs save the tracker they both loaded at once: exactly one save wins, the other gets a 412 (the check and
     * the change happen under the tracker's row lock). Several rounds of several requests, released by one latch.
     */
    @Test
    void ofConcurrentPutsWithTheSameIfMatchExactlyOneWins() throws Exception {
        int rounds = 10;
        int parallel = 6;
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            for (int round = 0; round < rounds; round++) {
                String id = create("Race " + round);
                CountDownLatch ready = new CountDownLatch(parallel);
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Reply>> replies = new ArrayList<>();
                for (int tab = 0; tab < parallel; tab++) {
                    String name = "Race " + round + " tab " + tab;
                    replies.add(pool.submit(() -> {
                        ready.countDown();
                        start.await();
                        return send("PUT", PATH + id, etag(id, 1), tracker(name));
                    }));
                }
                assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
                start.countDown();
                List<Integer> statuses = new ArrayList<>();
                String winner = null;
                for (Future<Reply> reply : replies) {
                    Reply answered = reply.get(60, TimeUnit.SECONDS);
                    statuses.add(answered.status());
                    if (answered.status() == 200) {
                        winner = answered.json().get("tracker").get("name").asString();
                    }
                }
                assertThat(statuses).as("round " + round).containsOnly(200, 412)
                        .filteredOn(status -> status == 200).hasSize(1);
                JsonNode kept = stored(id);
                assertThat(kept.get("version").asLong()).isEqualTo(2);
                assertThat(kept.get("name").asString()).isEqualTo(winner);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aPassingJsonPatchTestLetsThePatchApply() {
        String id = create("Tested");
        String patch = """
                [{"op":"test","path":"/name","value":"Tested"},
                 {"op":"test","path":"/vocabulary/1","value":"sample  phrase 2"},
                 {"op":"test","path":"/categories","value":[]},
                 {"op":"test","path":"/speaker","value":"any"},
                 {"op":"add","path":"/window","value":{"anchor":"start","seconds":120}},
                 {"op":"test","path":"/window","value":{"anchor":"start","seconds":120.0}},
                 {"op":"replace","path":"/vocabulary/1","value":"another phrase"}]""";

        Reply patched = api.patch(account, PATH + id, patch);

        assertThat(patched.status()).isEqualTo(200);
        assertThat(strings(patched.json().get("tracker").get("vocabulary"))).contains("another phrase");
        assertThat(patched.header("ETag")).isEqualTo(etag(id, 2));
    }

    @Test
    void aFailingJsonPatchTestIs409AndNothingOfThePatchIsStored() {
        String id = create("Guarded");
        assertThat(api.put(account, PATH + id, tracker("Guarded", "p one", "p two", "p three", "p four", "p five"))
                .status()).isEqualTo(200);
        String patch = """
                [{"op":"add","path":"/description","value":"set before the test"},
                 {"op":"test","path":"/vocabulary/0","value":"sample phrase 1"},
                 {"op":"replace","path":"/name","value":"Overwritten"}]""";

        Reply failed = api.patch(account, PATH + id, patch);

        assertThat(failed.status()).isEqualTo(409);
        assertThat(failed.text("type")).isEqualTo("https://opentrackers.io/problems/conflict");
        assertThat(failed.text("detail")).contains("(version 2)")
                .contains("patch[1]: test failed: /vocabulary/0 is \"p one\", not \"sample phrase 1\"");
        JsonNode kept = stored(id);
        assertThat(kept.get("name").asString()).isEqualTo("Guarded");
        assertThat(kept.has("description")).isFalse();
        assertThat(kept.get("version").asLong()).isEqualTo(2);
    }

    @Test
    void aJsonPatchTestOfAnAbsentValueOrACaseChangeFails() {
        String id = create("Cased");

        assertThat(api.patch(account, PATH + id, "[{\"op\":\"test\",\"path\":\"/description\",\"value\":\"x\"}]")
                .text("detail")).contains("/description has no value to test");
        assertThat(api.patch(account, PATH + id, "[{\"op\":\"test\",\"path\":\"/name\",\"value\":\"cased\"}]")
                .status()).isEqualTo(409);
        assertThat(api.patch(account, PATH + id, "[{\"op\":\"test\",\"path\":\"/vocabulary/9\",\"value\":\"x\"}]")
                .status()).isEqualTo(409);
    }

    @Test
    void aJsonPatchTestWithoutValueOrOnTheAppendPathIs400() {
        String id = create("Shaped");

        Reply noValue = api.patch(account, PATH + id, "[{\"op\":\"test\",\"path\":\"/name\"}]");
        assertThat(noValue.status()).isEqualTo(400);
        assertThat(noValue.json().get("errors").get(0).get("field").asString()).isEqualTo("patch[0].value");
        Reply append = api.patch(account, PATH + id, "[{\"op\":\"test\",\"path\":\"/vocabulary/-\",\"value\":\"x\"}]");
        assertThat(append.status()).isEqualTo(400);
        assertThat(append.json().get("errors").get(0).get("field").asString()).isEqualTo("patch[0].path");
    }

    @Test
    void bulkCreatesAnswerNoEtag() {
        Reply bulk = api.post(account, "/v1/manage/trackers/bulk", array(tracker("Bulk one"), tracker("Bulk two")));
        assertThat(bulk.status()).isEqualTo(201);
        assertThat(bulk.header("ETag")).isNull();
        Reply legacy = api.post(account, "/v1/manage/trackers", array(tracker("Bulk three")));
        assertThat(legacy.status()).isEqualTo(201);
        assertThat(legacy.header("ETag")).isNull();
        assertThat(legacy.json().get("trackers").get(0).get("version").asLong()).isEqualTo(1);
    }
}

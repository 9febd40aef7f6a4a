package io.opentrackers.tracker;

import static io.opentrackers.ServiceClient.array;
import static io.opentrackers.ServiceClient.bearer;
import static io.opentrackers.ServiceClient.strings;
import static io.opentrackers.ServiceClient.tracker;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.ServiceClient;
import io.opentrackers.ServiceClient.Account;
import io.opentrackers.ServiceClient.Reply;
import io.opentrackers.ServiceClientTestSupport;
import io.opentrackers.account.AccountId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The Management API of api.md, on both path generations, against the running service and PostgreSQL. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TrackerManagementIT extends ServiceClientTestSupport {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TrackerExampleSource exampleSource;



    @ParameterizedTest
    @ValueSource(strings = {"/v1/manage/tracker", "/v1/manage/trackers"})
    void createOneAnswers201WithTheTrackerAndItsDefaults(String path) {
        Instant before = Instant.now().minusSeconds(1);
        Reply reply = api.post(account, path, tracker("Pricing", "how much does it cost", "what is the price",
                "pricing plans", "too expensive", "can you give a discount"));

        assertThat(reply.status()).isEqualTo(201);
        assertThat(reply.contentType()).startsWith("application/json");
        JsonNode tracker = reply.json().get("tracker");
        assertThat(tracker.get("id").isString()).isTrue();
        assertThat(tracker.get("name").asString()).isEqualTo("Pricing");
        assertThat(strings(tracker.get("vocabulary"))).containsExactly("how much does it cost", "what is the price",
                "pricing plans", "too expensive", "can you give a discount");
        assertThat(strings(tracker.get("languages"))).containsExactly("en-US");
        assertThat(strings(tracker.get("categories"))).isEmpty();
        assertThat(tracker.get("version").asLong()).isEqualTo(1);
        Instant createdOn = Instant.parse(tracker.get("createdOn").asString());
        assertThat(createdOn).isAfter(before).isEqualTo(Instant.parse(tracker.get("updatedOn").asString()));
        assertThat(tracker.has("description")).isFalse();
        assertThat(tracker.has("sensitivity")).isFalse();

        // what was created, plus what only reads show: the example counts (none yet) and the calibration the
        // service may have computed meanwhile
        JsonNode stored = api.get(account, "/v1/manage/trackers/" + tracker.get("id").asString()).json().get("tracker");
        assertThat(stored.get("exampleCounts").toString()).isEqualTo("{\"positives\":0,\"negatives\":0}");
        assertThat(withoutReadOnlyFields(stored)).isEqualTo(tracker);
    }

    /**
     * A 201 says where the new tracker is (RFC 9110 Location), so a generic HTTP client or generated SDK can read it
     * back without knowing the id's place in the body. A bulk create makes several and names none.
     */
    @ParameterizedTest
    @ValueSource(strings = {"/v1/manage/tracker", "/v1/manage/trackers"})
    void createOneSaysWhereTheTrackerIs(String path) {
        Reply reply = api.post(account, path, tracker("Located"));

        String id = reply.json().get("tracker").get("id").asString();
        assertThat(reply.header("Location")).isEqualTo("/v1/manage/trackers/" + id);
        Reply located = api.get(account, reply.header("Location"));
        assertThat(located.status()).isEqualTo(200);
        assertThat(located.json().get("tracker").get("id").asString()).isEqualTo(id);
        assertThat(api.post(account, "/v1/manage/trackers/bulk", array(tracker("Bulk"))).header("Location")).isNull();
    }

    @Test
    void optionalFieldsAreStoredAndShown() {
        ObjectNode body = tracker("Churn risk").put("description", "customer may leave").put("sensitivity", 0.7);
        body.putArray("categories").add("retention").add("sales");
        body.putArray("languages").add("de-DE");

        JsonNode tracker = api.post(account, "/v1/manage/trackers", body).json().get("tracker");

        assertThat(tracker.get("description").asString()).isEqualTo("customer may leave");
        assertThat(tracker.get("sensitivity").asDouble()).isEqualTo(0.7);
        assertThat(strings(tracker.get("categories"))).containsExactly("retention", "sales");
        assertThat(strings(tracker.get("languages"))).containsExactly("de-DE");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/manage/trackers", "/v1/manage/trackers/bulk"})
    void bulkCreateStoresAllInOrder(String path) {
        Reply reply = api.post(account, path, array(tracker("One"), tracker("Two"), tracker("Three")));

        assertThat(reply.status()).isEqualTo(201);
        assertThat(reply.json().get("trackers").valueStream().map(t -> t.get("name").asString()))
                .containsExactly("One", "Two", "Three");
        assertThat(names(api.get(account, "/v1/manage/trackers"))).containsExactly("One", "Two", "Three");
    }

    @Test
    void bulkCreateIsAllOrNothingAndListsEveryBadItemByIndex() {
        api.post(account, "/v1/manage/tracker", tracker("Existing"));
        ObjectNode noVocabulary = ServiceClient.JSON.createObjectNode().put("name", "No vocabulary");
        Reply reply = api.post(account, "/v1/manage/trackers/bulk", array(tracker("Fine"), noVocabulary,
                tracker("Also fine"), tracker("Bad phrase", "a", "b", "c", "d", "what?")));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("errors").valueStream().map(e -> e.get("index").asInt() + " " + e.get("field").asString()))
                .containsExactly("1 vocabulary", "3 vocabulary[4]");
        assertThat(reply.text("detail")).contains("item 1: vocabulary: is required", "item 3: vocabulary[4]");
        assertThat(names(api.get(account, "/v1/manage/trackers"))).containsExactly("Existing");

        Reply conflict = api.post(account, "/v1/manage/trackers", array(tracker("New"), tracker("Existing"),
                tracker("New")));
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.json().get("errors").valueStream().map(e -> e.get("index").asInt())).containsExactly(1, 2);
        assertThat(names(api.get(account, "/v1/manage/trackers"))).containsExactly("Existing");
    }

    /**
     * A user audit: an existing name (item 0) and a name repeated inside the request (item 3) only showed up after
     * the invalid item 1 was fixed. One answer lists them all; the name conflicts are errors like the others.
     */
    @Test
    void aFailedBulkCreateListsInvalidItemsAndNameConflictsInOneAnswer() {
        api.post(account, "/v1/manage/tracker", tracker("Pricing"));

        Reply reply = api.post(account, "/v1/manage/trackers/bulk", array(tracker("Pricing"),
                tracker("Fresh", "a", "b", "c", "d"), tracker("Fresh2"), tracker("Fresh2")));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.text("type")).isEqualTo("https://opentrackers.io/problems/invalid-request");
        assertThat(reply.json().get("errors").valueStream()
                .map(e -> e.get("index").asInt() + " " + e.get("field").asString() + ": " + e.get("message").asString()))
                .containsExactly("0 name: a tracker named 'Pricing' already exists",
                        "1 vocabulary: must have 5 to 50 phrases, has 4",
                        "3 name: 'Fresh2' is also the name of item 2 of this request");
        assertThat(reply.text("detail")).isEqualTo("item 0: name: a tracker named 'Pricing' already exists; "
                + "item 1: vocabulary: must have 5 to 50 phrases, has 4; "
                + "item 3: name: 'Fresh2' is also the name of item 2 of this request");
        assertThat(names(api.get(account, "/v1/manage/trackers"))).containsExactly("Pricing");
    }

    @Test
    void bulkBodyMustBeANonEmptyArray() {
        assertThat(api.post(account, "/v1/manage/trackers/bulk", tracker("Single")).status()).isEqualTo(400);
        Reply empty = api.post(account, "/v1/manage/trackers/bulk", "[]");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.text("detail")).contains("trackers: must contain at least one tracker");
        assertThat(api.post(account, "/v1/manage/trackers", "\"a string\"").status()).isEqualTo(400);
        // the problem names the path the request was sent to, whichever operation answered it
        Reply emptyOnTrackers = api.post(account, "/v1/manage/trackers", "[]");
        assertThat(emptyOnTrackers.status()).isEqualTo(400);
        assertThat(emptyOnTrackers.text("instance")).isEqualTo("/v1/manage/trackers");
        assertThat(empty.text("instance")).isEqualTo("/v1/manage/trackers/bulk");
    }

    /**
     * A user audit: an object with tracker fields and a {@code trackers} array created one of the two and ignored
     * the other without a word. Which one the client meant cannot be known, so it is a 400 naming both.
     */
    @ParameterizedTest
    @ValueSource(strings = {"/v1/manage/trackers", "/v1/manage/trackers/bulk"})
    void anObjectWithTrackerFieldsAndATrackersArrayIsRefused(String path) {
        ObjectNode body = tracker("BT");
        body.putArray("trackers").add(tracker("Inner"));

        Reply reply = api.post(account, path, body);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("errors").valueStream().map(e -> e.get("field").asString()))
                .containsExactly("trackers");
        assertThat(reply.text("detail")).isEqualTo("trackers: cannot be sent with the tracker fields name, "
                + "vocabulary; send one tracker as an object, or several as an array or as {\"trackers\": [...]}");
        assertThat(reply.text("instance")).isEqualTo(path);
        assertThat(names(api.get(account, "/v1/manage/trackers"))).isEmpty();

        // {"trackers": [...]} alone is a bulk request on both paths
        Reply bulk = api.post(account, path, ServiceClient.JSON.createObjectNode().set("trackers",
                array(tracker("Wrapped " + path.length()))));
        assertThat(bulk.status()).isEqualTo(201);
        assertThat(bulk.json().get("trackers").get(0).get("name").asString()).isEqualTo("Wrapped " + path.length());
    }

    @Test
    void findByNameIsExactAndCaseSensitive() {
        api.post(account, "/v1/manage/trackers", array(tracker("Price"), tracker("price"), tracker("Price objection")));

        assertThat(names(api.get(account, "/v1/manage/trackers?name=Price"))).containsExactly("Price");
        assertThat(names(api.get(account, "/v1/manage/trackers?name=price"))).containsExactly("price");
        Reply none = api.get(account, "/v1/manage/trackers?name=PRICE");
        assertThat(none.status()).isEqualTo(200);
        assertThat(none.json().get("trackers").isEmpty()).isTrue();
        assertThat(names(api.get(account, "/v1/manage/trackers?name=Price%20objection"))).containsExactly("Price objection");
    }

    /**
     * A wire audit: every read answers {@code {"tracker": {…}}}, and sent back as it is that was refused as a typo of
     * {@code trackers} (POST) or answered "name: is required" (PUT). Both take it now.
     */
    @Test
    void aTrackerIsTakenInTheShapeAReadAnswersIt() {
        ObjectNode wrapped = ServiceClient.JSON.createObjectNode().set("tracker", tracker("Enveloped"));
        Reply created = api.post(account, "/v1/manage/trackers", wrapped);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().get("tracker").get("id").asString();

        JsonNode read = api.get(account, "/v1/manage/trackers/" + id).json();
        ((ObjectNode) read.get("tracker")).put("description", "sent back as it was read");
        Reply replaced = api.put(account, "/v1/manage/trackers/" + id, read);
        assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
        assertThat(replaced.json().get("tracker").get("description").asString()).isEqualTo("sent back as it was read");

        ObjectNode both = ServiceClient.JSON.createObjectNode().put("name", "Both");
        both.set("tracker", tracker("Enveloped twice"));
        Reply ambiguous = api.post(account, "/v1/manage/trackers", both);
        assertThat(ambiguous.status()).isEqualTo(400);
        assertThat(ambiguous.json().get("errors").get(0).get("field").asString()).isEqualTo("tracker");
        assertThat(names(api.get(account, "/v1/manage/trackers"))).containsExactly("Enveloped");
    }

    /**
     * A wire audit: {@code ?category=sales} and {@code ?limit=2} were ignored, so a client got every tracker. The list
     * filters by category (compared as categories are), and refuses paging, which it has none of.
     */
    @Test
    void theListFiltersByCategoryAndRefusesPaging() {
        ObjectNode sales = tracker("Discount");
        sales.putArray("categories").add("Sales").add("pricing");
        ObjectNode support = tracker("Refund");
        support.putArray("categories").add("support");
        api.post(account, "/v1/manage/trackers", array(sales, support, tracker("Plain")));

        assertThat(names(api.get(account, "/v1/manage/trackers?category=sales"))).containsExactly("Discount");
        assertThat(names(api.get(account, "/v1/manage/trackers?category=%20SUPPORT"))).containsExactly("Refund");
        assertThat(names(api.get(account, "/v1/manage/trackers?category=billing"))).isEmpty();
        for (String paging : List.of("limit=2", "offset=10", "page=1")) {
            Reply refused = api.get(account, "/v1/manage/trackers?" + paging);
            assertThat(refused.status()).as(paging).isEqualTo(400);
            assertThat(refused.json().get("errors").get(0).get("field").asString())
                    .isEqualTo(paging.substring(0, paging.indexOf('=')));
            assertThat(refused.json().get("errors").get(0).get("message").asString()).contains("not paged");
        }
    }

    /**
     * A user audit: {@code ?name=BV&name=BS} answered {@code {"trackers":[]}}, since the two values were joined into
     * the one name "BV,BS" (which may even be a real tracker's name). One name per request.
     */
    @Test
    void findByNameTakesOneName() {
        api.post(account, "/v1/manage/trackers", array(tracker("BV"), tracker("BS"), tracker("BV,BS")));

        Reply reply = api.get(account, "/v1/manage/trackers?name=BV&name=BS");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("errors").valueStream().map(e -> e.get("field").asString())).containsExactly("name");
        assertThat(reply.text("detail")).isEqualTo("name: is given 2 times but takes one value");
        assertThat(names(api.get(account, "/v1/manage/trackers?name=BV%2CBS"))).containsExactly("BV,BS");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/manage/tracker/", "/v1/manage/trackers/"})
    void putReplacesTheWholeTracker(String path) {
        ObjectNode original = tracker("Original").put("description", "old").put("sensitivity", 0.4);
        original.putArray("languages").add("fr-FR");
        JsonNode created = api.post(account, "/v1/manage/tracker", original).json().get("tracker");
        String id = created.get("id").asString();

        Reply reply = api.put(account, path + id, tracker("Renamed", "first", "second", "third", "fourth", "fifth"));

        assertThat(reply.status()).isEqualTo(200);
        JsonNode replaced = reply.json().get("tracker");
        assertThat(replaced.get("id").asString()).isEqualTo(id);
        assertThat(replaced.get("name").asString()).isEqualTo("Renamed");
        assertThat(strings(replaced.get("vocabulary"))).containsExactly("first", "second", "third", "fourth", "fifth");
        // replace, not merge: what the body leaves out is back to its default
        assertThat(replaced.has("description")).isFalse();
        assertThat(replaced.has("sensitivity")).isFalse();
        assertThat(strings(replaced.get("languages"))).containsExactly("en-US");
        assertThat(replaced.get("version").asLong()).isEqualTo(2);
        assertThat(replaced.get("createdOn")).isEqualTo(created.get("createdOn"));
        assertThat(Instant.parse(replaced.get("updatedOn").asString()))
                .isAfterOrEqualTo(Instant.parse(created.get("updatedOn").asString()));
        assertThat(withoutReadOnlyFields(api.get(account, path + id).json().get("tracker"))).isEqualTo(replaced);
    }

    /**
     * A UI audit: the management UI's tracker list showed each tracker's number of examples with one
     * {@code GET …/examples} per tracker, 500 calls for the largest account. Every read now carries the counts (one
     * grouped query for a whole list), counting only the account's own examples, and a tracker read with them can
     * still be PUT back as it is.
     */
    @Test
    void readsCountEachTrackersExamplesAndAReadTrackerCanBePutBack() {
        String pricing = idOf(api.post(account, "/v1/manage/trackers", tracker("Pricing")));
        idOf(api.post(account, "/v1/manage/trackers", tracker("Untaught")));
        assertThat(api.post(account, "/v1/manage/trackers/" + pricing + "/examples", """
                [{"text": "What does the plan cost per seat?", "match": true},
                 {"text": "Is there a cheaper plan?", "match": true},
                 {"text": "The price of coffee went up again.", "match": false}]""").status()).isEqualTo(201);
        // another account, with a tracker of the same name and examples of its own
        Account other = api.newAccount();
        String theirs = idOf(api.post(other, "/v1/manage/trackers", tracker("Pricing")));
        assertThat(api.post(other, "/v1/manage/trackers/" + theirs + "/examples", """
                [{"text": "How much is it?", "match": true}, {"text": "Nice weather today.", "match": false},
                 {"text": "Lunch was expensive.", "match": false}, {"text": "We pay monthly.", "match": true}]""")
                .status()).isEqualTo(201);

        assertThat(countsByName(api.get(account, "/v1/manage/trackers")))
                .containsExactly(Map.entry("Pricing", "3 = 2 + 1"), Map.entry("Untaught", "0 = 0 + 0"));
        assertThat(countsByName(api.get(account, "/v1/manage/trackers?name=Pricing")))
                .containsExactly(Map.entry("Pricing", "3 = 2 + 1"));
        assertThat(countsByName(api.get(account, "/v1/manage/trackers?include=examples")))
                .containsExactly(Map.entry("Pricing", "3 = 2 + 1"), Map.entry("Untaught", "0 = 0 + 0"));
        assertThat(countsByName(api.get(other, "/v1/manage/trackers"))).containsExactly(Map.entry("Pricing", "4 = 2 + 2"));
        // the port the list reads through counts nothing of a tracker of another account, even when handed its id
        AccountId mine = AccountId.parse(account.id());
        assertThat(exampleSource.countsOf(mine, List.of(pricing, theirs))).containsOnlyKeys(pricing);

        // a relabel moves an example from one count to the other, on a read by id too
        api.post(account, "/v1/manage/trackers/" + pricing + "/examples", """
                {"text": "is there a cheaper  plan?", "match": false}""");
        JsonNode read = api.get(account, "/v1/manage/trackers/" + pricing).json().get("tracker");
        assertThat(counts(read)).isEqualTo("3 = 1 + 2");

        // the read, PUT back as it is: the counts are ignored like the calibration, and nothing changed
        Reply putBack = api.put(account, "/v1/manage/trackers/" + pricing, read);
        assertThat(putBack.status()).isEqualTo(200);
        assertThat(putBack.json().get("tracker").get("version")).isEqualTo(read.get("version"));
        assertThat(putBack.json().get("tracker").has("exampleCounts")).isFalse();
        // edited, with counts made up: the edit is stored, the counts stay what the examples are
        ObjectNode edited = ((ObjectNode) read.deepCopy()).put("name", "Pricing questions");
        edited.putObject("exampleCounts").put("positives", 99).put("negatives", -1);
        assertThat(api.put(account, "/v1/manage/trackers/" + pricing, edited).status()).isEqualTo(200);
        JsonNode after = api.get(account, "/v1/manage/trackers/" + pricing).json().get("tracker");
        assertThat(after.get("name").asString()).isEqualTo("Pricing questions");
        assertThat(counts(after)).isEqualTo("3 = 1 + 2");
    }

    /** Each tracker's {@code exampleCounts} as "total = positives + negatives", by name, in list order. */
    private static Map<String, String> countsByName(Reply list) {
        assertThat(list.status()).isEqualTo(200);
        Map<String, String> counts = new java.util.LinkedHashMap<>();
        list.json().get("trackers").forEach(t -> counts.put(t.get("name").asString(), counts(t)));
        return counts;
    }

    private static String counts(JsonNode tracker) {
        JsonNode counts = tracker.get("exampleCounts");
        assertThat(counts).as("exampleCounts of %s", tracker.get("name")).isNotNull();
        int positives = counts.get("positives").asInt();
        int negatives = counts.get("negatives").asInt();
        return (positives + negatives) + " = " + positives + " + " + negatives;
    }

    /** A tracker as a read shows it, without what only reads show (the example counts and the calibration). */
    private static JsonNode withoutReadOnlyFields(JsonNode read) {
        ObjectNode copy = (ObjectNode) read.deepCopy();
        copy.remove(List.of("exampleCounts", "calibration"));
        return copy;
    }

    @Test
    void putKeepsNamesUniqueAndChecksTheRules() {
        api.post(account, "/v1/manage/tracker", tracker("Taken"));
        String id = idOf(api.post(account, "/v1/manage/tracker", tracker("Mine")));

        Reply conflict = api.put(account, "/v1/manage/trackers/" + id, tracker("Taken"));
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.text("type")).endsWith("/tracker-name-taken");
        assertThat(api.put(account, "/v1/manage/trackers/" + id, tracker("Mine", "only one")).status()).isEqualTo(400);
        assertThat(api.put(account, "/v1/manage/trackers/" + id, tracker("Mine")).status()).isEqualTo(200);
        assertThat(api.put(account, "/v1/manage/trackers/no-such-id", tracker("Mine")).status()).isEqualTo(404);
        // refused changes change nothing, and the PUT of what the tracker already holds changes nothing either
        assertThat(api.get(account, "/v1/manage/trackers/" + id).json().get("tracker").get("version").asLong())
                .isEqualTo(1);
    }

    /**
     * A management audit: a PUT or PATCH that leaves the tracker as it is (a client that PUTs its trackers on every
     * deploy, a {@code remove /speaker} of a tracker for any speaker) raised its version and updatedOn, so the
     * tracker looked edited, and its account's decisions were rebuilt for nothing.
     */
    @Test
    void aPutOrPatchThatChangesNothingKeepsTheVersion() {
        Reply created = api.post(account, "/v1/manage/trackers", tracker("Steady"));
        String id = idOf(created);
        JsonNode before = created.json().get("tracker");

        JsonNode put = api.put(account, "/v1/manage/trackers/" + id, tracker("Steady")).json().get("tracker");
        JsonNode patched = api.patch(account, "/v1/manage/trackers/" + id, """
                [{"op": "remove", "path": "/speaker"}]""").json().get("tracker");

        for (JsonNode unchanged : List.of(put, patched)) {
            assertThat(unchanged.get("version").asLong()).isEqualTo(1);
            assertThat(unchanged.get("updatedOn")).isEqualTo(before.get("updatedOn"));
        }
        JsonNode renamed = api.patch(account, "/v1/manage/trackers/" + id, """
                [{"op": "replace", "path": "/name", "value": "Moving"}]""").json().get("tracker");
        assertThat(renamed.get("version").asLong()).isEqualTo(2);
    }

    @Test
    void patchAppliesEveryOperationInOrder() {
        String id = idOf(api.post(account, "/v1/manage/trackers", tracker("Patch me", "p0", "p1", "p2", "p3", "p4")));

        Reply reply = api.patch(account, "/v1/manage/trackers/" + id, """
                [{"op": "add", "path": "/vocabulary/-", "value": "p5"},
                 {"op": "replace", "path": "/vocabulary/0", "value": "first"},
                 {"op": "remove", "path": "/vocabulary/1"},
                 {"op": "add", "path": "/vocabulary/2", "value": "inserted"},
                 {"op": "replace", "path": "/name", "value": "Patched"},
                 {"op": "add", "path": "/description", "value": "now described"},
                 {"op": "add", "path": "/categories", "value": ["sales"]},
                 {"op": "replace", "path": "/languages", "value": ["en-GB"]},
                 {"op": "add", "path": "/sensitivity", "value": 0.9}]""");

        assertThat(reply.status()).isEqualTo(200);
        JsonNode tracker = reply.json().get("tracker");
        assertThat(strings(tracker.get("vocabulary"))).containsExactly("first", "p2", "inserted", "p3", "p4", "p5");
        assertThat(tracker.get("name").asString()).isEqualTo("Patched");
        assertThat(tracker.get("description").asString()).isEqualTo("now described");
        assertThat(strings(tracker.get("categories"))).containsExactly("sales");
        assertThat(strings(tracker.get("languages"))).containsExactly("en-GB");
        assertThat(tracker.get("sensitivity").asDouble()).isEqualTo(0.9);
        assertThat(tracker.get("version").asLong()).isEqualTo(2);

        // the older path family takes PATCH too, as it takes GET, PUT and DELETE (it was a 405 until 2026-11-29)
        Reply removed = api.send("PATCH", "/v1/manage/tracker/" + id, Map.of("Authorization",
                "Bearer " + account.token(), "Content-Type", "application/json-patch+json"), """
                [{"op": "remove", "path": "/description"}, {"op": "replace", "path": "/vocabulary",
                  "value": ["a", "b", "c", "d", "e"]}]""");
        assertThat(removed.status()).isEqualTo(200);
        assertThat(removed.json().get("tracker").has("description")).isFalse();
        assertThat(strings(removed.json().get("tracker").get("vocabulary"))).containsExactly("a", "b", "c", "d", "e");
        assertThat(removed.json().get("tracker").get("version").asLong()).isEqualTo(3);
    }

    /**
     * What Symbl's Go SDK does in its examples/trackers: create a tracker without a description, then PATCH (sent as
     * application/json) {@code replace /description}. A Symbl tracker always had a description, so this sets it.
     */
    @Test
    void replacingTheDescriptionOfATrackerWithoutOneSetsIt() {
        String id = idOf(api.post(account, "/v1/manage/trackers", tracker("Go SDK")));
        Reply patched = api.send("PATCH", "/v1/manage/trackers/" + id, Map.of("Authorization",
                "Bearer " + account.token(), "Content-Type", "application/json", "Accept", "application/json"), """
                [{"op": "replace", "path": "/description", "value": "Updated Description"}]""");
        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.json().get("tracker").get("description").asString()).isEqualTo("Updated Description");
        assertThat(patched.json().get("tracker").get("version").asLong()).isEqualTo(2);
        assertThat(api.get(account, "/v1/manage/trackers/" + id).json().get("tracker").get("description").asString())
                .isEqualTo("Updated Description");
    }

    /**
     * RFC 5789: a patch document of a type the resource does not read is a 415 with {@code Accept-Patch}. A JSON
     * Merge Patch (an object) was read as JSON and refused as a 400 "must be an array", which did not tell the
     * client that its document type was the problem, nor which types are read. OPTIONS lists them too.
     */
    @Test
    void aPatchDocumentOfAnotherTypeIs415NamingTheTypesReadInAcceptPatch() {
        String id = idOf(api.post(account, "/v1/manage/trackers", tracker("Typed")));
        for (String type : List.of("application/merge-patch+json", "text/plain")) {
            Reply refused = api.send("PATCH", "/v1/manage/trackers/" + id, Map.of("Authorization",
                    "Bearer " + account.token(), "Content-Type", type), """
                    {"description": "merged"}""");
            assertThat(refused.status()).as(refused.body()).isEqualTo(415);
            assertThat(refused.contentType()).isEqualTo("application/problem+json");
            assertThat(refused.text("type")).isEqualTo("https://opentrackers.io/problems/unsupported-media-type");
            assertThat(refused.text("detail")).isEqualTo("Content-Type '" + type + "' is not accepted here; send one "
                    + "of: application/json-patch+json, application/json.");
            assertThat(refused.header("Accept-Patch")).isEqualTo("application/json-patch+json, application/json");
        }
        assertThat(api.get(account, "/v1/manage/trackers/" + id).json().get("tracker").has("description")).isFalse();

        for (String path : List.of("/v1/manage/trackers/" + id, "/v1/manage/tracker/" + id)) {
            Reply options = api.send("OPTIONS", path, bearer(account), null);
            assertThat(options.status()).as(path).isEqualTo(200);
            assertThat(options.header("Accept-Patch")).as(path).isEqualTo("application/json-patch+json, application/json");
            assertThat(options.header("Allow")).as(path).contains("PATCH");
        }
        // paths that take no PATCH send no Accept-Patch (it was sent empty, which RFC 5789 does not allow)
        for (String path : List.of("/v1/manage/trackers", "/v1/match")) {
            Reply other = api.send("OPTIONS", path, bearer(account), null);
            assertThat(other.status()).as(path).isEqualTo(200);
            assertThat(other.header("Allow")).as(path).doesNotContain("PATCH");
            assertThat(other.header("Accept-Patch")).as(path).isNull();
        }
    }

    @Test
    void badPatchesAre400AndChangeNothing() {
        String id = idOf(api.post(account, "/v1/manage/trackers", tracker("Stable")));
        String path = "/v1/manage/trackers/" + id;

        assertBadPatch(path, "[{\"op\": \"move\", \"from\": \"/name\", \"path\": \"/description\"}]", "patch[0].op");
        assertBadPatch(path, "[{\"op\": \"replace\", \"path\": \"/id\", \"value\": \"x\"}]", "patch[0].path");
        assertBadPatch(path, "[{\"op\": \"replace\", \"path\": \"/name/3\", \"value\": \"x\"}]", "patch[0].path");
        assertBadPatch(path, "[{\"op\": \"replace\", \"path\": \"/name\"}]", "patch[0].value");
        assertBadPatch(path, "{\"op\": \"add\", \"path\": \"/name\", \"value\": \"x\"}", "body");
        // values that break a rule whatever the tracker holds
        assertBadPatch(path, "[{\"op\": \"add\", \"path\": \"/vocabulary/-\", \"value\": \"why?\"}]", "patch[0].value");
        assertBadPatch(path, "[{\"op\": \"add\", \"path\": \"/vocabulary/-\", \"value\": 7}]", "patch[0].value");
        assertBadPatch(path, "[{\"op\": \"replace\", \"path\": \"/name\", \"value\": 42}]", "patch[0].value");
        assertBadPatch(path, "[{\"op\": \"replace\", \"path\": \"/name\", \"value\": \" \"}]", "patch[0].value");
        assertBadPatch(path, "[{\"op\": \"remove\", \"path\": \"/name\"}]", "patch[0].path");
        assertBadPatch(path, "[{\"op\": \"replace\", \"path\": \"/vocabulary\", \"value\": [\"a\"]}]", "patch[0].value");
        assertBadPatch(path, "[{\"op\": \"add\", \"path\": \"/sensitivity\", \"value\": 2}]", "patch[0].value");
        // two operations on one member: the one whose value is wrong is named
        assertBadPatch(path, "[{\"op\": \"add\", \"path\": \"/speaker\", \"value\": \"agent\"}, "
                + "{\"op\": \"replace\", \"path\": \"/speaker\", \"value\": \"boss\"}]", "patch[1].value");

        // what only fails on the tracker's current state is a conflict with that state (RFC 5789): a concurrent
        // PUT or PATCH may just have changed it (issue 20)
        assertPatchConflict(path, "[{\"op\": \"remove\", \"path\": \"/vocabulary/5\"}]", "patch[0]",
                "patch[0]: remove failed: index 5 is out of range; /vocabulary has 5 items");
        assertPatchConflict(path, "[{\"op\": \"replace\", \"path\": \"/sensitivity\", \"value\": 0.5}]",
                "patch[0]", "patch[0]: replace failed: /sensitivity has no value to replace");
        assertPatchConflict(path, "[{\"op\": \"remove\", \"path\": \"/description\"}]",
                "patch[0]", "patch[0]: remove failed: /description has no value to remove");
        assertPatchConflict(path, "[{\"op\": \"remove\", \"path\": \"/vocabulary/0\"}]", "vocabulary",
                "vocabulary: must have 5 to 50 phrases, has 4");
        assertPatchConflict(path, "[{\"op\": \"add\", \"path\": \"/vocabulary/-\", \"value\": \"SAMPLE PHRASE 1\"}]",
                "patch[0].value", "patch[0].value: \"SAMPLE PHRASE 1\" repeats \"sample phrase 1\", which the tracker has "
                        + "in /vocabulary (phrases are compared ignoring case, spacing and how accents are encoded)");

        JsonNode unchanged = api.get(account, path).json().get("tracker");
        assertThat(unchanged.get("version").asLong()).isEqualTo(1);
        assertThat(unchanged.get("name").asString()).isEqualTo("Stable");
        assertThat(api.patch(account, "/v1/manage/trackers/unknown",
                "[{\"op\": \"replace\", \"path\": \"/name\", \"value\": \"x\"}]").status()).isEqualTo(404);
    }

    /**
     * Categories and languages are sets, with one rule for every way of writing a tracker: ["sales", "Sales"] was
     * stored as given by create, bulk, PUT and PATCH alike. A repeat is refused naming it and the label it repeats.
     */
    @Test
    void categoriesAndLanguagesGivenTwiceAreRefusedByEveryWrite() {
        String repeat = "categories[2]: \"Sales\" repeats categories[0] (labels are compared ignoring case, spacing "
                + "and how accents are encoded)";
        Reply created = api.post(account, "/v1/manage/trackers", tracker("Labels").set("categories",
                labels("sales", "renewal", "Sales")));
        assertThat(created.status()).isEqualTo(400);
        assertThat(created.text("detail")).isEqualTo(repeat);
        Reply bulk = api.post(account, "/v1/manage/trackers/bulk", array(tracker("Languages").set("languages",
                labels("en-US", "en-us"))));
        assertThat(bulk.status()).isEqualTo(400);
        assertThat(bulk.json().at("/errors/0/field").asString()).isEqualTo("languages[1]");

        String path = "/v1/manage/trackers/" + api.post(account, "/v1/manage/trackers", tracker("Labels")
                .set("categories", labels("sales", "renewal"))).json()
                .at("/tracker/id").asString();
        Reply replaced = api.put(account, path, tracker("Labels").set("categories",
                labels("sales", "renewal", "Sales")));
        assertThat(replaced.status()).isEqualTo(400);
        assertThat(replaced.text("detail")).isEqualTo(repeat);
        // a value that repeats itself is a bad request whatever the tracker holds; one that repeats what the
        // tracker holds conflicts with its state, as a repeated phrase does
        Reply patched = api.patch(account, path, "[{\"op\": \"replace\", \"path\": \"/categories\", \"value\": "
                + "[\"sales\", \"renewal\", \"Sales\"]}]");
        assertThat(patched.status()).isEqualTo(400);
        assertThat(patched.json().get("errors").valueStream().map(e -> e.get("field").asString() + ": "
                + e.get("message").asString())).containsExactly("patch[0].value[2]: \"Sales\" repeats patch[0].value[0] "
                + "(labels are compared ignoring case, spacing and how accents are encoded)");
        // the conflict names what the client sent: the operation and its value. It named the position in the
        // patched list, which for a label inserted before the one it repeats was the tracker's own label
        // ("categories[2]: \"renewal\" repeats categories[0]" for the second patch below)
        assertPatchConflict(path, "[{\"op\": \"add\", \"path\": \"/categories/-\", \"value\": \" SALES \"}]",
                "patch[0].value", "patch[0].value: \"SALES\" repeats \"sales\", which the tracker has in /categories "
                        + "(labels are compared ignoring case, spacing and how accents are encoded)");
        assertPatchConflict(path, "[{\"op\": \"add\", \"path\": \"/languages/-\", \"value\": \"fr-FR\"}, "
                + "{\"op\": \"add\", \"path\": \"/categories/0\", \"value\": \"Renewal\"}]",
                "patch[1].value", "patch[1].value: \"Renewal\" repeats \"renewal\", which the tracker has in "
                        + "/categories (labels are compared ignoring case, spacing and how accents are encoded)");
        assertPatchConflict(path, "[{\"op\": \"add\", \"path\": \"/languages/0\", \"value\": \"EN-US\"}]",
                "patch[0].value", "patch[0].value: \"EN-US\" repeats \"en-US\", which the tracker has in /languages "
                        + "(labels are compared ignoring case, spacing and how accents are encoded)");

        JsonNode unchanged = api.get(account, path).json().get("tracker");
        assertThat(unchanged.get("version").asLong()).isEqualTo(1);
        assertThat(strings(unchanged.get("categories"))).containsExactly("sales", "renewal");
    }

    private static ArrayNode labels(String... labels) {
        ArrayNode array = ServiceClient.JSON.createArrayNode();
        for (String label : labels) {
            array.add(label);
        }
        return array;
    }

    private void assertPatchConflict(String path, String patch, String field, String reason) {
        Reply reply = api.patch(account, path, patch);
        assertThat(reply.status()).as(patch).isEqualTo(409);
        assertThat(reply.contentType()).isEqualTo("application/problem+json");
        assertThat(reply.text("type")).isEqualTo("https://opentrackers.io/problems/conflict");
        assertThat(reply.text("detail")).as(patch)
                .isEqualTo("The patch does not apply to the tracker's current state (version 1): " + reason);
        assertThat(reply.json().get("errors").valueStream().map(e -> e.get("field").asString())).as(patch)
                .containsExactly(field);
    }

    private void assertBadPatch(String path, String patch, String field) {
        Reply reply = api.patch(account, path, patch);
        assertThat(reply.status()).as(patch).isEqualTo(400);
        assertThat(reply.contentType()).isEqualTo("application/problem+json");
        assertThat(reply.json().get("errors").valueStream().map(e -> e.get("field").asString())).as(patch)
                .contains(field);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/manage/tracker/", "/v1/manage/trackers/"})
    void deleteAnswersTheDeletedMarkerThen404(String path) {
        String id = idOf(api.post(account, "/v1/manage/trackers", tracker("Short lived")));

        Reply deleted = api.delete(account, path + id);

        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json()).isEqualTo(ServiceClient.JSON.createObjectNode()
                .put("id", id).put("type", "tracker").put("deleted", true));
        assertThat(api.get(account, path + id).status()).isEqualTo(404);
        assertThat(api.delete(account, path + id).status()).isEqualTo(404);
        assertThat(api.get(account, "/v1/manage/trackers").json().get("trackers").isEmpty()).isTrue();
    }

    @Test
    void unknownIdIs404Problem() {
        Reply reply = api.get(account, "/v1/manage/tracker/does-not-exist");
        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.contentType()).isEqualTo("application/problem+json");
        assertThat(reply.text("detail")).isEqualTo("No tracker with id 'does-not-exist'");
    }

    @Test
    void namesAreUniquePerAccountCaseSensitiveAndTrimmed() {
        assertThat(api.post(account, "/v1/manage/tracker", tracker("  Budget  ")).json().get("tracker")
                .get("name").asString()).isEqualTo("Budget");

        Reply duplicate = api.post(account, "/v1/manage/trackers", tracker("Budget"));
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.contentType()).isEqualTo("application/problem+json");
        assertThat(duplicate.text("detail")).isEqualTo("name: a tracker named 'Budget' already exists");
        assertThat(duplicate.json().get("errors").get(0).get("field").asString()).isEqualTo("name");

        assertThat(api.post(account, "/v1/manage/trackers", tracker("budget")).status()).isEqualTo(201);
        assertThat(api.post(api.newAccount(), "/v1/manage/trackers", tracker("Budget")).status()).isEqualTo(201);
    }

    /**
     * A user audit: names of no-break spaces or a zero-width space were stored, and "Spaced\u00a0" was a second
     * tracker beside "Spaced". Names are trimmed of whitespace of any script and of invisible format characters,
     * wherever a name is checked.
     */
    @Test
    void namesAreTrimmedOfInvisibleCharactersOfAnyKindWhereverTheyAreChecked() {
        for (String blank : List.of("\u00a0\u00a0", "\u200b", "\u2007\u202f", "\ufeff\u3000 \t", "\u2028")) {
            Reply reply = api.post(account, "/v1/manage/trackers", tracker(blank));
            assertThat(reply.status()).as(blank.codePoints().boxed().toList().toString()).isEqualTo(400);
            assertThat(reply.text("detail")).isEqualTo("name: must not be blank");
        }
        JsonNode spaced = api.post(account, "/v1/manage/trackers", tracker("\u200b\u00a0Spaced\u202f")).json()
                .get("tracker");
        assertThat(spaced.get("name").asString()).isEqualTo("Spaced");
        Reply again = api.post(account, "/v1/manage/trackers", tracker("Spaced\u00a0"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.text("detail")).isEqualTo("name: a tracker named 'Spaced' already exists");

        Reply bulk = api.post(account, "/v1/manage/trackers/bulk", array(tracker("Fine"), tracker("\u00a0")));
        assertThat(bulk.status()).isEqualTo(400);
        assertThat(bulk.text("detail")).isEqualTo("item 1: name: must not be blank");
        String path = "/v1/manage/trackers/" + spaced.get("id").asString();
        assertThat(api.put(account, path, tracker("\u200b")).text("detail")).isEqualTo("name: must not be blank");
        Reply patched = api.patch(account, path, "[{\"op\": \"replace\", \"path\": \"/name\", \"value\": \"\\u00a0\"}]");
        assertThat(patched.status()).isEqualTo(400);
        assertThat(patched.json().get("errors").get(0).get("field").asString()).isEqualTo("patch[0].value");
        assertThat(names(api.get(account, "/v1/manage/trackers"))).containsExactly("Spaced");
        // inline trackers of a conversation request follow the same rule
        Reply match = api.post(account, "/v1/match", "{\"trackers\": [" + tracker("\u00a0\u200b")
                + "], \"messages\": [{\"id\": \"m\", \"payload\": {\"content\": \"hello\"}}]}");
        assertThat(match.status()).isEqualTo(400);
        assertThat(match.text("detail")).isEqualTo("trackers[0].name: must not be blank");
    }

    /**
     * A user audit: phrases that read the same were accepted as different ones. They are compared in NFC, ignoring
     * case and runs of whitespace (no-break spaces included), and stored in NFC with single spaces.
     */
    @Test
    void phrasesThatDifferOnlyInSpacingOrUnicodeFormAreDuplicates() {
        List<List<String>> duplicates = List.of(List.of("a\u00a0b", "a b"), List.of("a  b", "a b"),
                List.of("cafe\u0301", "caf\u00e9"), List.of("Stra\u00dfe", "STRASSE"), List.of("\u200bprice", "PRICE"));
        for (List<String> pair : duplicates) {
            Reply reply = api.post(account, "/v1/manage/trackers",
                    tracker("Duplicates", pair.get(0), pair.get(1), "c", "d", "e"));
            assertThat(reply.status()).as(pair.toString()).isEqualTo(400);
            assertThat(reply.json().get("errors").valueStream().map(e -> e.get("field").asString())).as(pair.toString())
                    .containsExactly("vocabulary[1]");
            assertThat(reply.text("detail")).as(pair.toString()).isEqualTo("vocabulary[1]: \"" + pair.get(1)
                    + "\" repeats vocabulary[0] (phrases are compared ignoring case, spacing and how accents are encoded)");
        }
        ObjectNode withExclude = tracker("Excluded", "price list", "b", "c", "d", "e");
        withExclude.putArray("exclude").add("price\u00a0list");
        Reply excluded = api.post(account, "/v1/manage/trackers", withExclude);
        assertThat(excluded.status()).isEqualTo(400);
        assertThat(excluded.json().get("errors").get(0).get("field").asString()).isEqualTo("exclude[0]");

        JsonNode stored = api.post(account, "/v1/manage/trackers", tracker("Normalised", " price\u00a0\u00a0list ",
                "cafe\u0301 au lait", "b", "c", "d")).json().get("tracker");
        assertThat(strings(stored.get("vocabulary"))).containsExactly("price list", "caf\u00e9 au lait", "b", "c", "d");
    }

    @Test
    void validationErrorsNameTheFieldAndTheOffendingValue() {
        Reply punctuation = api.post(account, "/v1/manage/tracker",
                tracker("Pricing", "how much", "pricing plans", "what's the price?", "discount", "too expensive"));
        assertThat(punctuation.status()).isEqualTo(400);
        assertThat(punctuation.text("detail")).isEqualTo("vocabulary[2]: \"what's the price?\" contains '?' which is "
                + "not allowed; a phrase holds only letters, digits, spaces, full stops (.), apostrophes (') and "
                + "hyphens (-)");
        assertThat(punctuation.text("message")).isEqualTo(punctuation.text("detail"));

        assertFieldError(tracker(" "), "name");
        assertFieldError(tracker("x".repeat(129)), "name");
        assertFieldError(tracker("Few", "a", "b", "c", "d"), "vocabulary");
        assertFieldError(tracker("Dupes", "Price", "a", "b", "c", "price"), "vocabulary[4]");
        assertFieldError(tracker("Long", "a", "b", "c", "d", "e".repeat(257)), "vocabulary[4]");
        assertFieldError(tracker("Sensitive").put("sensitivity", 1.5), "sensitivity");
        assertFieldError(tracker("Sensitive").put("sensitivity", -0.1), "sensitivity");
        assertFieldError(tracker("Typed").put("sensitivity", "high"), "sensitivity");
        assertFieldError(tracker("Typed").put("name", 5), "name");
        assertFieldError(tracker("Typed").put("vocabulary", "one string"), "vocabulary");
        ObjectNode numberPhrase = tracker("Typed");
        ((ArrayNode) numberPhrase.get("vocabulary")).set(2, 7);
        assertFieldError(numberPhrase, "vocabulary[2]");

        assertThat(api.post(account, "/v1/manage/tracker", tracker("x".repeat(128), "a", "b", "c", "d",
                "e".repeat(256))).status()).isEqualTo(201);
        assertThat(api.post(account, "/v1/manage/tracker", tracker("Scripts", "Preis prüfen", "価格について",
                "कीमत क्या है", "l'offre n'est pas chère", "co-op 2.0")).status()).isEqualTo(201);
        assertThat(api.get(account, "/v1/manage/trackers").json().get("trackers").size()).isEqualTo(2);
    }

    private void assertFieldError(JsonNode body, String field) {
        Reply reply = api.post(account, "/v1/manage/tracker", body);
        assertThat(reply.status()).as(body.toString()).isEqualTo(400);
        assertThat(reply.json().get("errors").valueStream().map(e -> e.get("field").asString())).as(body.toString())
                .contains(field);
        assertThat(reply.text("detail")).contains(field + ": ");
    }

    @Test
    void anotherAccountCannotSeeChangeOrDeleteTrackers() {
        JsonNode mine = api.post(account, "/v1/manage/trackers", tracker("Private")).json().get("tracker");
        String id = mine.get("id").asString();
        Account other = api.newAccount();
        api.post(other, "/v1/manage/trackers", tracker("Theirs"));

        for (String family : List.of("/v1/manage/tracker/", "/v1/manage/trackers/")) {
            assertThat(api.get(other, family + id).status()).isEqualTo(404);
            assertThat(api.put(other, family + id, tracker("Hijacked")).status()).isEqualTo(404);
            assertThat(api.delete(other, family + id).status()).isEqualTo(404);
        }
        assertThat(api.patch(other, "/v1/manage/trackers/" + id,
                "[{\"op\": \"replace\", \"path\": \"/name\", \"value\": \"Hijacked\"}]").status()).isEqualTo(404);
        assertThat(names(api.get(other, "/v1/manage/trackers"))).containsExactly("Theirs");
        assertThat(names(api.get(other, "/v1/manage/trackers?name=Private"))).isEmpty();
        JsonNode read = api.get(account, "/v1/manage/trackers/" + id).json().get("tracker");
        assertThat(withoutReadOnlyFields(read)).isEqualTo(mine);
        assertThat(names(api.get(account, "/v1/manage/trackers"))).containsExactly("Private");
    }

    /**
     * A management audit: a request whose {@code Accept} the service cannot answer was carried out and only then
     * refused with 406, so a client that saw the 406 (and retried) found its tracker created, changed or deleted. The
     * 406 now comes before anything is done.
     */
    @Test
    void anAcceptTheServiceCannotAnswerIs406BeforeAnythingChanges() {
        String id = idOf(api.post(account, "/v1/manage/trackers", tracker("Kept")));
        Map<String, String> html = Map.of("Authorization", "Bearer " + account.token(), "Accept", "text/html");

        List<Reply> refused = List.of(
                api.send("POST", "/v1/manage/trackers", html, tracker("Created anyway")),
                api.send("POST", "/v1/manage/tracker", html, tracker("Created anyway 2")),
                api.send("POST", "/v1/manage/trackers/bulk", html, array(tracker("Created anyway 3"))),
                api.send("PUT", "/v1/manage/trackers/" + id, html, tracker("Replaced anyway")),
                api.send("PATCH", "/v1/manage/trackers/" + id, html,
                        "[{\"op\": \"replace\", \"path\": \"/name\", \"value\": \"Patched anyway\"}]"),
                api.send("DELETE", "/v1/manage/trackers/" + id, html, null),
                api.send("DELETE", "/v1/manage/tracker/" + id, html, null));

        for (Reply reply : refused) {
            assertThat(reply.status()).as(reply.body()).isEqualTo(406);
            assertThat(reply.contentType()).isEqualTo("application/problem+json");
            assertThat(reply.text("type")).isEqualTo("https://opentrackers.io/problems/not-acceptable");
        }
        assertThat(names(api.get(account, "/v1/manage/trackers"))).containsExactly("Kept");
        assertThat(api.get(account, "/v1/manage/trackers/" + id).json().get("tracker").get("version").asLong())
                .isEqualTo(1);
        // what JSON clients send is still answered
        Map<String, String> json = Map.of("Authorization", "Bearer " + account.token(), "Accept",
                "application/json, text/plain, */*");
        assertThat(api.send("GET", "/v1/manage/trackers/" + id, json, null).status()).isEqualTo(200);
        assertThat(api.send("POST", "/v1/manage/trackers", Map.of("Authorization", "Bearer " + account.token(),
                "Accept", "*/*"), tracker("Any accepted")).status()).isEqualTo(201);
    }

    /**
     * A management audit: {@code Content-Type: application/yaml} was read by a second, Jackson 2 converter that came
     * with the OpenAPI library: a tracker body got a 500, and {@code Accept: application/yaml} answered another
     * representation (dates as epoch seconds, null members). The API speaks JSON only.
     */
    @Test
    void yamlIsNeitherReadNorWritten() {
        Reply yamlBody = api.send("POST", "/v1/manage/trackers", Map.of("Authorization", "Bearer " + account.token(),
                "Content-Type", "application/yaml"), "name: Yaml\nvocabulary: [aa one, bb two, cc three, dd four, ee five]\n");
        assertThat(yamlBody.status()).isEqualTo(415);
        assertThat(yamlBody.contentType()).isEqualTo("application/problem+json");
        assertThat(yamlBody.text("detail")).startsWith("Content-Type 'application/yaml' is not accepted here; send one "
                + "of: application/json").doesNotContain("yaml;").doesNotContain(", application/yaml");

        api.post(account, "/v1/manage/trackers", tracker("Json"));
        Reply yamlRead = api.send("GET", "/v1/manage/trackers", Map.of("Authorization", "Bearer " + account.token(),
                "Accept", "application/yaml"), null);
        assertThat(yamlRead.status()).isEqualTo(406);
        assertThat(yamlRead.contentType()).isEqualTo("application/problem+json");
        assertThat(names(api.get(account, "/v1/manage/trackers"))).containsExactly("Json");
    }

    /**
     * A management audit: {@code ?name=} compared the name as sent, although a created name is trimmed: after
     * creating {@code "Spaced\u00a0"} (stored as {@code Spaced}), {@code ?name=Spaced%C2%A0} found nothing while
     * creating it again was a 409 "already exists". A lookup reads the name the way a create does.
     */
    @Test
    void findByNameReadsTheNameAsACreateDoes() {
        api.post(account, "/v1/manage/trackers", tracker("Spaced\u00a0"));
        api.post(account, "/v1/manage/trackers", tracker("Caf\u00e9"));

        assertThat(names(api.get(account, "/v1/manage/trackers?name=Spaced%C2%A0"))).containsExactly("Spaced");
        assertThat(names(api.get(account, "/v1/manage/trackers?name=%20Spaced%E2%80%8B"))).containsExactly("Spaced");
        assertThat(names(api.get(account, "/v1/manage/trackers?name=Cafe%CC%81"))).containsExactly("Caf\u00e9");
        assertThat(names(api.get(account, "/v1/manage/trackers?name=spaced"))).isEmpty();
    }

    /**
     * A management audit: {@code "Cafe\u0301"} (e and a combining accent) and {@code "Caf\u00e9"} were two trackers
     * whose names read the same, and only one of them could be found by the name a user typed. Names are stored in
     * NFC, so they are one name.
     */
    @Test
    void namesThatDifferOnlyInHowAccentsAreEncodedAreOneName() {
        JsonNode decomposed = api.post(account, "/v1/manage/trackers", tracker("Cafe\u0301")).json().get("tracker");
        assertThat(decomposed.get("name").asString()).isEqualTo("Caf\u00e9");

        Reply composed = api.post(account, "/v1/manage/trackers", tracker("Caf\u00e9"));
        assertThat(composed.status()).isEqualTo(409);
        assertThat(composed.text("detail")).isEqualTo("name: a tracker named 'Caf\u00e9' already exists");
        Reply bulk = api.post(account, "/v1/manage/trackers/bulk", array(tracker("R\u00e9sum\u00e9"),
                tracker("Re\u0301sume\u0301")));
        assertThat(bulk.status()).isEqualTo(409);
        assertThat(bulk.text("detail")).isEqualTo("item 1: name: 'R\u00e9sum\u00e9' is also the name of item 0 of "
                + "this request");
        String other = idOf(api.post(account, "/v1/manage/trackers", tracker("Other")));
        assertThat(api.put(account, "/v1/manage/trackers/" + other, tracker("Cafe\u0301")).status()).isEqualTo(409);
        assertThat(api.patch(account, "/v1/manage/trackers/" + other,
                "[{\"op\": \"replace\", \"path\": \"/name\", \"value\": \"Cafe\\u0301\"}]").status()).isEqualTo(409);
        assertThat(names(api.get(account, "/v1/manage/trackers"))).containsExactly("Caf\u00e9", "Other");
    }

    /**
     * A management audit: a name could hold control characters (a line break, the escape of a terminal colour code,
     * {@code "A\u001b[31mred"}), which no one types into a name and which show as nothing or break the lines they are
     * printed in; and 65 emoji were "at most 128 characters, has 130", counting UTF-16 units instead of characters.
     */
    @Test
    void namesAreOneLineOfTextCountedInCharacters() {
        for (String name : List.of("Pri\ncing", "A\u001b[31mred", "tab\there", "next\u0085line")) {
            Reply reply = api.post(account, "/v1/manage/trackers", tracker(name));
            assertThat(reply.status()).as(name).isEqualTo(400);
            assertThat(reply.json().get("errors").get(0).get("field").asString()).isEqualTo("name");
        }
        assertThat(api.post(account, "/v1/manage/trackers", tracker("Pri\ncing")).text("detail"))
                .isEqualTo("name: contains the control character U+000A; a name is one line of text");

        String emoji = "\uD83D\uDE00".repeat(128);
        Reply longest = api.post(account, "/v1/manage/trackers", tracker(emoji));
        assertThat(longest.status()).isEqualTo(201);
        assertThat(longest.json().get("tracker").get("name").asString()).isEqualTo(emoji);
        Reply tooLong = api.post(account, "/v1/manage/trackers", tracker(emoji + "x"));
        assertThat(tooLong.text("detail")).isEqualTo("name: must be at most 128 characters, has 129");
        assertThat(names(api.get(account, "/v1/manage/trackers"))).containsExactly(emoji);
    }

    /**
     * A name pasted from a web page, {@code "Pricing\u00a0Objection"}, read as {@code "Pricing Objection"} and was
     * another name: creating both gave two trackers that looked the same, and {@code ?name=Pricing Objection} did not
     * find the first. Inside a name, spaces of any kind are one plain space, wherever a name is read (create, bulk,
     * PUT, PATCH, {@code ?name=}, inline trackers); a character that shows as nothing there is refused naming it.
     */
    @Test
    void namesReadTheSameWhateverSpacesTheyHoldAndRefuseCharactersThatShowAsNothing() {
        JsonNode pasted = api.post(account, "/v1/manage/trackers", tracker("Pricing\u00a0Objection")).json()
                .get("tracker");
        assertThat(pasted.get("name").asString()).isEqualTo("Pricing Objection");
        Reply typed = api.post(account, "/v1/manage/trackers", tracker("Pricing Objection"));
        assertThat(typed.status()).isEqualTo(409);
        assertThat(typed.text("detail")).isEqualTo("name: a tracker named 'Pricing Objection' already exists");
        for (String query : List.of("Pricing%20Objection", "Pricing%C2%A0Objection", "Pricing%20%20Objection",
                "Pricing%E2%80%AFObjection")) {
            assertThat(names(api.get(account, "/v1/manage/trackers?name=" + query))).as(query)
                    .containsExactly("Pricing Objection");
        }
        Reply bulk = api.post(account, "/v1/manage/trackers/bulk", array(tracker("Lead\u2007time"),
                tracker("Lead  time")));
        assertThat(bulk.status()).isEqualTo(409);
        assertThat(bulk.text("detail")).isEqualTo("item 1: name: 'Lead time' is also the name of item 0 of this request");

        String invisible = "name: contains the invisible character U+200B (ZERO WIDTH SPACE) after \"Pricing\"; a name "
                + "holds only characters that show, so that names that read the same are the same name";
        Reply zeroWidth = api.post(account, "/v1/manage/trackers", tracker("Pricing\u200bObjection"));
        assertThat(zeroWidth.status()).isEqualTo(400);
        assertThat(zeroWidth.text("detail")).isEqualTo(invisible);
        assertThat(zeroWidth.json().get("errors").get(0).get("field").asString()).isEqualTo("name");
        Reply inBulk = api.post(account, "/v1/manage/trackers/bulk", array(tracker("Fine"),
                tracker("Pricing\u200bObjection")));
        assertThat(inBulk.status()).isEqualTo(400);
        assertThat(inBulk.text("detail")).isEqualTo("item 1: " + invisible);
        String path = "/v1/manage/trackers/" + idOf(api.post(account, "/v1/manage/trackers", tracker("Other")));
        assertThat(api.put(account, path, tracker("Pricing\u200bObjection")).text("detail")).isEqualTo(invisible);
        assertThat(api.put(account, path, tracker("Pricing\u3000Objection")).status()).isEqualTo(409);
        Reply joined = api.patch(account, path, "[{\"op\": \"replace\", \"path\": \"/name\", \"value\": "
                + "\"can\\u2060cel\"}]");
        assertThat(joined.status()).isEqualTo(400);
        assertThat(joined.text("detail")).startsWith("patch[0].value: contains the invisible character U+2060 (WORD JOINER) "
                + "after \"can\"");
        assertThat(api.post(account, "/v1/manage/trackers", tracker("Lines\u2028here")).text("detail"))
                .isEqualTo("name: contains the line separator U+2028; a name is one line of text");
        Reply match = api.post(account, "/v1/match", "{\"trackers\": [" + tracker("Pricing\ufeffObjection")
                + "], \"messages\": [{\"id\": \"m\", \"payload\": {\"content\": \"hello\"}}]}");
        assertThat(match.status()).isEqualTo(400);
        assertThat(match.text("detail")).startsWith("trackers[0].name: contains the invisible character U+FEFF");

        // a joiner that changes how the letters are drawn is part of the name (Persian "I want")
        String persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645";
        assertThat(api.post(account, "/v1/manage/trackers", tracker(persian)).status()).isEqualTo(201);
        assertThat(names(api.get(account, "/v1/manage/trackers"))).containsExactly("Pricing Objection", "Other",
                persian);
    }

    /** V16 brings names stored before into their form, unless that form is another tracker's name. */
    @Test
    void theMigrationBringsStoredNamesIntoTheirForm() {
        String schema = "tracker_names_" + System.nanoTime();
        migrate(schema, "14");
        String first = storedAccount(schema);
        String second = storedAccount(schema);
        String insert = "insert into " + schema + ".tracker (id, account_id, name, vocabulary, version, created_on, "
                + "updated_on) values (?, ?::uuid, ?, array['a','b','c','d','e'], 1, now(), now())";
        jdbc.update(insert, "decomposed", first, "Cafe\u0301");
        jdbc.update(insert, "twin", first, "Re\u0301sume\u0301");
        jdbc.update(insert, "composed", first, "R\u00e9sum\u00e9");
        jdbc.update(insert, "lengthened", first, "\u0958".repeat(100)); // NFC: 200 characters, more than the column
        jdbc.update(insert, "other account", second, "Cafe\u0301");
        jdbc.update(insert, "spaced", second, "Pricing\u00a0 Objection");

        migrate(schema, "latest");

        assertThat(jdbc.queryForList("select id || '=' || name from " + schema + ".tracker order by id", String.class))
                .containsExactly("composed=R\u00e9sum\u00e9", "decomposed=Caf\u00e9", "lengthened=" + "\u0958".repeat(100),
                        "other account=Caf\u00e9", "spaced=Pricing Objection", "twin=Re\u0301sume\u0301");
        jdbc.execute("drop schema " + schema + " cascade");
    }

    /**
     * V18 brings names stored before the rule of single plain spaces and characters that show into it, unless the
     * result is another tracker's name.
     */
    @Test
    void theSecondMigrationStoresNamesAsTheyRead() {
        String schema = "tracker_visible_names_" + System.nanoTime();
        migrate(schema, "17");
        String account = storedAccount(schema);
        String insert = "insert into " + schema + ".tracker (id, account_id, name, vocabulary, version, created_on, "
                + "updated_on) values (?, ?::uuid, ?, array['a','b','c','d','e'], 1, now(), now())";
        String persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645";
        jdbc.update(insert, "spaced", account, "Pricing\u00a0 Objection");
        jdbc.update(insert, "hidden", account, "Can\u200bcel\u2060lation");
        jdbc.update(insert, "twin", account, "Bud\u200bget");
        jdbc.update(insert, "budget", account, "Budget");
        jdbc.update(insert, "persian", account, persian);

        migrate(schema, "latest");

        assertThat(jdbc.queryForList("select id || '=' || name from " + schema + ".tracker order by id", String.class))
                .containsExactly("budget=Budget", "hidden=Cancellation", "persian=" + persian,
                        "spaced=Pricing Objection", "twin=Bud\u200bget");
        jdbc.execute("drop schema " + schema + " cascade");
    }

    /**
     * V19 makes the categories and languages stored before they were sets into sets, keeping each label's first
     * spelling: such a tracker read and written back, or patched, would otherwise be refused for a repeat.
     */
    @Test
    void theLabelMigrationKeepsTheFirstSpellingOfEachRepeatedLabel() {
        String schema = "tracker_label_sets_" + System.nanoTime();
        migrate(schema, "18");
        String account = storedAccount(schema);
        String insert = "insert into " + schema + ".tracker (id, account_id, name, categories, languages, vocabulary,"
                + " version, created_on, updated_on) values (?, ?::uuid, ?, ?::text[], ?::text[],"
                + " array['a','b','c','d','e'], 1, now(), now())";
        jdbc.update(insert, "repeated", account, "Repeated", "{sales,Sales,support,\"SALES\",Caf\u00e9,Cafe\u0301}",
                "{en-US,EN-us}");
        jdbc.update(insert, "plain", account, "Plain", "{sales,support}", "{en-US}");

        migrate(schema, "latest");

        assertThat(jdbc.queryForList("select id || '=' || array_to_string(categories, '|') || '/'"
                + " || array_to_string(languages, '|') from " + schema + ".tracker order by id", String.class))
                .containsExactly("plain=sales|support/en-US", "repeated=sales|support|Caf\u00e9/en-US");
        jdbc.execute("drop schema " + schema + " cascade");
    }

    /** An account row in {@code schema}, as a migration test's trackers need one; returns its id. */
    private String storedAccount(String schema) {
        String account = UUID.randomUUID().toString();
        jdbc.update("insert into " + schema + ".account (id, app_id, secret_hash, name) values (?::uuid, ?, 'x', 'm')",
                account, "app-" + account);
        return account;
    }

    /** Runs the service's migrations, SQL and Java, in {@code schema} up to {@code target} ("latest": all). */
    private void migrate(String schema, String target) {
        Flyway.configure().dataSource(jdbc.getDataSource()).schemas(schema)
                .javaMigrations(new TrackerNameFormMigration(), new TrackerNameFormMigration.VisibleNames(),
                        new TrackerLabelSetMigration())
                .target(target).load().migrate();
    }

    /**
     * A management audit: the answer to a bad body grew with the body. 800 KB of phrases with '?' got a 145 MB
     * problem, a 1 MB bulk array of empty objects 115 MB, 1 MB of bad PATCH operations 28 MB: each violation appears
     * in detail, message and errors[], so a few parallel requests could exhaust the heap. A problem now lists at
     * most 1,000 violations and says how many more there were; a bulk request longer than the account limit is
     * refused by its length before its items are read.
     */
    @Test
    void theAnswerToAHugeBadBodyIsBoundedAndNothingIsStored() {
        String id = idOf(api.post(account, "/v1/manage/trackers", tracker("Kept")));
        String question = "\"?\",".repeat(200_000);
        String phrases = "{\"name\": \"Huge\", \"vocabulary\": [" + question.substring(0, question.length() - 1) + "]}";

        Reply one = api.post(account, "/v1/manage/trackers", phrases);

        assertThat(one.status()).isEqualTo(400);
        assertThat(one.body().length()).as("answer size").isLessThan(1_000_000);
        assertThat(one.json().get("errors").size()).isEqualTo(1000);
        assertThat(one.text("detail")).startsWith("vocabulary: must have 5 to 50 phrases, has 200000; ")
                .endsWith("; and 399000 more (400000 in all; only the first 1000 are listed)");
        assertThat(one.text("message")).isEqualTo(one.text("detail"));

        String patchOps = "{\"op\": \"move\", \"path\": \"/id\"},".repeat(20_000);
        Reply patch = api.patch(account, "/v1/manage/trackers/" + id, "[" + patchOps.substring(0,
                patchOps.length() - 1) + "]");
        assertThat(patch.status()).isEqualTo(400);
        assertThat(patch.body().length()).as("answer size").isLessThan(1_000_000);
        assertThat(patch.json().get("errors").size()).isEqualTo(1000);

        for (String path : List.of("/v1/manage/trackers", "/v1/manage/trackers/bulk")) {
            String empties = "{},".repeat(300_000);
            Reply bulk = api.post(account, path, "[" + empties.substring(0, empties.length() - 1) + "]");
            assertThat(bulk.status()).as(path).isEqualTo(409);
            assertThat(bulk.text("type")).isEqualTo("https://opentrackers.io/problems/tracker-limit-reached");
            assertThat(bulk.text("detail")).isEqualTo("Creating 300000 trackers would exceed the limit of 500 "
                    + "trackers per account; the account holds 1 (499 left)");
        }
        assertThat(names(api.get(account, "/v1/manage/trackers"))).containsExactly("Kept");
    }

    /** Within the limit of a bulk request every bad item is still named, however many violations each has. */
    @Test
    void aBulkRequestOfManyBadItemsNamesEveryOne() {
        ArrayNode items = ServiceClient.JSON.createArrayNode();
        for (int i = 0; i < 500; i++) {
            ArrayNode vocabulary = items.addObject().put("name", "Item " + i).putArray("vocabulary");
            for (int j = 0; j < 50; j++) {
                vocabulary.add("bad " + j + "?");
            }
        }

        Reply reply = api.post(account, "/v1/manage/trackers/bulk", items);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("errors").size()).isEqualTo(1000);
        assertThat(reply.json().get("errors").valueStream().map(e -> e.get("index").asInt()).distinct().count())
                .isEqualTo(500);
        assertThat(reply.text("detail")).endsWith("; and 24000 more (25000 in all; only the first 1000 are listed)");
        assertThat(names(api.get(account, "/v1/manage/trackers"))).isEmpty();
    }

    @Test
    void malformedJsonIs400Problem() {
        Reply reply = api.post(account, "/v1/manage/trackers", "{\"name\": \"Broken\", \"vocabulary\": [");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.contentType()).isEqualTo("application/problem+json");
        assertThat(reply.text("detail")).startsWith("Malformed request body");
        assertThat(api.post(account, "/v1/manage/tracker", "").status()).isEqualTo(400);
    }

    @Test
    void openApiDescribesBothPathFamiliesAndTheBodies() {
        Reply docs = api.send("GET", "/v3/api-docs", Map.of(), null);
        assertThat(docs.status()).isEqualTo(200);
        JsonNode paths = docs.json().get("paths");
        assertThat(paths.has("/v1/manage/tracker/{id}")).isTrue();
        assertThat(paths.get("/v1/manage/trackers/{id}").has("patch")).isTrue();
        assertThat(paths.has("/v1/manage/trackers/bulk")).isTrue();
        assertThat(docs.json().get("components").get("schemas").has("TrackerRequest")).isTrue();
        assertThat(docs.json().get("components").get("schemas").has("TrackerPatchOperation")).isTrue();
    }

    static List<String> names(Reply reply) {
        assertThat(reply.status()).isEqualTo(200);
        return reply.json().get("trackers").valueStream().map(t -> t.get("name").asString()).toList();
    }

    static String idOf(Reply created) {
        assertThat(created.status()).isEqualTo(201);
        return created.json().get("tracker").get("id").asString();
    }
}

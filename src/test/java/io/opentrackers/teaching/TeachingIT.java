package io.opentrackers.teaching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentrackers.SecondInstance;
import io.opentrackers.TestApi;
import io.opentrackers.common.VectorBytes;
import io.opentrackers.matching.EmbeddingModel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Teaching a tracker through the API, with the real model and PostgreSQL: examples (storage, rules, limits,
 * isolation), decisions that follow an example write at the next call (on this instance and on a second one sharing
 * the database), suggestions and the quality estimate.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TeachingIT {

    private static final String MONEY = """
            {"name": "Money", "vocabulary": ["I don't have any money", "my account is empty", "I can't afford it",
                                             "I am short on cash", "my card got declined"]}""";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    JdbcConnectionDetails database;

    @Autowired
    EmbeddingModel model;

    @Autowired
    MeterRegistry meters;

    private TestApi account() {
        return TestApi.newAccount("http://localhost:" + port);
    }

    private static String examplesOf(String trackerId) {
        return "/v1/manage/trackers/" + trackerId + "/examples";
    }

    private static String create(TestApi api, String json) {
        TestApi.Response created = api.post("/v1/manage/trackers", json);
        assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
        return created.body().get("tracker").get("id").asString();
    }

    private static TestApi.Response delete(TestApi api, String path) {
        return api.send(HttpMethod.DELETE, path, null, null);
    }

    @Test
    void examplesAreStoredListedAndDeletedAndBumpTheVersionButNotTheVocabulary() {
        TestApi api = account();
        String id = create(api, MONEY);
        String examples = examplesOf(id);

        TestApi.Response one = api.post(examples, "{\"text\": \"Payday is two weeks away, I'm broke!\", \"match\": true}");
        assertThat(one.status()).isEqualTo(201);
        JsonNode first = one.body().get("examples").get(0);
        assertThat(first.get("text").asString()).isEqualTo("Payday is two weeks away, I'm broke!");
        assertThat(first.get("match").asBoolean()).isTrue();
        assertThat(first.get("id").asString()).isNotBlank();
        assertThat(first.get("createdOn").asString()).endsWith("Z");

        TestApi.Response two = api.post(examples, """
                [{"text": "The money transfer arrived", "match": false}, {"text": "Funds are low", "match": true}]""");
        assertThat(two.status()).isEqualTo(201);
        assertThat(two.body().get("examples")).hasSize(2);

        JsonNode listed = api.get(examples).body().get("examples");
        assertThat(listed).extracting(e -> e.get("text").asString()).containsExactly(
                "Payday is two weeks away, I'm broke!", "The money transfer arrived", "Funds are low");
        JsonNode tracker = api.get("/v1/manage/trackers/" + id).body().get("tracker");
        assertThat(tracker.get("version").asLong()).isEqualTo(3);
        assertThat(tracker.get("vocabulary")).hasSize(5);
        assertThat(tracker.has("examples")).as("a read includes them only on request").isFalse();
        JsonNode withExamples = api.get("/v1/manage/trackers/" + id + "?include=examples").body().get("tracker");
        assertThat(withExamples.get("examples")).extracting(e -> e.get("text").asString()).containsExactly(
                "Payday is two weeks away, I'm broke!", "The money transfer arrived", "Funds are low");
        assertThat(api.get("/v1/manage/trackers/" + id + "?include=phrases").status()).isEqualTo(400);

        JsonNode exported = api.get("/v1/manage/trackers?include=examples").body().get("trackers").get(0);
        assertThat(exported.get("examples")).hasSize(3);
        assertThat(exported.get("examples").get(1).get("text").asString()).isEqualTo("The money transfer arrived");
        assertThat(exported.get("examples").get(1).get("match").asBoolean()).isFalse();
        TestApi.Response badInclude = api.get("/v1/manage/trackers?include=phrases");
        assertThat(badInclude.status()).isEqualTo(400);
        assertThat(badInclude.body().get("errors").get(0).get("field").asString()).isEqualTo("include");

        String firstId = first.get("id").asString();
        TestApi.Response deleted = delete(api, examples + "/" + firstId);
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.body().get("deleted").asBoolean()).isTrue();
        assertThat(delete(api, examples + "/" + firstId).status()).isEqualTo(404);
        assertThat(api.get(examples).body().get("examples")).hasSize(2);
        assertThat(api.get("/v1/manage/trackers/" + id).body().get("tracker").get("version").asLong()).isEqualTo(4);

        // deleted with their tracker
        assertThat(delete(api, "/v1/manage/trackers/" + id).status()).isEqualTo(200);
        assertThat(jdbc.queryForObject("select count(*) from tracker_example where tracker_id = ?", Integer.class, id))
                .isZero();
        assertThat(api.get(examples).status()).isEqualTo(404);
    }

    @Test
    void theAnswerOfGetExamplesPostedBackAsItIsCopiesTheExamplesToAnotherTracker() {
        TestApi api = account();
        String from = create(api, MONEY);
        String to = create(api, MONEY.replace("\"Money\"", "\"Money copy\""));
        assertThat(api.post(examplesOf(from), """
                [{"text": "Payday is two weeks away, I'm broke!", "match": true},
                 {"text": "The money transfer arrived", "match": false}]""").status()).isEqualTo(201);

        // {"examples": [{"id", "text", "match", "createdOn"}, ...]}, as GET answers it; before, a 400 "text: is
        // required; match: is required"
        TestApi.Response copied = api.post(examplesOf(to), api.get(examplesOf(from)).body().toString());

        assertThat(copied.status()).as(String.valueOf(copied.body())).isEqualTo(201);
        assertThat(api.get(examplesOf(to)).body().get("examples"))
                .extracting(e -> e.get("text").asString() + "|" + e.get("match").asBoolean())
                .containsExactly("Payday is two weeks away, I'm broke!|true", "The money transfer arrived|false");
        TestApi.Response notAList = api.post(examplesOf(to), "{\"examples\": {\"text\": \"x\", \"match\": true}}");
        assertThat(notAList.status()).isEqualTo(400);
        assertThat(notAList.body().get("errors").get(0).get("field").asString()).isEqualTo("examples");
        TestApi.Response badItem = api.post(examplesOf(to), "{\"examples\": [{\"text\": \" \", \"match\": true}]}");
        assertThat(badItem.body().get("errors").get(0).get("index").asInt()).isZero();
        assertThat(badItem.body().get("errors").get(0).get("field").asString()).isEqualTo("text");
        assertThat(api.get(examplesOf(to)).body().get("examples")).hasSize(2);
    }

    @Test
    void badExamplesAreRefusedNamingTheFieldAndNothingIsStored() {
        TestApi api = account();
        String id = create(api, MONEY);
        String examples = examplesOf(id);

        TestApi.Response bad = api.post(examples, """
                [{"text": "fine", "match": true}, {"text": "  ", "match": "yes"}, {"match": false},
                 {"text": "%s", "match": true}]""".formatted("x".repeat(1001)));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.headers().getContentType().toString()).isEqualTo("application/problem+json");
        List<String> named = new ArrayList<>();
        bad.body().get("errors").forEach(e -> named.add(e.get("index").asInt() + ":" + e.get("field").asString()));
        assertThat(named).containsExactly("1:text", "1:match", "2:text", "3:text");
        assertThat(bad.body().get("detail").asString()).contains("item 3: text: has 1001 characters, at most 1000");

        assertThat(api.post(examples, "[]").status()).isEqualTo(400);
        assertThat(api.post(examples, "\"just text\"").status()).isEqualTo(400);
        assertThat(api.post(examples, "{\"text\": 12, \"match\": true}").body().get("errors").get(0).get("field")
                .asString()).isEqualTo("text");
        assertThat(api.post(examples, "{\"text\": \"a\\u0000b\", \"match\": true}").status()).isEqualTo(400);
        // a teaching audit: an item that is not an object was told "or an array of them", and types were not named
        TestApi.Response notAnObject = api.post(examples, "[{\"text\": \"fine\", \"match\": true}, 5]");
        assertThat(notAnObject.body().get("detail").asString()).isEqualTo("item 1: body: must be an example "
                + "{\"text\": \"...\", \"match\": true|false}, was a number");
        assertThat(api.post(examples, "\"just text\"").body().get("detail").asString()).isEqualTo("body: must be an "
                + "example {\"text\": \"...\", \"match\": true|false} or an array of them, was a string");
        assertThat(api.post(examples, "{\"text\": 12, \"match\": \"yes\"}").body().get("detail").asString())
                .isEqualTo("text: must be a string, was a number; match: must be true or false, was a string");
        assertThat(api.get(examples).body().get("examples")).isEmpty();
        assertThat(api.get("/v1/manage/trackers/" + id).body().get("tracker").get("version").asLong()).isEqualTo(1);
        // any punctuation, up to 1,000 characters
        assertThat(api.post(examples, "{\"text\": \"%s?!;:()\", \"match\": false}".formatted("y".repeat(994)))
                .status()).isEqualTo(201);
    }

    /**
     * A management audit: a 1 MB array of 340,000 empty objects was answered with a 176 MB problem (two violations
     * per item, each in detail, message and errors[]). The problem lists at most 1,000, one per item first.
     */
    @Test
    void theAnswerToAHugeArrayOfBadExamplesIsBounded() {
        TestApi api = account();
        String id = create(api, MONEY);
        String empties = "{},".repeat(340_000);

        TestApi.Response reply = api.post(examplesOf(id), "[" + empties.substring(0, empties.length() - 1) + "]");

        assertThat(reply.status()).isEqualTo(400);
        JsonNode errors = reply.body().get("errors");
        assertThat(errors).hasSize(1000);
        assertThat(errors.valueStream().map(e -> e.get("index").asInt()).distinct().count()).isEqualTo(1000);
        assertThat(reply.body().get("detail").asString()).startsWith("item 0: text: is required")
                .endsWith("; and 679000 more (680000 in all; only the first 1000 are listed)")
                .hasSizeLessThan(200_000);
        assertThat(api.get(examplesOf(id)).body().get("examples")).isEmpty();
    }

    @Test
    void aTrackerHoldsAtMostAThousandExamples() {
        TestApi api = account();
        String id = create(api, MONEY);
        String examples = examplesOf(id);
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i < 999; i++) {
            many.append(i == 0 ? "" : ",").append("{\"text\": \"sentence number ").append(i).append("\", \"match\": ")
                    .append(i % 2 == 0).append('}');
        }
        assertThat(api.post(examples, many.append(']').toString()).status()).isEqualTo(201);

        TestApi.Response tooMany = api.post(examples,
                "[{\"text\": \"one\", \"match\": true}, {\"text\": \"two\", \"match\": true}]");
        assertThat(tooMany.status()).isEqualTo(409);
        assertThat(tooMany.body().get("type").asString())
                .isEqualTo("https://opentrackers.io/problems/example-limit-reached");
        assertThat(tooMany.body().get("detail").asString()).isEqualTo("Adding 2 new examples would exceed the limit "
                + "of 1000 examples per tracker; the tracker holds 999 (1 left)");
        // the limit counts distinct texts: a text repeated in the body, or already an example, is one
        assertThat(api.post(examples, "[{\"text\": \"the last one\", \"match\": true}, "
                + "{\"text\": \"THE LAST  ONE\", \"match\": false}, {\"text\": \"sentence number 7\", \"match\": true}]")
                .status()).isEqualTo(201);
        assertThat(api.post(examples, "{\"text\": \"one too many\", \"match\": true}").status()).isEqualTo(409);
        assertThat(api.post(examples, "{\"text\": \"sentence number 8\", \"match\": true}").status()).isEqualTo(201);
        JsonNode all = api.get(examples).body().get("examples");
        assertThat(all).hasSize(1000);
        Map<String, Boolean> labels = new HashMap<>();
        all.forEach(e -> labels.put(e.get("text").asString(), e.get("match").asBoolean()));
        assertThat(labels).containsEntry("the last one", false).containsEntry("sentence number 7", true)
                .containsEntry("sentence number 8", true).hasSize(1000);
    }

    /**
     * A user audit: the same text posted twice was stored twice, and posting it with the other label stored a third
     * example; each counted toward the limit and the quality estimate. The latest label wins: a text that is already
     * an example of the tracker (trimmed, NFC, runs of whitespace as one space, ignoring case) gets the new label in
     * place, same id, and the next decision follows it.
     */
    @Test
    void postingATextTheTrackerHasRelabelsThatExampleInPlace() {
        TestApi api = account();
        String id = create(api, MONEY);
        String examples = examplesOf(id);
        assertThat(hits(api, "I ran out of budget")).isTrue();

        TestApi.Response first = api.post(examples, "{\"text\": \"I ran out of budget\", \"match\": false}");
        assertThat(first.status()).isEqualTo(201);
        String exampleId = first.body().get("examples").get(0).get("id").asString();
        TestApi.Response twice = api.post(examples, "{\"text\": \" i ran out of\\u00a0 budget\\u200b\", \"match\": false}");
        assertThat(twice.status()).isEqualTo(201);
        assertThat(twice.body().get("examples")).hasSize(1);
        assertThat(twice.body().get("examples").get(0).get("id").asString()).isEqualTo(exampleId);
        assertThat(twice.body().get("examples").get(0).get("text").asString()).isEqualTo("I ran out of budget");
        assertThat(api.get(examples).body().get("examples")).hasSize(1);
        assertThat(api.get("/v1/manage/trackers/" + id).body().get("tracker").get("version").asLong())
                .as("the same label again changes nothing").isEqualTo(2);
        assertThat(hits(api, "I ran out of budget")).isFalse();

        TestApi.Response relabelled = api.post(examples, "{\"text\": \"I RAN OUT OF BUDGET\", \"match\": true}");
        assertThat(relabelled.status()).isEqualTo(201);
        JsonNode example = relabelled.body().get("examples").get(0);
        assertThat(example.get("id").asString()).isEqualTo(exampleId);
        assertThat(example.get("match").asBoolean()).isTrue();
        // the very next decision follows the relabel (no cache to expire first)
        assertThat(hits(api, "I ran out of budget")).isTrue();
        JsonNode listed = api.get(examples).body().get("examples");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("match").asBoolean()).isTrue();
        assertThat(api.get("/v1/manage/trackers/" + id + "/quality").body().get("examples").asInt()).isOne();

        // in one body, the last occurrence of a text wins
        TestApi.Response batch = api.post(examples, """
                [{"text": "Sounds good.", "match": false}, {"text": "We can pay now", "match": false},
                 {"text": "sounds   GOOD.", "match": true}]""");
        assertThat(batch.status()).isEqualTo(201);
        assertThat(batch.body().get("examples")).extracting(e -> e.get("text").asString() + "=" + e.get("match"))
                .containsExactly("Sounds good.=true", "We can pay now=false");
        assertThat(api.get(examples).body().get("examples")).extracting(e -> e.get("text").asString())
                .containsExactly("I ran out of budget", "Sounds good.", "We can pay now");
    }

    /**
     * The teach page's Undo told a new example from a relabelled one by the examples it had listed, so a text another
     * tab had added meanwhile was deleted by Undo instead of getting its earlier label back. The answer says it: an
     * example the tracker already had carries {@code previous}, its label before the write; a new one has none.
     */
    @Test
    void theAnswerSaysWhichExamplesAreNewAndTheLabelEachOtherOneHadBefore() {
        TestApi api = account();
        String examples = examplesOf(create(api, MONEY));

        JsonNode created = api.post(examples, "{\"text\": \"Sounds good.\", \"match\": true}").body().get("examples").get(0);
        assertThat(created.has("previous")).as("created by this write: " + created).isFalse();

        // another tab labels the same text the other way: the answer says what it was before
        TestApi.Response relabelled = api.post(examples, "{\"text\": \"sounds  GOOD.\", \"match\": false}");
        assertThat(relabelled.status()).isEqualTo(201);
        JsonNode example = relabelled.body().get("examples").get(0);
        assertThat(example.get("id").asString()).isEqualTo(created.get("id").asString());
        assertThat(example.get("match").asBoolean()).isFalse();
        assertThat(example.at("/previous").toString()).isEqualTo("{\"match\":true}");

        // the same label again: the example was there, with that label (taking it back changes nothing)
        JsonNode again = api.post(examples, "{\"text\": \"Sounds good.\", \"match\": false}").body().get("examples").get(0);
        assertThat(again.at("/previous").toString()).isEqualTo("{\"match\":false}");

        // in an array, each example for itself; a text twice in the body is compared with the tracker before the body
        TestApi.Response batch = api.post(examples, """
                [{"text": "We can pay now", "match": false}, {"text": "Sounds good.", "match": true},
                 {"text": "WE CAN PAY NOW", "match": true}]""");
        assertThat(batch.status()).isEqualTo(201);
        JsonNode written = batch.body().get("examples");
        assertThat(written).hasSize(2);
        assertThat(written.get(0).get("text").asString()).isEqualTo("We can pay now");
        assertThat(written.get(0).get("match").asBoolean()).isTrue();
        assertThat(written.get(0).has("previous")).as(written.get(0).toString()).isFalse();
        assertThat(written.get(1).at("/previous").toString()).isEqualTo("{\"match\":false}");

        // a list is not a write: nothing there has a "before"
        JsonNode listed = api.get(examples).body().get("examples");
        assertThat(listed).hasSize(2).allSatisfy(e -> assertThat(e.has("previous")).isFalse());
    }

    /** Writers racing with the same text (a double click, two tabs) leave one example, whichever label came last. */
    @Test
    void concurrentPostsOfOneTextLeaveOneExample() throws Exception {
        TestApi api = account();
        String examples = "/v1/manage/trackers/" + create(api, MONEY) + "/examples";
        List<Thread> writers = new ArrayList<>();
        List<Integer> statuses = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 8; i++) {
            String body = "{\"text\": \"" + (i % 2 == 0 ? "Sounds good." : " sounds  GOOD.") + "\", \"match\": "
                    + (i % 2 == 0) + "}";
            Thread writer = new Thread(() -> statuses.add(api.post(examples, body).status()));
            writer.start();
            writers.add(writer);
        }
        for (Thread writer : writers) {
            writer.join();
        }
        assertThat(statuses).hasSize(8).containsOnly(201);
        assertThat(api.get(examples).body().get("examples")).hasSize(1);
    }

    /**
     * The unique index on (tracker, text key) cannot be created over the duplicates stored before it: the migration
     * first keeps the latest example of each text (its label is the one that won), then adds the index.
     */
    @Test
    void theMigrationKeepsTheLatestExampleOfEachText() {
        String schema = "examples_migration_" + System.nanoTime();
        Flyway.configure().dataSource(jdbc.getDataSource()).schemas(schema).javaMigrations(new ExampleTextKeyMigration())
                .target("14").load().migrate();
        String account = UUID.randomUUID().toString();
        jdbc.update("insert into " + schema + ".account (id, app_id, secret_hash, name) values (?::uuid, ?, 'x', 'm')",
                account, "app-" + account);
        jdbc.update("insert into " + schema + ".tracker (id, account_id, name, vocabulary, version, created_on, "
                + "updated_on) values ('t1', ?::uuid, 'T', array['a','b','c','d','e'], 1, now(), now())", account);
        String insert = "insert into " + schema + ".tracker_example (id, tracker_id, text, match, created_on) "
                + "values (?, 't1', ?, ?, now())";
        jdbc.update(insert, "e1", "Sounds good.", false);
        jdbc.update(insert, "e2", "Other", true);
        jdbc.update(insert, "e3", " sounds\u00a0 GOOD. ", true);
        jdbc.update(insert, "e4", "cafe\u0301", true);
        jdbc.update(insert, "e5", "caf\u00e9", false);

        Flyway.configure().dataSource(jdbc.getDataSource()).schemas(schema).javaMigrations(new ExampleTextKeyMigration())
                .load().migrate();

        assertThat(jdbc.queryForList("select id || '=' || match from " + schema + ".tracker_example order by seq",
                String.class)).containsExactly("e2=true", "e3=true", "e5=false");
        assertThat(jdbc.queryForObject("select text_key from " + schema + ".tracker_example where id = 'e3'",
                String.class)).isEqualTo("sounds good.");
        assertThatThrownBy(() -> jdbc.update("insert into " + schema + ".tracker_example (id, tracker_id, text, "
                + "text_key, match, created_on) values ('e6', 't1', 'OTHER', 'other', false, now())"))
                .isInstanceOf(DuplicateKeyException.class);
        jdbc.execute("drop schema " + schema + " cascade");
    }

    /**
     * An example write changes the tracker's version and so its ETag; until 2026-11-28 an {@code If-Match} on it was
     * ignored, so a stale or malformed one was written anyway (found by the teaching audit).
     */
    @Test
    void exampleWritesAreMadeOnlyWhileTheTrackerHasTheIfMatchTag() {
        TestApi api = account();
        String id = create(api, MONEY);
        String examples = examplesOf(id);
        String v1 = api.get("/v1/manage/trackers/" + id).headers().getETag();
        assertThat(v1).isEqualTo("\"" + id + ".v1\"");

        TestApi.Response first = send(api, HttpMethod.POST, examples, "{\"text\": \"I am broke\", \"match\": true}", v1);
        assertThat(first.status()).as(String.valueOf(first.body())).isEqualTo(201);
        String exampleId = first.body().get("examples").get(0).get("id").asString();

        // v1 is stale now: nothing is stored, and the problem names the version and tag to read again
        TestApi.Response stale = send(api, HttpMethod.POST, examples, "{\"text\": \"Funds are low\", \"match\": true}", v1);
        assertThat(stale.status()).as(String.valueOf(stale.body())).isEqualTo(412);
        assertThat(stale.body().get("type").asString()).endsWith("/precondition-failed");
        assertThat(stale.body().get("version").asLong()).isEqualTo(2);
        assertThat(stale.body().get("etag").asString()).isEqualTo("\"" + id + ".v2\"");
        assertThat(send(api, HttpMethod.DELETE, examples + "/" + exampleId, null, v1).status()).isEqualTo(412);
        assertThat(api.get(examples).body().get("examples")).extracting(e -> e.get("text").asString())
                .containsExactly("I am broke");

        TestApi.Response malformed = send(api, HttpMethod.POST, examples, "{\"text\": \"Funds are low\", \"match\": true}", "v2");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.body().get("errors").get(0).get("field").asString()).isEqualTo("If-Match");
        assertThat(send(api, HttpMethod.DELETE, examples + "/" + exampleId, null, "2").status()).isEqualTo(400);
        assertThat(api.get("/v1/manage/trackers/" + id).body().get("tracker").get("version").asLong()).isEqualTo(2);

        String v2 = "\"" + id + ".v2\"";
        assertThat(send(api, HttpMethod.POST, examples, "{\"text\": \"Funds are low\", \"match\": true}", v2).status())
                .isEqualTo(201);
        assertThat(send(api, HttpMethod.POST, examples, "{\"text\": \"The transfer arrived\", \"match\": false}", "*")
                .status()).isEqualTo(201);
        String v4 = "\"" + id + ".v4\"";
        assertThat(send(api, HttpMethod.DELETE, examples + "/" + exampleId, null, v1 + ", " + v4).status()).isEqualTo(200);
        assertThat(api.get(examples).body().get("examples")).extracting(e -> e.get("text").asString())
                .containsExactly("Funds are low", "The transfer arrived");
        // an unknown tracker is a 404 whatever If-Match names
        assertThat(send(api, HttpMethod.POST, examplesOf(UUID.randomUUID().toString()),
                "{\"text\": \"x\", \"match\": true}", v4).status()).isEqualTo(404);
    }

    /**
     * Each answer of the examples carries the tracker's ETag after it, so a client labels one sentence after another
     * conditionally without reading the tracker again in between (as the answers of PUT and PATCH carry theirs).
     */
    @Test
    void theExamplesAnswersCarryTheTrackersETagForTheNextConditionalWrite() {
        TestApi api = account();
        String id = create(api, MONEY);
        String examples = examplesOf(id);
        String listed = api.get(examples).headers().getETag();
        assertThat(listed).isEqualTo("\"" + id + ".v1\"");

        TestApi.Response first = send(api, HttpMethod.POST, examples, "{\"text\": \"I am broke\", \"match\": true}", listed);
        assertThat(first.headers().getETag()).isEqualTo("\"" + id + ".v2\"");
        // the same label again changes nothing, the version included
        TestApi.Response again = send(api, HttpMethod.POST, examples, "{\"text\": \"I am broke\", \"match\": true}",
                first.headers().getETag());
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.headers().getETag()).isEqualTo("\"" + id + ".v2\"");
        TestApi.Response second = send(api, HttpMethod.POST, examples, "[{\"text\": \"Funds are low\", \"match\": true}]",
                again.headers().getETag());
        assertThat(second.headers().getETag()).isEqualTo("\"" + id + ".v3\"");
        String exampleId = first.body().get("examples").get(0).get("id").asString();
        TestApi.Response deleted = send(api, HttpMethod.DELETE, examples + "/" + exampleId, null,
                second.headers().getETag());
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.headers().getETag()).isEqualTo("\"" + id + ".v4\"");
        assertThat(api.get("/v1/manage/trackers/" + id).headers().getETag()).isEqualTo(deleted.headers().getETag());
        assertThat(api.get(examples).headers().getETag()).isEqualTo(deleted.headers().getETag());
        // the list is exactly what the version says about the examples, so a conditional GET of it can be answered
        // 304 (unlike a read of the tracker, whose calibration changes without a new version)
        assertThat(api.send(HttpMethod.GET, examples, null, null, Map.of("If-None-Match",
                deleted.headers().getETag())).status()).isEqualTo(304);
        TestApi.Response changed = api.send(HttpMethod.GET, examples, null, null, Map.of("If-None-Match",
                second.headers().getETag()));
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.body().get("examples")).hasSize(1);
    }

    private static TestApi.Response send(TestApi api, HttpMethod method, String path, String json, String ifMatch) {
        return api.send(method, path, MediaType.APPLICATION_JSON, json, Map.of("If-Match", ifMatch));
    }

    /**
     * The 201 of a created example names where it is, and that path reads it; until 2026-11-28 there was no
     * {@code Location} and a GET there was a 405 (found by the teaching audit).
     */
    @Test
    void aCreatedExampleIsReadWhereLocationSays() {
        TestApi api = account();
        String id = create(api, MONEY);
        String examples = examplesOf(id);

        TestApi.Response created = api.post(examples, "{\"text\": \"Payday is far away\", \"match\": true}");
        assertThat(created.status()).isEqualTo(201);
        String exampleId = created.body().get("examples").get(0).get("id").asString();
        String location = String.valueOf(created.headers().getLocation());
        assertThat(location).isEqualTo(examples + "/" + exampleId);

        TestApi.Response read = api.get(location);
        assertThat(read.status()).as(String.valueOf(read.body())).isEqualTo(200);
        assertThat(read.body().get("example")).isEqualTo(created.body().get("examples").get(0));

        // a relabel created nothing, and an array names no single resource (as bulk tracker creation)
        TestApi.Response relabelled = api.post(examples, "{\"text\": \"payday is far away\", \"match\": false}");
        assertThat(relabelled.status()).isEqualTo(201);
        assertThat(relabelled.headers().getLocation()).isNull();
        assertThat(api.get(location).body().get("example").get("match").asBoolean()).isFalse();
        TestApi.Response array = api.post(examples, "[{\"text\": \"Funds are low\", \"match\": true}]");
        assertThat(array.status()).isEqualTo(201);
        assertThat(array.headers().getLocation()).isNull();

        assertThat(api.get(examples + "/" + UUID.randomUUID()).status()).isEqualTo(404);
        assertThat(account().get(location).status()).as("another account").isEqualTo(404);
        String other = create(api, MONEY.replace("Money", "Money 2"));
        assertThat(api.get(examplesOf(other) + "/" + exampleId).status()).as("another tracker").isEqualTo(404);
        assertThat(delete(api, location).status()).isEqualTo(200);
        assertThat(api.get(location).status()).isEqualTo(404);
    }

    /** Examples are written only through {@code …/examples}: PUT and PATCH of the tracker keep them. */
    @Test
    void putAndPatchOfTheTrackerKeepItsExamples() {
        TestApi api = account();
        String id = create(api, MONEY);
        String examples = examplesOf(id);
        api.post(examples, "[{\"text\": \"Payday is far away\", \"match\": true}, "
                + "{\"text\": \"The transfer arrived\", \"match\": false}]");

        // a PUT replaces the tracker's fields; an "examples" member (as ?include=examples reads it) is ignored
        TestApi.Response put = api.put("/v1/manage/trackers/" + id, """
                {"name": "Money", "vocabulary": ["I don't have any money", "my account is empty", "I can't afford it",
                                                 "I am short on cash", "my card was declined"],
                 "examples": [{"text": "Something else", "match": true}]}""");
        assertThat(put.status()).as(String.valueOf(put.body())).isEqualTo(200);
        TestApi.Response patch = api.send(HttpMethod.PATCH, "/v1/manage/trackers/" + id, MediaType.APPLICATION_JSON,
                "[{\"op\": \"add\", \"path\": \"/vocabulary/-\", \"value\": \"I am broke\"}]");
        assertThat(patch.status()).as(String.valueOf(patch.body())).isEqualTo(200);
        assertThat(api.get(examples).body().get("examples")).extracting(e -> e.get("text").asString())
                .containsExactly("Payday is far away", "The transfer arrived");
        JsonNode counts = api.get("/v1/manage/trackers/" + id).body().get("tracker").get("exampleCounts");
        assertThat(counts.get("positives").asInt()).isEqualTo(1);
        assertThat(counts.get("negatives").asInt()).isEqualTo(1);
    }

    @Test
    void anotherAccountsTrackerIsNotFound() {
        TestApi owner = account();
        TestApi other = account();
        String id = create(owner, MONEY);
        String examples = examplesOf(id);
        String exampleId = owner.post(examples, "{\"text\": \"I am broke\", \"match\": true}").body().get("examples")
                .get(0).get("id").asString();

        assertThat(other.get(examples).status()).isEqualTo(404);
        assertThat(other.post(examples, "{\"text\": \"stolen\", \"match\": true}").status()).isEqualTo(404);
        assertThat(delete(other, examples + "/" + exampleId).status()).isEqualTo(404);
        assertThat(other.get("/v1/manage/trackers/" + id + "/suggestions").status()).isEqualTo(404);
        assertThat(other.get("/v1/manage/trackers/" + id + "/quality").status()).isEqualTo(404);
        assertThat(owner.get(examples).body().get("examples")).hasSize(1);
    }

    @Test
    void matchDecidesWithANewExampleAtItsNextCall() {
        TestApi api = account();
        String id = create(api, MONEY);
        String examples = examplesOf(id);
        assertThat(hits(api, "I ran out of budget")).isTrue();
        assertThat(hits(api, "We are waiting for the invoice")).isFalse();

        // each write is followed at once by a decision that must already have changed: nothing waits for a cache
        String negative = api.post(examples, "{\"text\": \"I ran out of budget\", \"match\": false}").body()
                .get("examples").get(0).get("id").asString();
        assertThat(hits(api, "I ran out of budget")).isFalse();
        api.post(examples, "{\"text\": \"We are waiting for the invoice\", \"match\": true}");
        assertThat(hits(api, "We are waiting for the invoice")).isTrue();
        delete(api, examples + "/" + negative);
        assertThat(hits(api, "I ran out of budget")).isTrue();
    }

    @Test
    void aSecondInstanceOnTheSameDatabaseDecidesWithTheExamplesAtItsNextCall() {
        TestApi api = account();
        String id = create(api, MONEY);
        try (ConfigurableApplicationContext second = SecondInstance.start(database)) {
            int secondPort = SecondInstance.port(second);
            TestApi there = TestApi.sameAccountOn(api, "http://localhost:" + secondPort);
            assertThat(hits(there, "I ran out of budget")).isTrue();

            assertThat(api.post(examplesOf(id),
                    "{\"text\": \"I ran out of budget\", \"match\": false}").status()).isEqualTo(201);
            // the other instance's very next match decides with the example: it reads the tracker's version from
            // the database at every call (it used to be given a second of wall time, which a loaded machine could
            // take up by itself)
            assertThat(hits(there, "I ran out of budget")).as("the other instance's next match").isFalse();
        }
    }

    @Test
    void suggestionsComeFromStoredSentencesAndSkipLabelledAndDuplicateOnes() {
        TestApi api = account();
        String id = create(api, MONEY);
        String job = api.post("/v1/process/text", """
                {"trackers": [], "messages": [
                  {"payload": {"content": "We are out of cash this month."}},
                  {"payload": {"content": "We are out of cash this month!"}},
                  {"payload": {"content": "My card was declined at the shop."}},
                  {"payload": {"content": "The budget is gone."}},
                  {"payload": {"content": "Can you resend the invoice?"}},
                  {"payload": {"content": "The weather in Lisbon was lovely."}},
                  {"payload": {"content": "I can pay next week."}}]}""").body().get("jobId").asString();
        awaitJob(api, job);
        api.post(examplesOf(id), "{\"text\": \"The budget is gone.\", \"match\": true}");

        TestApi.Response response = api.get("/v1/manage/trackers/" + id + "/suggestions?limit=10");
        assertThat(response.status()).isEqualTo(200);
        JsonNode suggestions = response.body().get("suggestions");
        Set<String> texts = new HashSet<>();
        suggestions.forEach(s -> {
            texts.add(s.get("text").asString());
            assertThat(s.get("conversationId").asString()).isNotBlank();
            assertThat(s.get("messageId").asString()).isNotBlank();
            assertThat(s.get("score").asDouble()).isBetween(-1.0, 1.0);
            assertThat(s.get("fired").isBoolean()).isTrue();
        });
        assertThat(texts).doesNotContain("The budget is gone.")
                .contains("My card was declined at the shop.", "Can you resend the invoice?");
        assertThat(texts.stream().filter(t -> t.startsWith("We are out of cash this month"))).hasSize(1);
        // 7 sentences: one is an example, one a near-duplicate of another
        assertThat(suggestions).hasSize(5);
        assertThat(api.get("/v1/manage/trackers/" + id + "/suggestions?limit=2").body().get("suggestions")).hasSize(2);
        for (String limit : List.of("0", "101", "many")) {
            TestApi.Response bad = api.get("/v1/manage/trackers/" + id + "/suggestions?limit=" + limit);
            assertThat(bad.status()).as(limit).isEqualTo(400);
            assertThat(bad.body().get("errors").get(0).get("field").asString()).isEqualTo("limit");
        }
    }

    /**
     * The picker chooses from each sentence's stored vector alone; whether a suggestion fires must still be what the
     * detector decides on it now, in its whole message: "Is there a charge for that?" alone fires Pricing, but said
     * after a cancellation request the classifier reads it as part of the cancellation (docs/matching.md, "The
     * message as context"), so a job on that conversation would not fire Pricing on it, and neither may its
     * suggestion claim to.
     */
    @Test
    void aSuggestionFiresExactlyWhenTheDetectorFiresOnItInItsMessage() {
        TestApi api = account();
        String pricing = create(api, """
                {"name":"Pricing","vocabulary":["how much does it cost","the price","pricing plans",
                 "what does it cost","is it expensive"]}""");
        String cancellation = create(api, """
                {"name":"Cancellation","vocabulary":["cancel my subscription","close my account","end the contract",
                 "stop the service","terminate my plan"]}""");
        String question = "Is there a charge for that?";
        String request = "Please stop the service and cancel my subscription.";
        assertThat(firing(api, question)).containsOnly("Pricing");
        assertThat(firing(api, request + " " + question)).containsOnly("Cancellation");
        awaitJob(api, api.post("/v1/process/text", """
                {"trackers": [], "messages": [{"payload": {"content": "%s %s"}},
                 {"payload": {"content": "The weather in Lisbon was lovely."}}]}""".formatted(request, question))
                .body().get("jobId").asString());

        assertThat(suggestedFiring(api, pricing)).containsOnly(Map.entry(question, false), Map.entry(request, false),
                Map.entry("The weather in Lisbon was lovely.", false));
        // the request holds Cancellation's phrases literally: it fires whatever its label, so it is not suggested
        assertThat(suggestedFiring(api, cancellation)).contains(Map.entry(question, false)).doesNotContainKey(request);
    }

    private static Set<String> firing(TestApi api, String text) {
        TestApi.Response response = api.post("/v1/match",
                "{\"messages\": [{\"id\": \"m\", \"payload\": {\"content\": \"" + text + "\"}}]}");
        assertThat(response.status()).as(String.valueOf(response.body())).isEqualTo(200);
        Set<String> names = new HashSet<>();
        response.body().forEach(tracker -> names.add(tracker.get("name").asString()));
        return names;
    }

    private static Map<String, Boolean> suggestedFiring(TestApi api, String trackerId) {
        TestApi.Response response = api.get("/v1/manage/trackers/" + trackerId + "/suggestions");
        assertThat(response.status()).as(String.valueOf(response.body())).isEqualTo(200);
        Map<String, Boolean> fired = new HashMap<>();
        response.body().get("suggestions").forEach(s -> fired.put(s.get("text").asString(), s.get("fired").asBoolean()));
        return fired;
    }

    /**
     * Suggestions keep the account's sentences in memory (docs/teaching.md): a conversation stored after a request
     * must still be in the next one, and another account's sentences are never candidates.
     */
    @Test
    void suggestionsIncludeSentencesStoredSinceTheLastRequestAndNeverAnotherAccounts() {
        TestApi api = account();
        String id = create(api, MONEY);
        awaitJob(api, api.post("/v1/process/text", """
                {"trackers": [], "messages": [{"payload": {"content": "The weather in Lisbon was lovely."}}]}""")
                .body().get("jobId").asString());
        TestApi other = account();
        awaitJob(other, other.post("/v1/process/text", """
                {"trackers": [], "messages": [{"payload": {"content": "My card was declined at the bakery."}}]}""")
                .body().get("jobId").asString());
        assertThat(api.suggestionTexts(id)).containsExactly("The weather in Lisbon was lovely.");

        awaitJob(api, api.post("/v1/process/text", """
                {"trackers": [], "messages": [{"payload": {"content": "I can't afford the rent this month."}}]}""")
                .body().get("jobId").asString());
        assertThat(api.suggestionTexts(id))
                .containsExactlyInAnyOrder("The weather in Lisbon was lovely.", "I can't afford the rent this month.");
        assertThat(other.suggestionTexts(create(other, MONEY)))
                .containsExactly("My card was declined at the bakery.");
    }

    /**
     * A job keeps, with each batch's hits, the vector its detection computed for every sentence, so the first
     * suggestions after a large import embed none of them again; each stored vector is the one the model gives the
     * sentence alone.
     */
    @Test
    void aJobKeepsTheVectorOfEverySentenceItDetects() {
        TestApi api = account();
        String id = create(api, MONEY);
        TestApi.Response accepted = api.post("/v1/process/text", """
                {"messages": [
                  {"payload": {"content": "We are out of cash this month. Can you resend the invoice?"}},
                  {"payload": {"content": "The weather in Lisbon was lovely, and the food was great."}}]}""");
        String conversationId = accepted.body().get("conversationId").asString();
        awaitJob(api, accepted.body().get("jobId").asString());

        List<Map<String, Object>> stored = jdbc.queryForList("""
                select m.text, v.vector, v.model_id from conversation_message m
                left join message_vector v on v.message_id = m.id where m.conversation_id = ? order by m.seq""",
                conversationId);
        assertThat(stored).extracting(row -> row.get("text")).containsExactly("We are out of cash this month.",
                "Can you resend the invoice?", "The weather in Lisbon was lovely, and the food was great.");
        for (Map<String, Object> row : stored) {
            assertThat(row.get("model_id")).as("%s", row.get("text")).isEqualTo(model.id());
            float[] expected = model.embed(List.of((String) row.get("text")))[0];
            assertThat(VectorBytes.decode((byte[]) row.get("vector"))).as("%s", row.get("text"))
                    .containsExactly(expected, org.assertj.core.data.Offset.offset(1e-6f));
        }
        assertThat(api.suggestionTexts(id)).hasSize(3);
    }

    @Test
    void qualityIsNullUntilThereAreEnoughExamplesThenLeaveOneOut() {
        TestApi api = account();
        String id = create(api, MONEY);
        String quality = "/v1/manage/trackers/" + id + "/quality";
        JsonNode empty = api.get(quality).body();
        assertThat(empty.get("examples").asInt()).isZero();
        assertThat(empty.get("precision").isNull()).isTrue();
        assertThat(empty.get("f1").isNull()).isTrue();
        assertThat(empty.get("method").asString()).isEqualTo("5-fold cross-validation");
        // what the figures wait for
        assertThat(empty.get("minimum").get("positives").asInt()).isEqualTo(3);
        assertThat(empty.get("minimum").get("negatives").asInt()).isEqualTo(3);

        api.post(examplesOf(id), """
                [{"text": "I have no money left", "match": true}, {"text": "We are broke", "match": true},
                 {"text": "The weather is lovely", "match": false}, {"text": "My dog loves long walks", "match": false},
                 {"text": "See you tomorrow", "match": false}]""");
        JsonNode oneShort = api.get(quality).body();
        assertThat(oneShort.get("positives").asInt()).isEqualTo(2);
        assertThat(oneShort.get("negatives").asInt()).isEqualTo(3);
        assertThat(oneShort.get("f1").isNull()).as("one positive short of the minimum").isTrue();

        api.post(examplesOf(id), """
                {"text": "My wallet is empty", "match": true}""");
        JsonNode estimate = api.get(quality).body();
        assertThat(estimate.get("examples").asInt()).isEqualTo(6);
        assertThat(estimate.get("positives").asInt()).isEqualTo(3);
        assertThat(estimate.get("negatives").asInt()).isEqualTo(3);
        // off-topic negatives are far from every phrase, the positives near them
        assertThat(estimate.get("precision").asDouble()).isEqualTo(1.0);
        assertThat(estimate.get("recall").asDouble()).isGreaterThan(0.6);
        assertThat(estimate.get("f1").asDouble()).isGreaterThan(0.7);
    }

    /** Quality estimates computed so far (each counted where it is computed), not answered from memory. */
    private double estimatesMade() {
        return meters.get(TeachingService.ESTIMATES_MADE).counter().count();
    }

    /**
     * A quality request repeated with nothing changed is answered from memory (each estimate is five refits of the
     * decision, 0.2–0.7 s: docs/teaching.md); any change the estimate depends on gives a fresh one: an example, another
     * tracker of the account, the tracker's vocabulary. Another account's trackers do not count. Until 2026-11-27
     * every request estimated anew.
     */
    @Test
    void aRepeatedQualityRequestIsAnsweredFromMemoryUntilWhatItDependsOnChanges() {
        TestApi api = account();
        String id = create(api, MONEY);
        String quality = "/v1/manage/trackers/" + id + "/quality";
        assertThat(api.post(examplesOf(id), """
                [{"text": "I have no money left", "match": true}, {"text": "We are broke", "match": true},
                 {"text": "My wallet is empty", "match": true}, {"text": "The weather is lovely", "match": false},
                 {"text": "My dog loves long walks", "match": false}, {"text": "See you tomorrow", "match": false}]""")
                .status()).isEqualTo(201);
        double before = estimatesMade();

        JsonNode first = api.get(quality).body();
        assertThat(first.get("f1").isNull()).isFalse();
        assertThat(estimatesMade()).isEqualTo(before + 1);
        assertThat(api.get(quality).body()).as("asked again").isEqualTo(first);
        assertThat(estimatesMade()).as("estimates after asking again, nothing changed").isEqualTo(before + 1);

        assertThat(api.post(examplesOf(id), "{\"text\": \"I am short of cash\", \"match\": true}").status())
                .isEqualTo(201);
        assertThat(api.get(quality).body().get("positives").asInt()).as("with the new example").isEqualTo(4);
        assertThat(estimatesMade()).as("after a new example").isEqualTo(before + 2);

        create(api, """
                {"name": "Weather", "vocabulary": ["the weather is nice", "it is raining", "sunny day",
                                                   "cold outside", "looks like rain"]}""");
        api.get(quality);
        assertThat(estimatesMade()).as("after another tracker was created").isEqualTo(before + 3);

        assertThat(api.send(HttpMethod.PATCH, "/v1/manage/trackers/" + id, MediaType.APPLICATION_JSON,
                "[{\"op\": \"replace\", \"path\": \"/vocabulary/0\", \"value\": \"I am out of money\"}]")
                .status()).isEqualTo(200);
        api.get(quality);
        assertThat(estimatesMade()).as("after a vocabulary change").isEqualTo(before + 4);

        create(account(), MONEY);
        assertThat(api.get(quality).status()).isEqualTo(200);
        assertThat(estimatesMade()).as("after another account's change").isEqualTo(before + 4);
    }

    /**
     * The estimate is a cross-validation of the decision users get: each fold's examples, decided by the estimate,
     * fire exactly where {@code /v1/match} fires on their text for the same tracker holding the other folds'
     * examples. A long positive example, whose phrase the detector finds in a word window, counts as found.
     */
    @Test
    void theQualityEstimateIsTheCrossValidationThatMatchGivesExampleByExample() {
        String late = "and then we talked about the weekend trip ".repeat(20) + "honestly I ran out of budget this quarter";
        List<String> texts = List.of("I have no money left", "We are broke", "The weather is lovely", late,
                "My dog loves long walks", "Our wallet is empty this month", "See you tomorrow",
                "The meeting moved to Friday");
        List<Boolean> labels = List.of(true, true, false, true, false, true, false, false);
        TestApi api = account();
        String id = create(api, MONEY);
        api.post(examplesOf(id), examplesJson(texts, labels, -1));

        int tp = 0;
        int fp = 0;
        Set<Integer> firedByMatch = new HashSet<>();
        for (int fold = 0; fold < 5; fold++) {
            // the same tracker with the other folds' examples, in another account
            TestApi other = account();
            String otherId = create(other, MONEY);
            other.post("/v1/manage/trackers/" + otherId + "/examples", examplesJson(texts, labels, fold));
            for (int i = fold; i < texts.size(); i += 5) {
                if (hits(other, texts.get(i))) {
                    firedByMatch.add(i);
                    tp += labels.get(i) ? 1 : 0;
                    fp += labels.get(i) ? 0 : 1;
                }
            }
        }
        assertThat(firedByMatch).as("the long example fires through its word window").contains(texts.indexOf(late));

        JsonNode estimate = api.get("/v1/manage/trackers/" + id + "/quality").body();
        int positives = (int) labels.stream().filter(b -> b).count();
        assertThat(estimate.get("precision").asDouble()).isEqualTo((double) tp / (tp + fp));
        assertThat(estimate.get("recall").asDouble()).isEqualTo((double) tp / positives);
        // what the figures are made of, and how sure they are: 8 examples leave them wide open
        JsonNode counts = estimate.get("counts");
        assertThat(counts.get("truePositives").asInt()).isEqualTo(tp);
        assertThat(counts.get("falsePositives").asInt()).isEqualTo(fp);
        assertThat(counts.get("falseNegatives").asInt()).isEqualTo(positives - tp);
        JsonNode recall = estimate.get("ranges").get("recall");
        assertThat(recall.get("low").asDouble()).isEqualTo(wilsonLow(tp, positives), within(0.0001))
                .isLessThanOrEqualTo(estimate.get("recall").asDouble());
        assertThat(recall.get("high").asDouble()).isGreaterThanOrEqualTo(estimate.get("recall").asDouble());
        assertThat(recall.get("high").asDouble() - recall.get("low").asDouble()).as("4 positives say little")
                .isGreaterThan(0.4);
        JsonNode precision = estimate.get("ranges").get("precision");
        assertThat(precision.get("low").asDouble()).isEqualTo(wilsonLow(tp, tp + fp), within(0.0001));
    }

    @Test
    void theQualityEstimateSaysHowSureItIsOnlyOnceItHasFigures() {
        TestApi api = account();
        String id = create(api, MONEY);
        api.post(examplesOf(id), "{\"text\": \"I have no money left\", \"match\": true}");
        JsonNode estimate = api.get("/v1/manage/trackers/" + id + "/quality").body();
        assertThat(estimate.get("precision").isNull()).isTrue();
        assertThat(estimate.has("counts") && estimate.get("counts").isNull()).as(estimate.toString()).isTrue();
        assertThat(estimate.has("ranges") && estimate.get("ranges").isNull()).as(estimate.toString()).isTrue();
    }

    /** The lower end of the 95 % Wilson score interval of k out of n. */
    private static double wilsonLow(int k, int n) {
        double z = 1.959964;
        double p = (double) k / n;
        return ((p + z * z / (2 * n)) - z * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n))) / (1 + z * z / n);
    }

    /** The examples as a JSON array, without those of fold {@code leftOut} (position mod 5), none left out if -1. */
    private static String examplesJson(List<String> texts, List<Boolean> labels, int leftOut) {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            if (i % 5 != leftOut) {
                items.add("{\"text\": \"" + texts.get(i) + "\", \"match\": " + labels.get(i) + "}");
            }
        }
        return "[" + String.join(",", items) + "]";
    }

    private static boolean hits(TestApi api, String text) {
        TestApi.Response response = api.post("/v1/match",
                "{\"messages\": [{\"id\": \"m\", \"payload\": {\"content\": \"" + text + "\"}}]}");
        assertThat(response.status()).as(String.valueOf(response.body())).isEqualTo(200);
        return !response.body().isEmpty();
    }

    private static void awaitJob(TestApi api, String jobId) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            String status = api.get("/v1/job/" + jobId).body().get("status").asString();
            if (status.equals("completed")) {
                return;
            }
            assertThat(status).isIn("scheduled", "in_progress");
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("job " + jobId + " did not finish");
    }
}

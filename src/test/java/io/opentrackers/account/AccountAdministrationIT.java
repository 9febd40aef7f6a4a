package io.opentrackers.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentrackers.StoredConversationsTestSupport;
import io.opentrackers.TestApi;
import io.opentrackers.TestSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

/**
 * The operators' account administration ({@code GET /admin/accounts}, {@code GET /admin/accounts/{appId}},
 * {@code POST /admin/accounts/{appId}/secret}, {@code DELETE /admin/accounts/{appId}}) against real PostgreSQL: listing
 * in pages, 404s, a rotated secret ending every token of the old one, and a delete that removes every row of the account
 * in every table (found from the schema, so a table added later without its delete fails here) and nothing of any other
 * account, stops its jobs and closes its streams.
 */
class AccountAdministrationIT extends StoredConversationsTestSupport {

    private static final String OPERATOR_KEY = "test-operator-key";

    /** Tables that belong to no account. */
    private static final Set<String> GLOBAL_TABLES = Set.of("signing_key", "flyway_schema_history");

    @Autowired
    MeterRegistry meters;

    @Autowired
    AccountService accountService;

    record Reply(int status, JsonNode body) {
    }

    private Reply admin(HttpMethod method, String path, String body, String key) {
        RestClient.RequestBodySpec request = RestClient.create("http://localhost:" + port).method(method).uri(path);
        if (key != null) {
            request.header("X-Operator-Key", key);
        }
        if (body != null) {
            request.contentType(MediaType.APPLICATION_JSON).body(body);
        }
        ResponseEntity<String> response = request.retrieve().onStatus(status -> true, (req, res) -> { })
                .toEntity(String.class);
        String text = response.getBody();
        return new Reply(response.getStatusCode().value(), text == null || text.isBlank() ? null : TestApi.json(text));
    }

    private Reply admin(HttpMethod method, String path) {
        return admin(method, path, null, OPERATOR_KEY);
    }

    private int login(String appId, String secret) {
        return RestClient.create("http://localhost:" + port).post().uri("/oauth2/token:generate")
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"type\":\"application\",\"appId\":\"" + appId + "\",\"appSecret\":\"" + secret + "\"}")
                .retrieve().onStatus(status -> true, (req, res) -> { }).toBodilessEntity().getStatusCode().value();
    }

    private static void assertProblem(Reply reply, int status, String field, String messagePart) {
        assertThat(reply.status()).as(String.valueOf(reply.body())).isEqualTo(status);
        if (field != null) {
            assertThat(reply.body().get("errors").get(0).get("field").asString()).isEqualTo(field);
            assertThat(reply.body().get("errors").get(0).get("message").asString()).contains(messagePart);
        }
    }

    // ---- listing ----

    @Test
    void listsAccountsInAppIdOrderAPageAtATimeWithTheirCountsAndNoSecrets() {
        String prefix = "list-" + UUID.randomUUID() + "-";
        for (String suffix : List.of("c", "a", "b")) {
            assertThat(admin(HttpMethod.POST, "/admin/accounts", "{\"appId\":\"" + prefix + suffix
                    + "\",\"appSecret\":\"secret-123\",\"name\":\"Team " + suffix + "\"}", OPERATOR_KEY).status())
                    .isEqualTo(201);
        }
        TestApi a = login(prefix + "a");
        createTracker(a, "Pricing", "price");
        Submitted job = submit(a, "{\"messages\": [{\"payload\": {\"content\": \"What is the price?\"}}]}");
        awaitCompleted(a, job.jobId());

        Reply first = admin(HttpMethod.GET, "/admin/accounts?limit=2&after=" + prefix);
        assertThat(first.status()).isEqualTo(200);
        assertThat(appIds(first)).containsExactly(prefix + "a", prefix + "b");
        assertThat(first.body().get("next").asString()).isEqualTo(prefix + "b");
        JsonNode teamA = first.body().get("accounts").get(0);
        assertThat(teamA.get("id").asString()).isEqualTo(a.accountId());
        assertThat(teamA.get("name").asString()).isEqualTo("Team a");
        assertThat(teamA.get("createdOn").asString()).isNotBlank();
        assertThat(teamA.get("counts").toString()).isEqualTo("{\"conversations\":1,\"trackers\":1}");
        assertThat(first.body().get("accounts").get(1).get("counts").toString())
                .isEqualTo("{\"conversations\":0,\"trackers\":0}");
        // nothing of a secret, in any form
        assertThat(first.body().toString()).doesNotContainIgnoringCase("secret").doesNotContain("$2a$");

        Reply second = admin(HttpMethod.GET, "/admin/accounts?limit=2&after=" + first.body().get("next").asString());
        assertThat(appIds(second).get(0)).isEqualTo(prefix + "c");

        // the whole list, page after page, holds each account once; a deleted account's appId still names a position
        List<String> all = new ArrayList<>();
        String after = null;
        do {
            Reply page = admin(HttpMethod.GET, "/admin/accounts?limit=1" + (after == null ? "" : "&after=" + after));
            assertThat(page.status()).isEqualTo(200);
            all.addAll(appIds(page));
            after = page.body().has("next") ? page.body().get("next").asString() : null;
        } while (after != null);
        assertThat(all).containsSubsequence(prefix + "a", prefix + "b", prefix + "c").doesNotHaveDuplicates();
        assertThat(admin(HttpMethod.DELETE, "/admin/accounts/" + prefix + "b").status()).isEqualTo(204);
        assertThat(appIds(admin(HttpMethod.GET, "/admin/accounts?limit=1&after=" + prefix + "b")))
                .containsExactly(prefix + "c");

        Reply one = admin(HttpMethod.GET, "/admin/accounts/" + prefix + "a");
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.body()).isEqualTo(teamA);
    }

    private TestApi login(String appId) {
        String token = RestClient.create("http://localhost:" + port).post().uri("/oauth2/token:generate")
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"type\":\"application\",\"appId\":\"" + appId + "\",\"appSecret\":\"secret-123\"}")
                .retrieve().body(JsonNode.class).get("accessToken").asString();
        String id = admin(HttpMethod.GET, "/admin/accounts/" + appId).body().get("id").asString();
        return TestApi.withToken("http://localhost:" + port, token, id, appId);
    }

    private static List<String> appIds(Reply page) {
        List<String> ids = new ArrayList<>();
        page.body().get("accounts").forEach(account -> ids.add(account.get("appId").asString()));
        return ids;
    }

    @Test
    void aPageSizeOutOfRangeOrNotANumberIsRefusedNamingLimit() {
        assertProblem(admin(HttpMethod.GET, "/admin/accounts?limit=0"), 400, "limit", "must be between 1 and 200, was 0");
        assertProblem(admin(HttpMethod.GET, "/admin/accounts?limit=500"), 400, "limit",
                "must be between 1 and 200, was 500");
        assertProblem(admin(HttpMethod.GET, "/admin/accounts?limit=ten"), 400, "limit", "ten");
    }

    /**
     * {@code ?after=} from an unset shell variable ({@code after=$NEXT}) listed the first page again, as if no page
     * had been read, while {@code /v1/conversations} and {@code /messages} refuse an empty cursor.
     */
    @Test
    void anEmptyCursorIsRefusedNamingAfter() {
        assertProblem(admin(HttpMethod.GET, "/admin/accounts?after="), 400, "after",
                "is empty; give a value or leave the parameter out");
    }

    @Test
    void anUnknownAccountIsANotFoundProblemEverywhere() {
        String unknown = "/admin/accounts/no-such-" + UUID.randomUUID();
        for (Reply reply : List.of(admin(HttpMethod.GET, unknown),
                admin(HttpMethod.POST, unknown + "/secret", null, OPERATOR_KEY),
                admin(HttpMethod.DELETE, unknown))) {
            assertThat(reply.status()).isEqualTo(404);
            assertThat(reply.body().get("type").asString()).isEqualTo("https://opentrackers.io/problems/not-found");
            assertThat(reply.body().get("detail").asString()).startsWith("No account with appId 'no-such-");
        }
    }

    /** Each new endpoint is the operator's, exactly as POST /admin/accounts: no key or a wrong one is a 403. */
    @Test
    void everyEndpointRefusesWithoutTheOperatorKeyAndChangesNothing() {
        TestApi api = newAccount();
        String path = "/admin/accounts/" + api.appId();
        List<Map.Entry<HttpMethod, String>> endpoints = List.of(Map.entry(HttpMethod.GET, "/admin/accounts"),
                Map.entry(HttpMethod.GET, path), Map.entry(HttpMethod.POST, path + "/secret"),
                Map.entry(HttpMethod.DELETE, path));
        for (Map.Entry<HttpMethod, String> endpoint : endpoints) {
            for (String key : java.util.Arrays.asList(null, "wrong-key")) {
                Reply reply = admin(endpoint.getKey(), endpoint.getValue(), null, key);
                assertThat(reply.status()).as("%s %s with key %s", endpoint.getKey(), endpoint.getValue(), key)
                        .isEqualTo(403);
                assertThat(reply.body().get("type").asString()).isEqualTo("https://opentrackers.io/problems/forbidden");
                assertThat(reply.body().get("detail").asString()).isEqualTo("A valid X-Operator-Key header is required");
                // also a token of the account is not an operator key
                assertThat(api.send(endpoint.getKey(), endpoint.getValue(), null, null).status()).isEqualTo(403);
            }
        }
        assertThat(api.get("/v1/manage/trackers").status()).isEqualTo(200);
        assertThat(login(api.appId(), TestApi.APP_SECRET)).isEqualTo(200);
    }

    // ---- secret rotation ----

    @Test
    void aNewSecretEndsEveryTokenIssuedWithTheOldOne() {
        TestApi api = newAccount();
        assertThat(api.get("/v1/manage/trackers").status()).isEqualTo(200);

        Reply rotated = admin(HttpMethod.POST, "/admin/accounts/" + api.appId() + "/secret",
                "{\"appSecret\":\"a-brand-new-secret\"}", OPERATOR_KEY);
        assertThat(rotated.status()).isEqualTo(200);
        assertThat(rotated.body().get("appSecret").asString()).isEqualTo("a-brand-new-secret");
        assertThat(rotated.body().get("id").asString()).isEqualTo(api.accountId());
        assertThat(rotated.body().get("appId").asString()).isEqualTo(api.appId());

        TestApi.Response old = api.get("/v1/manage/trackers");
        assertThat(old.status()).isEqualTo(401);
        assertThat(old.body().get("detail").asString()).contains("secret changed");
        assertThat(login(api.appId(), TestApi.APP_SECRET)).isEqualTo(401);
        assertThat(login(api.appId(), "a-brand-new-secret")).isEqualTo(200);

        // without a body a secret is generated, shown once, and it is the one that works
        Reply generated = admin(HttpMethod.POST, "/admin/accounts/" + api.appId() + "/secret", null, OPERATOR_KEY);
        assertThat(generated.status()).isEqualTo(200);
        String secret = generated.body().get("appSecret").asString();
        assertThat(secret).matches("[0-9a-f]{64}");
        assertThat(login(api.appId(), "a-brand-new-secret")).isEqualTo(401);
        assertThat(login(api.appId(), secret)).isEqualTo(200);
        assertThat(admin(HttpMethod.GET, "/admin/accounts/" + api.appId()).body().toString()).doesNotContain(secret);
    }

    @Test
    void aBadNewSecretIsRefusedNamingTheFieldAndTheOldSecretStays() {
        TestApi api = newAccount();
        String path = "/admin/accounts/" + api.appId() + "/secret";
        assertProblem(admin(HttpMethod.POST, path, "{\"appSecret\":\"   \"}", OPERATOR_KEY), 400, "appSecret",
                "must not be blank");
        assertProblem(admin(HttpMethod.POST, path, "{\"appSecret\":\"short\"}", OPERATOR_KEY), 400, "appSecret",
                "must be at least 8 characters");
        assertProblem(admin(HttpMethod.POST, path, "{\"appSecret\":\"" + "x".repeat(73) + "\"}", OPERATOR_KEY), 400,
                "appSecret", "must be at most 72 bytes");
        assertProblem(admin(HttpMethod.POST, path, "{\"appSecret\":42}", OPERATOR_KEY), 400, "appSecret", "");
        // a misspelt field must not hand out a generated secret in place of the working one
        assertProblem(admin(HttpMethod.POST, path, "{\"secret\":\"a-long-enough-one\"}", OPERATOR_KEY), 400, "secret",
                "is not a field of this request");
        assertThat(login(api.appId(), TestApi.APP_SECRET)).isEqualTo(200);
        assertThat(api.get("/v1/manage/trackers").status()).isEqualTo(200);
    }

    // ---- deletion ----

    /** How to count an account's rows in a table: by its account column, or through the row it belongs to. */
    private Map<String, String> countQueries() {
        List<String> tables = jdbc.sql("""
                select table_name from information_schema.tables
                where table_schema = 'public' and table_type = 'BASE TABLE' order by 1""").query(String.class).list();
        Map<String, String> queries = new LinkedHashMap<>();
        for (String table : tables) {
            if (GLOBAL_TABLES.contains(table)) {
                continue;
            }
            if (table.equals("account")) {
                queries.put(table, "select count(*) from account where id = ?");
                continue;
            }
            boolean hasAccount = jdbc.sql("""
                    select exists (select 1 from information_schema.columns
                                   where table_schema = 'public' and table_name = ? and column_name = 'account_id')""")
                    .params(table).query(Boolean.class).single();
            if (hasAccount) {
                queries.put(table, "select count(*) from " + table + " where account_id = ?");
                continue;
            }
            // a table without an account column belongs to one through a foreign key to a table that has one
            List<Map<String, Object>> parents = jdbc.sql("""
                    select kcu.column_name, ccu.table_name parent, ccu.column_name parent_column
                    from information_schema.table_constraints tc
                    join information_schema.key_column_usage kcu on kcu.constraint_name = tc.constraint_name
                    join information_schema.constraint_column_usage ccu on ccu.constraint_name = tc.constraint_name
                    join information_schema.columns pc on pc.table_schema = 'public' and pc.table_name = ccu.table_name
                                                      and pc.column_name = 'account_id'
                    where tc.table_schema = 'public' and tc.table_name = ? and tc.constraint_type = 'FOREIGN KEY'
                    order by 2""").params(table).query().listOfRows();
            if (parents.isEmpty()) {
                fail("Table %s has no account_id and no foreign key to a table with one: say here whose rows it holds, "
                        + "and delete them with their account (AccountDeleted)", table);
            }
            Map<String, Object> parent = parents.get(0);
            queries.put(table, "select count(*) from " + table + " t join " + parent.get("parent") + " p on p."
                    + parent.get("parent_column") + " = t." + parent.get("column_name") + " where p.account_id = ?");
        }
        return queries;
    }

    private Map<String, Integer> rowsOf(Map<String, String> queries, TestApi api) {
        Map<String, Integer> rows = new LinkedHashMap<>();
        queries.forEach((table, sql) -> rows.put(table,
                jdbc.sql(sql).params(UUID.fromString(api.accountId())).query(Integer.class).single()));
        return rows;
    }

    /** Data of the account in every table: trackers, examples, conversations, jobs, webhooks, rollups, vectors… */
    private void fill(TestApi api) {
        String tracker = createTracker(api, "Pricing", "price", "cost");
        assertThat(api.post("/v1/manage/trackers/" + tracker + "/examples",
                "{\"text\": \"Is there a discount for schools?\", \"match\": true}").status()).isEqualTo(201);
        Submitted kept = submit(api, """
                {"webhookUrl": "http://127.0.0.1:9/hook", "messages": [{"payload": {"content": "What is the price?"},
                 "from": {"name": "Ann", "role": "customer"}}, {"payload": {"content": "The cost is low."}}]}""");
        awaitCompleted(api, kept.jobId());
        Submitted deleted = submit(api, "{\"messages\": [{\"payload\": {\"content\": \"The price again.\"}}]}");
        awaitCompleted(api, deleted.jobId());
        assertThat(api.send(HttpMethod.DELETE, "/v1/conversations/" + deleted.conversationId(), null, null).status())
                .isEqualTo(200);
        api.suggestionTexts(tracker); // stores the vectors of the account's sentences
        assertThat(api.get("/v1/webhook-secret").status()).isEqualTo(200);
        TestApi other = login(api.appId());
        assertThat(api.post("/oauth2/token:revoke", "{\"token\": \"" + other.token() + "\"}").status()).isEqualTo(200);
        // the warm-up after the tracker change stores its vocabulary vectors and calibrated threshold
        await("the thresholds of " + api.appId(), () -> jdbc.sql(
                "select count(*) from tracker_threshold where account_id = ?")
                .params(UUID.fromString(api.accountId())).query(Integer.class).single() > 0);
    }

    @Test
    void deletingRemovesEveryRowOfTheAccountInEveryTableAndNothingOfAnotherAccount() {
        TestApi deleted = newAccount();
        TestApi kept = newAccount();
        fill(deleted);
        fill(kept);
        Map<String, String> queries = countQueries();
        Map<String, Integer> before = rowsOf(queries, deleted);
        // every table holds rows of the account, so that a table the delete forgets fails below
        assertThat(before).allSatisfy((table, rows) -> assertThat(rows).as(table).isPositive());
        Map<String, Integer> keptBefore = rowsOf(queries, kept);

        assertThat(admin(HttpMethod.DELETE, "/admin/accounts/" + deleted.appId()).status()).isEqualTo(204);

        assertThat(rowsOf(queries, deleted)).allSatisfy((table, rows) -> assertThat(rows).as(table).isZero());
        assertThat(rowsOf(queries, kept)).isEqualTo(keptBefore);
        assertThat(admin(HttpMethod.GET, "/admin/accounts/" + deleted.appId()).status()).isEqualTo(404);
        assertThat(admin(HttpMethod.DELETE, "/admin/accounts/" + deleted.appId()).status()).isEqualTo(404);
        TestApi.Response refused = deleted.get("/v1/manage/trackers");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(login(deleted.appId(), TestApi.APP_SECRET)).isEqualTo(401);
        assertThat(kept.get("/v1/conversations").body().get("conversations")).hasSize(1);
        assertThat(kept.get("/v1/manage/trackers").body().get("trackers")).hasSize(1);

        // the appId is free again, for a new account that starts empty
        assertThat(admin(HttpMethod.POST, "/admin/accounts", "{\"appId\":\"" + deleted.appId()
                + "\",\"appSecret\":\"secret-123\"}", OPERATOR_KEY).status()).isEqualTo(201);
        assertThat(login(deleted.appId()).get("/v1/manage/trackers").body().get("trackers")).isEmpty();
    }

    private double runs(String outcome) {
        Timer timer = meters.find("trackers.jobs.run").tag("outcome", outcome).timer();
        return timer == null ? 0 : timer.count();
    }

    private double allRuns() {
        return meters.find("trackers.jobs.run").timers().stream().mapToDouble(Timer::count).sum();
    }

    /** A queued job of the deleted account never runs; its running job stops without failing or storing anything. */
    @Test
    void aWriteForAnAccountDeletedMeanwhileFailsOnAConstraintTheErrorHandlerRecognises() {
        // a request that passed its token check before the delete committed then inserts for a missing account:
        // ApiExceptionHandler answers 401 (not 500) for a foreign-key violation of a constraint named *account_id_fkey,
        // which is what PostgreSQL names every reference to an account in this schema
        List<String> references = jdbc.sql("""
                select conname from pg_constraint where contype = 'f' and confrelid = 'account'::regclass""")
                .query(String.class).list();
        assertThat(references).isNotEmpty().allSatisfy(name -> assertThat(name).endsWith("account_id_fkey"));
        assertThatThrownBy(() -> jdbc.sql("""
                insert into tracker (id, account_id, name, vocabulary, created_on, updated_on)
                values ('gone', gen_random_uuid(), 'Gone', '{a}', now(), now())""").update())
                .isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining("account_id_fkey")
                .rootCause().isInstanceOf(java.sql.SQLException.class);
    }

    @Test
    void theJobsOfADeletedAccountStopAndAQueuedOneNeverRuns() {
        TestApi deleted = newAccount();
        TestApi kept = newAccount();
        createTracker(deleted, "Pricing", "price");
        createTracker(kept, "Pricing", "price");
        double runsBefore = allRuns();
        double deletedBefore = runs("deleted");
        double failedBefore = runs("failed");
        detector.hold();
        Submitted running;
        Submitted other;
        Submitted queued;
        try {
            // two workers: the first two jobs run (and wait in the detector), the third waits for a worker
            running = submit(deleted, "{\"messages\": [{\"payload\": {\"content\": \"[hold] What is the price?\"}}]}");
            other = submit(kept, "{\"messages\": [{\"payload\": {\"content\": \"[hold] The price is fair.\"}}]}");
            await("both jobs running", () -> status(deleted, running.jobId()).equals("in_progress")
                    && status(kept, other.jobId()).equals("in_progress"));
            queued = submit(deleted, "{\"messages\": [{\"payload\": {\"content\": \"The price again.\"}}]}");
            assertThat(status(deleted, queued.jobId())).isEqualTo("scheduled");

            assertThat(admin(HttpMethod.DELETE, "/admin/accounts/" + deleted.appId()).status()).isEqualTo(204);
            detector.release();
            await("the running job stops", () -> runs("deleted") > deletedBefore);
            awaitCompleted(kept, other.jobId());
        } finally {
            detector.release();
        }
        // no worker is busy any more: a queued job that had survived would have been claimed by now
        await("the job queue idle", () -> jdbc.sql("select count(*) from job where status in ('scheduled', "
                + "'in_progress')").query(Integer.class).single() == 0);
        assertThat(runs("deleted")).isEqualTo(deletedBefore + 1);
        assertThat(runs("failed")).isEqualTo(failedBefore);
        assertThat(allRuns()).as("the running job stopped and the other one completed; the queued one never ran")
                .isEqualTo(runsBefore + 2);
        for (String table : List.of("job", "conversation", "tracker_daily_stats")) {
            assertThat(jdbc.sql("select count(*) from " + table + " where account_id = ?")
                    .params(UUID.fromString(deleted.accountId())).query(Integer.class).single()).as(table).isZero();
        }
        assertThat(jdbc.sql("select count(*) from conversation_message where conversation_id = any(?)")
                .params((Object) new String[] {running.conversationId(), queued.conversationId()})
                .query(Integer.class).single()).isZero();
    }

    private static String status(TestApi api, String jobId) {
        return api.get("/v1/job/" + jobId).body().get("status").asString();
    }

    @Test
    void anOpenStreamOfADeletedAccountIsClosed() {
        TestApi deleted = newAccount();
        URI uri = URI.create("ws://localhost:" + port + "/v1/streaming/" + UUID.randomUUID() + "?access_token="
                + deleted.token());
        try (TestSocket socket = TestSocket.open(uri, Map.of())) {
            socket.send("""
                    {"type": "start_request", "trackers": [{"name": "Budget", "vocabulary": ["no budget", "over budget",
                     "cannot afford it", "money ran out", "budget is gone"]}]}""");
            assertThat(socket.next().path("message").path("type").asString()).isEqualTo("started_listening");

            assertThat(admin(HttpMethod.DELETE, "/admin/accounts/" + deleted.appId()).status()).isEqualTo(204);

            JsonNode frame;
            do {
                frame = socket.next(); // conversation_created and recognition_started may come first
            } while (!frame.path("message").path("type").asString().equals("error"));
            assertThat(frame.path("message").path("details").asString())
                    .isEqualTo("Closing the connection: its account was deleted");
            assertThat(socket.closeCode(Duration.ofSeconds(10))).isEqualTo(1008);
        }
        // streams of the account on other instances are closed at their next check of ended tokens
        AccessToken token = new AccessToken(new AccountId(UUID.fromString(deleted.accountId())), null, null);
        assertThat(accountService.endedAmong(List.of(token))).containsEntry(token, AccessToken.Ended.ACCOUNT_DELETED);
    }
}

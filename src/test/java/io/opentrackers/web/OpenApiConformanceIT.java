package io.opentrackers.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.ServiceClient;
import io.opentrackers.ServiceClient.Account;
import io.opentrackers.ServiceClient.Reply;
import io.opentrackers.TestSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * What a client generated from {@code /v3/api-docs} relies on: every answer the service gives conforms to the schema
 * the document states for its operation, status and media type, and every example of the document to its own schema.
 * One realistic pass over the API (accounts, tokens, trackers, matching, jobs, conversations, teaching, analytics,
 * with the usual refusals) is checked answer by answer; every mismatch is reported in one failure. The pass must see
 * every documented operation succeed, so that a new endpoint is checked from the day it is documented.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OpenApiConformanceIT {

    private static final String PRICING = """
            {"name": "Pricing", "description": "Questions about what it costs", "categories": ["sales"],
             "vocabulary": ["how much does it cost", "what is the price", "pricing plans", "too expensive",
                            "is there a discount"],
             "sensitivity": 0.6}""";
    private static final String CANCELLATION = """
            {"name": "Cancellation", "vocabulary": ["cancel my plan", "stop the subscription", "end the contract",
                                                    "close my account", "terminate service"],
             "speaker": "customer", "window": {"anchor": "end", "messages": 10},
             "exclude": ["not planning to cancel"]}""";
    private static final String GREETING = """
            {"name": "Greeting", "vocabulary": ["good morning", "hello there", "nice to meet you", "how are you",
                                                "thanks for calling"],
             "speaker": "agent", "window": {"anchor": "start", "seconds": 60}}""";
    private static final String CONVERSATION = """
            {"name": "Call with Ann",
             "messages": [
               {"payload": {"content": "Hello there, thanks for calling. How can I help?", "contentType": "text/plain"},
                "from": {"userId": "agent-1", "name": "Bob", "role": "agent"},
                "duration": {"startTime": "2026-03-02T10:00:00Z", "endTime": "2026-03-02T10:00:05Z"}},
               {"payload": {"content": "How much does it cost? Is there a discount for a yearly plan?"},
                "from": {"userId": "customer-1", "name": "Ann", "role": "customer"},
                "duration": {"startTime": "2026-03-02T10:00:06Z", "endTime": "2026-03-02T10:00:12Z"}},
               {"payload": {"content": "Otherwise I will cancel my plan and close my account."},
                "from": {"userId": "customer-1", "name": "Ann"},
                "duration": {"startTime": "2026-03-02T10:00:13Z", "endTime": "2026-03-02T10:00:18Z"}}]}""";

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Value("${trackers.jobs.max-active-per-account:5}")
    int maxActiveJobs;

    @Value("${trackers.jobs.max-attempts:3}")
    int maxAttempts;

    private ServiceClient api;
    private OpenApiContract contract;

    @BeforeEach
    void readTheDocument() {
        api = new ServiceClient(port);
        Reply document = api.send("GET", "/v3/api-docs", Map.of(), null);
        assertThat(document.status()).isEqualTo(200);
        contract = new OpenApiContract(document.body());
    }

    @Test
    void everyExampleConformsToItsSchema() {
        contract.checkExamples();
        assertThat(contract.checkedExamples()).as("examples checked").isGreaterThan(300);
        assertThat(String.join("\n", contract.mismatches())).as("examples that contradict their schema").isEmpty();
    }

    @Test
    void everyAnswerOfARealisticPassConformsToItsDocumentedSchema() {
        Account account = accountsAndTokens();
        Map<String, String> auth = ServiceClient.bearer(account);
        Trackers trackers = trackers(auth);
        matching(auth, trackers);
        streamed(account);
        String conversation = jobsAndConversations(auth);
        jobsOfAnInstanceThatDied(auth, conversation);
        teaching(auth, trackers);
        analytics(auth, trackers);
        refusalsEveryOperationShares(auth, trackers);

        Set<String> unexercised = new TreeSet<>(contract.operations());
        contract.exercised().forEach(answer -> {
            if (answer.matches(".* 2\\d\\d")) {
                unexercised.remove(answer.replaceFirst(" \\d+$", ""));
            }
        });
        assertThat(String.join("\n", contract.mismatches()))
                .as("answers that contradict the document (%d checked: %s)", contract.checkedAnswers(),
                        contract.exercised()).isEmpty();
        assertThat(unexercised).as("operations the pass never saw succeed").isEmpty();
        // A member wrongly marked required only fails the pass if the pass sees an answer without it: so every
        // optional member must be left out somewhere in the pass, or be named here with the reason it cannot be.
        Set<String> neverLeftOut = new TreeSet<>(contract.optionalMembers());
        neverLeftOut.removeAll(contract.optionalMembersLeftOut());
        assertThat(neverLeftOut).as("optional members that every answer of the pass sent: required if the service "
                + "always sends them, else the pass should see a state without them").isEmpty();
        // and a member's schema is only checked where an answer has it: every optional member must be sent somewhere
        // in the pass (a failed job's error was never seen until 2026-11-29), or be named here with the reason
        Set<String> neverSent = new TreeSet<>(contract.optionalMembers());
        neverSent.removeAll(contract.optionalMembersSent());
        neverSent.removeAll(NEVER_SENT_IN_THE_PASS);
        assertThat(neverSent).as("optional members that no answer of the pass sent: the pass should see a state "
                + "with them").isEmpty();
        assertThat(contract.exercised()).as("refusals the pass provoked").contains(
                "POST /oauth2/token:generate 401", "POST /admin/accounts 403", "GET /admin/accounts/{appId} 404",
                "POST /v1/manage/trackers 400", "POST /v1/manage/trackers 409", "POST /v1/manage/trackers 415",
                "POST /v1/manage/trackers/bulk 400", "GET /v1/manage/trackers 401", "GET /v1/manage/trackers 406",
                "POST /v1/manage/trackers 413", "GET /v1/manage/trackers/{id} 404", "PUT /v1/manage/trackers/{id} 412",
                "PATCH /v1/manage/trackers/{id} 400", "PATCH /v1/manage/trackers/{id} 409",
                "PATCH /v1/manage/trackers/{id} 415",
                "DELETE /v1/manage/tracker/{id} 412", "POST /v1/match 400", "POST /v1/process/text 400",
                "GET /v1/job/{jobId} 404", "GET /v1/conversations/{conversationId} 404",
                "POST /v1/manage/trackers/{id}/examples 400", "POST /v1/manage/trackers/{id}/examples 412",
                "GET /v1/manage/trackers/{id}/examples/{exampleId} 404",
                "GET /v1/manage/trackers/{id}/suggestions 400", "GET /v1/analytics/trackers 400",
                "POST /v1/process/text 429", "PUT /v1/process/text/{conversationId} 429", "POST /v1/process/text 422");
    }

    /** Optional members that no answer of the pass sends, and why. */
    private static final Set<String> NEVER_SENT_IN_THE_PASS = Set.of();

    /** The ids the later steps use. */
    private record Trackers(String pricing, String cancellation, String greeting) {
    }

    private Account accountsAndTokens() {
        Map<String, String> operator = Map.of("X-Operator-Key", ServiceClient.OPERATOR_KEY);
        String appId = "conformance-" + UUID.randomUUID();
        String secret = "secret-" + UUID.randomUUID();
        JsonNode created = ok(call("POST", "/admin/accounts", operator,
                "{\"appId\": \"" + appId + "\", \"appSecret\": \"" + secret + "\", \"name\": \"Conformance\"}"));
        JsonNode generated = ok(call("POST", "/admin/accounts", operator, "{\"name\": \"Generated\"}"));
        String other = generated.get("appId").asString();
        call("POST", "/admin/accounts", Map.of(), "{}");
        call("POST", "/admin/accounts", operator, "{\"appId\": \"" + appId + "\", \"appSecret\": \"another-secret\"}");
        call("GET", "/admin/accounts?limit=1", operator, null);
        // to the last page, which has no next
        String after = null;
        do {
            JsonNode page = ok(call("GET", "/admin/accounts?limit=200" + (after == null ? ""
                    : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8)), operator, null));
            after = page.has("next") ? page.get("next").asString() : null;
        } while (after != null);
        call("GET", "/admin/accounts/" + appId, operator, null);
        call("GET", "/admin/accounts/no-such-app", operator, null);
        call("POST", "/admin/accounts/" + other + "/secret", operator, null);
        call("POST", "/admin/accounts/" + other + "/secret", operator, "{\"appSecret\": \"short\"}");

        String token = ok(call("POST", "/oauth2/token:generate", Map.of(), "{\"type\": \"application\", \"appId\": \""
                + appId + "\", \"appSecret\": \"" + secret + "\"}")).get("accessToken").asString();
        call("POST", "/oauth2/token:generate", Map.of(), "{\"type\": \"application\", \"appId\": \"" + appId
                + "\", \"appSecret\": \"wrong\"}");
        call("POST", "/oauth2/token:generate", Map.of(), "{\"type\": \"application\", \"appId\": 42}");
        Account account = new Account(created.get("id").asString(), appId, secret, token);
        String second = api.token(appId, secret);
        call("POST", "/oauth2/token:revoke", ServiceClient.bearer(account), "{\"token\": \"" + second + "\"}");
        call("POST", "/oauth2/token:revoke", ServiceClient.bearer(account), "{}");
        call("GET", "/v1/webhook-secret", ServiceClient.bearer(account), null);
        call("DELETE", "/admin/accounts/" + other, operator, null);
        return account;
    }

    private Trackers trackers(Map<String, String> auth) {
        Reply pricing = call("POST", "/v1/manage/trackers", auth, PRICING);
        String pricingId = ok(pricing).at("/tracker/id").asString();
        String cancellationId = ok(call("POST", "/v1/manage/tracker", auth, CANCELLATION)).at("/tracker/id").asString();
        String greetingId = ok(call("POST", "/v1/manage/trackers", auth, "[" + GREETING + "]"))
                .at("/trackers/0/id").asString();
        ok(call("POST", "/v1/manage/trackers/bulk", auth, """
                [{"name": "Competitors", "vocabulary": ["another vendor", "the other tool", "switch providers",
                                                        "cheaper elsewhere", "their product"]},
                 {"name": "Scratch", "vocabulary": ["alpha one", "beta two", "gamma three", "delta four",
                                                    "epsilon five"]}]"""));

        call("GET", "/v1/manage/trackers", auth, null);
        call("GET", "/v1/manage/trackers?name=Pricing", auth, null);
        call("GET", "/v1/manage/trackers?name=Nobody", auth, null);
        call("GET", "/v1/manage/trackers?include=examples&category=sales", auth, null);
        call("GET", "/v1/manage/trackers/" + pricingId, auth, null);
        call("GET", "/v1/manage/tracker/" + cancellationId + "?include=examples", auth, null);

        String etag = pricing.header("ETag");
        String described = PRICING.replace("Questions about what it costs", "Prices, plans and discounts");
        Reply replaced = call("PUT", "/v1/manage/trackers/" + pricingId, with(auth, "If-Match", etag), described);
        call("PUT", "/v1/manage/trackers/" + pricingId, with(auth, "If-Match", etag), PRICING);
        call("PUT", "/v1/manage/tracker/" + greetingId, auth, GREETING);
        call("PATCH", "/v1/manage/trackers/" + pricingId, with(with(auth, "Content-Type",
                "application/json-patch+json"), "If-Match", replaced.header("ETag")), """
                [{"op": "add", "path": "/vocabulary/-", "value": "what are your rates"},
                 {"op": "replace", "path": "/window", "value": {"anchor": "start", "messages": 20}}]""");
        call("PATCH", "/v1/manage/trackers/" + pricingId, auth,
                "[{\"op\": \"replace\", \"path\": \"/id\", \"value\": \"x\"}]");
        call("PATCH", "/v1/manage/trackers/" + greetingId, auth,
                "[{\"op\": \"replace\", \"path\": \"/description\", \"value\": \"x\"}]");
        call("PATCH", "/v1/manage/tracker/" + greetingId, auth,
                "[{\"op\": \"replace\", \"path\": \"/description\", \"value\": \"y\"}]");
        call("PATCH", "/v1/manage/trackers/" + greetingId, with(auth, "Content-Type", "text/plain"), "[]");

        String scratch = ok(call("GET", "/v1/manage/trackers?name=Scratch", auth, null))
                .at("/trackers/0/id").asString();
        call("DELETE", "/v1/manage/tracker/" + scratch, with(auth, "If-Match", "\"" + scratch + ".v9\""), null);
        call("DELETE", "/v1/manage/tracker/" + scratch, auth, null);
        String competitors = ok(call("GET", "/v1/manage/trackers?name=Competitors", auth, null))
                .at("/trackers/0/id").asString();
        call("DELETE", "/v1/manage/trackers/" + competitors, auth, null);

        call("POST", "/v1/manage/trackers", auth, PRICING);
        call("POST", "/v1/manage/trackers", auth, """
                {"name": "Questions", "vocabulary": ["what?", "why", "how", "when", "where"]}""");
        call("POST", "/v1/manage/trackers", auth, "{");
        call("POST", "/v1/manage/trackers", with(auth, "Content-Type", "text/plain"), "Pricing");
        call("POST", "/v1/manage/trackers", auth, "{\"name\": \"Large\", \"description\": \"" + "x".repeat(1_100_000)
                + "\"}");
        call("POST", "/v1/manage/trackers/bulk", auth, """
                [{"name": "Pricing", "vocabulary": ["a b", "c d", "e f", "g h", "i j"]}, {"name": "No vocabulary"}]""");
        call("GET", "/v1/manage/trackers", Map.of(), null);
        call("GET", "/v1/manage/trackers", with(auth, "Accept", "text/html"), null);
        call("GET", "/v1/manage/trackers?include=everything", auth, null);
        call("GET", "/v1/manage/trackers/" + UUID.randomUUID(), auth, null);
        return new Trackers(pricingId, cancellationId, greetingId);
    }

    private void matching(Map<String, String> auth, Trackers trackers) {
        String messages = """
                [{"id": "m1", "payload": {"content": "Hello there. How much does it cost per seat?"},
                  "from": {"name": "Ann", "role": "customer"}},
                 {"id": "m2", "payload": {"content": "I want to cancel my plan."}, "from": {"name": "Ann"}}]""";
        call("POST", "/v1/match", auth, "{\"messages\": " + messages + "}");
        call("POST", "/v1/match", auth, "{\"messages\": " + messages + ", \"speakerRoles\": {\"Ann\": \"customer\"}, "
                + "\"trackers\": [{\"id\": \"" + trackers.pricing() + "\"}, {\"name\": \"Money\", \"vocabulary\": "
                + "[\"I don't have any money\", \"my account is empty\", \"I can't afford it\", "
                + "\"I am short on cash\", \"my card got declined\"]}], \"explain\": true}");
        call("POST", "/v1/match", auth,
                "{\"messages\": " + messages + ", \"enableAllTrackers\": true, \"explain\": true}");
        call("POST", "/v1/match", auth, "{\"messages\": [{\"payload\": {\"content\": \"Nice weather today.\"}}]}");
        // a tracker alone, near small talk: explained as everyday talk, quoting the sentence it was taken for
        // (CalibrationIT.aTrackerAloneLosesSmallTalkToTheReferenceSentencesButKeepsItsTopic)
        call("POST", "/v1/match", auth, """
                {"messages": [{"id": "t1", "payload": {"content": "What time is it?"}}], "explain": true,
                 "trackers": [{"name": "Prices", "vocabulary": ["how much does it cost", "it is too expensive for us",
                               "what is the price", "can we get a discount", "that is over what we can spend"]}]}""");
        call("POST", "/v1/match", auth, "{\"messages\": []}");
    }

    /** @return the id of a conversation the account keeps, with its completed jobs */
    private String jobsAndConversations(Map<String, String> auth) {
        JsonNode accepted = ok(call("POST", "/v1/process/text", auth, CONVERSATION));
        String conversation = accepted.get("conversationId").asString();
        awaitJob(auth, accepted.get("jobId").asString());
        JsonNode appended = ok(call("PUT", "/v1/process/text/" + conversation, auth, """
                {"messages": [{"payload": {"content": "Fine, what is the price of the yearly plan then?"},
                               "from": {"userId": "customer-1", "name": "Ann"}}]}"""));
        awaitJob(auth, appended.get("jobId").asString());
        JsonNode transcript = ok(call("POST", "/v1/process/text?name=Transcript&speakerRoles=Ann:customer",
                with(auth, "Content-Type", "text/vtt"), """
                WEBVTT

                00:00:01.000 --> 00:00:04.000
                <v Ann>Hello. How much does it cost?
                """));
        awaitJob(auth, transcript.get("jobId").asString());
        JsonNode subtitles = ok(call("PUT", "/v1/process/text/" + conversation, with(auth, "Content-Type",
                "application/x-subrip"), """
                1
                00:00:20,000 --> 00:00:23,000
                Ann: Thanks, that is all for today.
                """));
        awaitJob(auth, subtitles.get("jobId").asString());
        // as bare as the API takes it: no name, no times, a message without a speaker and one whose speaker has only
        // an id, so that the answers about it leave out what it lacks
        JsonNode bare = ok(call("POST", "/v1/process/text", auth, """
                {"messages": [{"payload": {"content": "What is the price of the basic plan?"}},
                              {"payload": {"content": "Thanks, bye."}, "from": {"userId": "customer-2"}}]}"""));
        awaitJob(auth, bare.get("jobId").asString());
        String bareId = bare.get("conversationId").asString();
        call("GET", "/v1/conversations/" + bareId, auth, null);
        assertThat(ok(call("GET", "/v1/conversations/" + bareId + "/trackers", auth, null)).toString())
                .as("a hit on the message without a speaker").contains("What is the price of the basic plan?");
        call("GET", "/v1/conversations/" + bareId + "/messages", auth, null);
        call("POST", "/v1/process/text", auth, "{\"messages\": []}");
        // a retry with its Idempotency-Key: the first answer again, marked as such; the key with another request: 422
        Map<String, String> keyed = with(auth, "Idempotency-Key", UUID.randomUUID().toString());
        String once = "{\"messages\": [{\"payload\": {\"content\": \"Sent once, answered twice.\"}}]}";
        JsonNode first = ok(call("POST", "/v1/process/text", keyed, once));
        Reply replayed = call("POST", "/v1/process/text", keyed, once);
        assertThat(replayed.json()).isEqualTo(first);
        assertThat(replayed.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(call("POST", "/v1/process/text", keyed, once.replace("once", "twice")).status()).isEqualTo(422);
        awaitJob(auth, first.get("jobId").asString());
        call("PUT", "/v1/process/text/" + UUID.randomUUID(), auth,
                "{\"messages\": [{\"payload\": {\"content\": \"Hello.\"}}]}");
        call("GET", "/v1/job/" + UUID.randomUUID(), auth, null);

        call("GET", "/v1/conversations", auth, null);
        call("GET", "/v1/conversations?limit=1&include=total", auth, null);
        call("GET", "/v1/conversations?q=price&from=2026-01-01", auth, null);
        call("GET", "/v1/conversations/" + conversation, auth, null);
        call("GET", "/v1/conversations/" + conversation + "/trackers", auth, null);
        call("GET", "/v1/conversations/" + conversation + "/trackers-detected", auth, null);
        call("GET", "/v1/conversations/" + conversation + "/messages", auth, null);
        call("GET", "/v1/conversations/" + conversation + "/messages?limit=2", auth, null);
        String removed = transcript.get("conversationId").asString();
        call("GET", "/v1/conversations/" + removed + "/messages", auth, null);
        call("DELETE", "/v1/conversations/" + removed, auth, null);
        call("GET", "/v1/conversations/" + removed, auth, null);
        call("GET", "/v1/conversations/" + removed + "/trackers", auth, null);
        call("GET", "/v1/conversations?limit=0", auth, null);
        return conversation;
    }

    /**
     * The account's limit of active jobs (429) and failed jobs, neither of which the pass meets otherwise: its jobs
     * are small and the real model does not fail. Another instance is running as many jobs of the account as it may
     * have, each already taken up {@code trackers.jobs.max-attempts} times: a submit meanwhile is refused. Then that
     * instance dies; the next claim of each job is one too many, and the job fails (JobRunner, the guard against a job
     * that kills its worker). The rows are written as that instance's claims would have left them, copying a job of
     * the conversation.
     */
    private void jobsOfAnInstanceThatDied(Map<String, String> auth, String conversation) {
        String model = jdbc.sql("select id from job where conversation_id = :conversation limit 1")
                .param("conversation", conversation).query(String.class).single();
        List<String> held = new ArrayList<>();
        for (int i = 0; i < maxActiveJobs; i++) {
            String id = UUID.randomUUID().toString();
            jdbc.sql("""
                    insert into job (id, account_id, conversation_id, status, trackers, selection, first_seq, last_seq,
                        total, attempts, lease_owner, lease_until, created_on, updated_on)
                    select :id, account_id, conversation_id, 'in_progress', trackers, selection, first_seq, last_seq,
                        total, :attempts, 'an-instance-that-dies', now() + interval '10 minutes', now(), now()
                    from job where id = :model""").param("id", id).param("attempts", maxAttempts)
                    .param("model", model).update();
            held.add(id);
        }
        call("GET", "/v1/job/" + held.get(0), auth, null);
        Reply submit = call("POST", "/v1/process/text", auth, "{\"messages\": [{\"payload\": {\"content\": \"Hello.\"}}]}");
        assertThat(submit.status()).as("a submit over the account's limit").isEqualTo(429);
        Reply append = call("PUT", "/v1/process/text/" + conversation, auth,
                "{\"messages\": [{\"payload\": {\"content\": \"Hello again.\"}}]}");
        assertThat(append.status()).as("an append over the account's limit").isEqualTo(429);
        // the header the document gives each 429, which a client waits by
        for (Reply refused : List.of(submit, append)) {
            assertThat(refused.header("Retry-After")).as("Retry-After of a 429").matches("[1-9][0-9]*");
        }

        jdbc.sql("update job set lease_until = now() - interval '1 second' where id in (:ids)").param("ids", held)
                .update();
        held.forEach(job -> assertThat(awaitJob(auth, job, "failed").get("error").asString())
                .contains("interrupted " + maxAttempts + " times"));
        call("GET", "/v1/conversations/" + conversation, auth, null);
        call("GET", "/v1/conversations?limit=200", auth, null);
    }

    /** A conversation streamed over the WebSocket API: it has no job, so the conversation list shows no job status. */
    private void streamed(Account account) {
        URI uri = URI.create("ws://localhost:" + port + "/v1/streaming/" + UUID.randomUUID() + "?access_token="
                + account.token());
        try (TestSocket socket = TestSocket.open(uri, Map.of())) {
            socket.send("""
                    {"type": "start_request", "config": {"trackers": {"enableAllTrackers": true}}}""");
            awaitFrame(socket, "recognition_started");
            socket.send("""
                    {"type": "message_request", "messages": [{"payload": {"content": "Is there a discount?"},
                                                              "isFinal": true}]}""");
            socket.send("{\"type\": \"stop_request\"}");
            awaitFrame(socket, "conversation_completed");
        }
    }

    /** Reads frames up to a {@code message} frame of this type (each read waits at most 30 s). */
    private static void awaitFrame(TestSocket socket, String type) {
        JsonNode frame;
        do {
            frame = socket.next();
        } while (!type.equals(frame.at("/message/type").asString("")));
    }

    private void awaitJob(Map<String, String> auth, String job) {
        awaitJob(auth, job, "completed");
    }

    /** Polls the job until it has ended (for at most 30 s) and returns its last answer, which must have this status. */
    private JsonNode awaitJob(Map<String, String> auth, String job, String expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode answer;
        String status;
        do {
            answer = ok(call("GET", "/v1/job/" + job, auth, null));
            status = answer.get("status").asString();
            if (!status.equals("completed") && !status.equals("failed")) {
                sleep();
            }
        } while (!status.equals("completed") && !status.equals("failed") && System.nanoTime() < deadline);
        assertThat(status).as("job " + job + ": " + answer).isEqualTo(expected);
        return answer;
    }

    /** After the jobs, so that the suggestions come from stored conversations. */
    private void teaching(Map<String, String> auth, Trackers trackers) {
        String examples = "/v1/manage/trackers/" + trackers.pricing() + "/examples";
        String quality = "/v1/manage/trackers/" + trackers.pricing() + "/quality";
        call("GET", quality, auth, null);
        JsonNode one = ok(call("POST", examples, auth, "{\"text\": \"Is there a cheaper plan?\", \"match\": true}"));
        call("POST", examples, auth, """
                [{"text": "What does the premium tier cost?", "match": true},
                 {"text": "How pricey is the enterprise edition?", "match": true},
                 {"text": "The weather is lovely", "match": false}, {"text": "My dog loves long walks", "match": false},
                 {"text": "See you tomorrow", "match": false}]""");
        call("POST", examples, auth, "{\"text\": \"See you tomorrow\", \"match\": true}");
        call("POST", examples, auth, "{\"text\": \"See you tomorrow\", \"match\": false}");
        call("POST", examples, auth, "{\"text\": \"No label\"}");
        call("POST", examples, with(auth, "If-Match", "\"" + trackers.pricing() + ".v1\""),
                "{\"text\": \"Too late\", \"match\": false}");
        call("GET", examples, auth, null);
        String exampleId = one.at("/examples/0/id").asString();
        call("GET", examples + "/" + exampleId, auth, null);
        call("GET", examples + "/" + UUID.randomUUID(), auth, null);
        call("GET", "/v1/manage/trackers/" + trackers.pricing() + "?include=examples", auth, null);
        call("GET", "/v1/manage/trackers?include=examples", auth, null);
        call("GET", quality, auth, null);
        call("GET", "/v1/manage/trackers/" + trackers.pricing() + "/suggestions", auth, null);
        call("GET", "/v1/manage/trackers/" + trackers.cancellation() + "/suggestions?limit=3", auth, null);
        call("GET", "/v1/manage/trackers/" + trackers.pricing() + "/suggestions?limit=500", auth, null);
        call("DELETE", examples + "/" + exampleId, auth, null);
        call("DELETE", examples + "/" + exampleId, auth, null);
        call("GET", "/v1/manage/trackers/" + UUID.randomUUID() + "/quality", auth, null);
    }

    private void analytics(Map<String, String> auth, Trackers trackers) {
        call("GET", "/v1/analytics/trackers", auth, null);
        call("GET", "/v1/analytics/trackers?from=2026-03-01&to=2026-03-15&interval=week", auth, null);
        call("GET", "/v1/analytics/trackers?from=2026-01-01T00:00:00Z&interval=month&trackerId=" + trackers.pricing()
                + "&trackerId=" + trackers.cancellation(), auth, null);
        call("GET", "/v1/analytics/trackers?interval=year", auth, null);
    }

    /** What every operation can answer whatever it does: no token, a refused Accept, an unknown id. */
    private void refusalsEveryOperationShares(Map<String, String> auth, Trackers trackers) {
        call("GET", "/v1/conversations", Map.of("Authorization", "Bearer not-a-token"), null);
        call("POST", "/v1/match", with(auth, "Accept", "text/html"),
                "{\"messages\": [{\"payload\": {\"content\": \"Hello.\"}}]}");
        call("GET", "/v1/manage/trackers/" + trackers.greeting() + "/examples", with(auth, "Accept", "text/plain"),
                null);
        call("DELETE", "/v1/manage/trackers/" + UUID.randomUUID() + "/examples/" + UUID.randomUUID(), auth, null);
        call("GET", "/v1/analytics/trackers?from=yesterday", auth, null);
    }

    private Reply call(String method, String path, Map<String, String> headers, String body) {
        return contract.check(method, path, api.send(method, path, headers, body));
    }

    /** The body of a success the pass goes on from; a refusal here means the pass itself is wrong. */
    private static JsonNode ok(Reply reply) {
        assertThat(reply.status()).as(reply.body()).isBetween(200, 299);
        return reply.json();
    }

    private static Map<String, String> with(Map<String, String> headers, String name, String value) {
        Map<String, String> more = new HashMap<>(headers);
        more.put(name, value);
        return more;
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

package io.opentrackers.detection;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.TestApi;
import io.opentrackers.TestApi.Response;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

/** {@code POST /v1/match} on the running service with the real embedding model. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MatchIT {

    private static final String MONEY = """
            {"name": "Money trouble", "vocabulary": ["I don't have any money", "my account is empty",
             "I can't afford it", "I am short on cash", "my card got declined"]}""";

    @LocalServerPort
    int port;

    TestApi api;

    @BeforeEach
    void account() {
        api = TestApi.newAccount("http://localhost:" + port);
    }

    private static String messages(String... texts) {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            items.add("{\"id\":\"m" + i + "\",\"payload\":{\"content\":\"" + texts[i] + "\"},"
                    + "\"from\":{\"userId\":\"u" + i + "\",\"name\":\"Speaker " + i + "\"}}");
        }
        return "[" + String.join(",", items) + "]";
    }

    @Test
    void aPhraseSaidLateInALongUnpunctuatedTranscriptIsFoundAndPlaced() {
        // a speech-to-text transcript without punctuation is one long span, of which the model reads only the first
        // 256 tokens (the filler alone is 264 words of one token each); its word windows (pieces of 8 words) cover the
        // rest. Under 1,000 characters, so that a job stores it as one sentence as well (a longer line is cut there,
        // and its windows start again at the cut)
        String filler = "we did it and then we did it ".repeat(33);
        String late = "honestly I ran out of budget this quarter";
        Response silent = api.post("/v1/match", "{\"messages\":" + messages(filler.strip()) + ",\"trackers\":["
                + MONEY + "]}");
        assertThat(silent.body()).isEmpty();

        Response response = api.post("/v1/match", "{\"messages\":" + messages(filler + late) + ",\"trackers\":["
                + MONEY + "]}");
        assertThat(response.body()).hasSize(1);
        JsonNode ref = response.body().get(0).get("matches").get(0).get("messageRefs").get(0);
        assertThat(ref.get("offset").asInt()).isEqualTo(-1);
        // the hit names the eight words it was found in
        assertThat(ref.get("start").asInt()).isEqualTo(filler.length());
        assertThat(ref.get("end").asInt()).isEqualTo(filler.length() + late.length());
    }

    /**
     * The model turns emoji and scripts it has no piece for into one unknown token, so "👍" had the vector of a Thai
     * or Amharic phrase and fired its tracker by meaning (score 1.0; 0.68 against a Russian phrase). A message the
     * model cannot read now has no meaning: no phrase is close to it, while its words beside emoji still count.
     */
    @Test
    void aMessageOfEmojiFiresNoTrackerByMeaning() {
        String trackers = """
                [{"name": "Greeting", "vocabulary": ["สวัสดี", "ሰላም", "hello there", "good morning", "hi how are you"]},
                 {"name": "Cancel", "vocabulary": ["отменить подписку", "cancel my plan", "stop the subscription",
                  "end the contract", "close my account"]}]""";
        Response response = api.post("/v1/match", "{\"messages\":" + messages("👍", "🎉🎉 ✅", "🙂🙂")
                + ",\"trackers\":" + trackers + ",\"explain\":true}");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().get("trackers")).as("hits").isEmpty();
        for (JsonNode explanation : response.body().get("explanations")) {
            for (JsonNode candidate : explanation.get("candidates")) {
                assertThat(candidate.get("score").asDouble()).as("%s", candidate).isZero();
                assertThat(candidate.get("fired").asBoolean()).as("%s", candidate).isFalse();
            }
        }
        Response words = api.post("/v1/match", "{\"messages\":" + messages("👍 please cancel my plan")
                + ",\"trackers\":" + trackers + "}");
        assertThat(words.body()).extracting(tracker -> tracker.get("name").asString()).containsExactly("Cancel");
    }

    /**
     * A phrase in a script the model cannot read ("สวัสดี" for the English model) had the unknown token's vector,
     * close to any text the model half reads: Japanese, Greek, Russian and Arabic messages scored 0.63–0.72 against
     * it. Such a phrase now has no meaning (score 0 against everything) and fires only when it is said literally.
     */
    @Test
    void aPhraseTheModelCannotReadFiresOnlyWhenSaid() {
        String trackers = """
                [{"name": "Greeting", "vocabulary": ["สวัสดี", "ሰላም", "hello there", "good morning", "hi how are you"]},
                 {"name": "Cancel", "vocabulary": ["cancel my plan", "stop the subscription", "end the contract",
                  "close my account", "I want to quit"]}]""";
        Response response = api.post("/v1/match", "{\"messages\":" + messages("Я хочу узнать цену",
                "Γεια σας, τι κάνετε", "こんにちは", "مرحبا كيف حالك", "สวัสดี ครับ") + ",\"trackers\":" + trackers
                + ",\"explain\":true}");

        assertThat(response.status()).isEqualTo(200);
        for (JsonNode explanation : response.body().get("explanations")) {
            JsonNode greeting = candidate(explanation.get("candidates"), "Greeting");
            if (explanation.get("messageId").asString().equals("m4")) {
                assertThat(greeting.get("reason").asString()).isEqualTo("literal");
            } else {
                assertThat(greeting.get("phrase").asString()).as("%s", explanation).isNotIn("สวัสดี", "ሰላም");
            }
        }
        assertThat(response.body().get("trackers")).extracting(t -> t.get("name").asString())
                .containsExactly("Greeting");
        assertThat(response.body().get("trackers").get(0).get("matches").get(0).get("messageRefs"))
                .extracting(ref -> ref.get("id").asString()).containsExactly("m4");
    }

    /**
     * A message pasted from a web page or a chat app, "can\u200bcel\u00a0my subscription", reads "cancel my
     * subscription" but did not hold the phrase literally (the zero-width space cut the word, the no-break space was no
     * space). It is a literal hit, placed on the text as it was sent.
     */
    @Test
    void aPhraseWrittenWithInvisibleCharactersIsALiteralHit() {
        String churn = """
                {"name": "Churn", "vocabulary": ["cancel my subscription", "close my account", "stop the plan",
                 "end the contract", "leave the service"]}""";
        String text = "I want to can\u200bcel\u00a0my subscrip\u00adtion today.";
        Response response = api.post("/v1/match", "{\"messages\": [{\"id\": \"m1\", \"payload\": {\"content\": "
                + "\"I want to can\\u200bcel\\u00a0my subscrip\\u00adtion today.\"}}], \"trackers\": [" + churn + "]}");

        assertThat(response.status()).isEqualTo(200);
        JsonNode match = response.body().get(0).get("matches").get(0);
        assertThat(match.get("value").asString()).isEqualTo("cancel my subscription");
        JsonNode ref = match.get("messageRefs").get(0);
        assertThat(ref.get("offset").asInt()).isEqualTo(10);
        assertThat(ref.get("score").asDouble()).isEqualTo(1.0);
        assertThat(text.substring(ref.get("start").asInt(), ref.get("end").asInt()))
                .isEqualTo("can\u200bcel\u00a0my subscrip\u00adtion");
    }

    @Test
    void meaningHitsHaveNoOffsetAndUnrelatedTextStaysSilent() {
        Response response = api.post("/v1/match", "{\"messages\":" + messages("I ran out of budget",
                "The weather is nice today") + ",\"trackers\":[" + MONEY + "]}");

        assertThat(response.status()).isEqualTo(200);
        JsonNode trackers = response.body();
        assertThat(trackers.isArray()).isTrue();
        assertThat(trackers).hasSize(1);
        JsonNode tracker = trackers.get(0);
        assertThat(tracker.get("name").asString()).isEqualTo("Money trouble");
        assertThat(tracker.get("id").asString()).isNotBlank();
        List<String> hitMessages = new ArrayList<>();
        for (JsonNode match : tracker.get("matches")) {
            assertThat(match.get("type").asString()).isEqualTo("vocabulary");
            assertThat(match.get("insightRefs").isArray()).isTrue();
            for (JsonNode ref : match.get("messageRefs")) {
                hitMessages.add(ref.get("id").asString());
                assertThat(ref.get("offset").asInt()).isEqualTo(-1);
                assertThat(ref.get("text").asString()).isEqualTo("I ran out of budget");
                assertThat(ref.get("score").asDouble()).isBetween(0.0, 1.0);
                assertThat(ref.get("start").asInt()).isZero();
                assertThat(ref.get("end").asInt()).isEqualTo("I ran out of budget".length());
                assertThat(ref.get("from").get("name").asString()).isEqualTo("Speaker 0");
            }
        }
        assertThat(hitMessages).isNotEmpty().containsOnly("m0");
        List<String> values = new ArrayList<>();
        tracker.get("matches").forEach(match -> values.add(match.get("value").asString()));
        assertThat(values).contains("I don't have any money");
    }

    @Test
    void literalPhraseGivesItsOffset() {
        Response response = api.post("/v1/match", "{\"messages\":" + messages("Honestly, I DON'T have any money.")
                + ",\"trackers\":[" + MONEY + "]}");
        JsonNode ref = response.body().get(0).get("matches").get(0).get("messageRefs").get(0);
        assertThat(response.body().get(0).get("matches").get(0).get("value").asString())
                .isEqualTo("I don't have any money");
        assertThat(ref.get("offset").asInt()).isEqualTo(10);
        assertThat(ref.get("score").asDouble()).isEqualTo(1.0);
    }

    /**
     * Positions count UTF-16 code units, as JavaScript and Java index strings (docs/api.md says so): an emoji is two,
     * and a letter whose lower case is longer ("İ" lower-cased is two chars) does not shift the case-insensitive
     * offset.
     */
    @Test
    void positionsCountUtf16CodeUnits() {
        String text = "İİ 👋 Well, I DON'T have any money";
        Response response = api.post("/v1/match", "{\"messages\":" + messages(text) + ",\"trackers\":[" + MONEY + "]}");

        JsonNode ref = response.body().get(0).get("matches").get(0).get("messageRefs").get(0);
        int utf16 = text.indexOf("I DON'T");
        assertThat(utf16).isEqualTo(12).isNotEqualTo(text.codePointCount(0, utf16));
        assertThat(ref.get("offset").asInt()).isEqualTo(utf16);
        assertThat(ref.get("start").asInt()).isEqualTo(utf16);
        assertThat(ref.get("end").asInt()).isEqualTo(text.length());
    }

    @Test
    void nothingMatchedIsAnEmptyArray() {
        Response response = api.post("/v1/match", "{\"messages\":" + messages("The weather is nice today")
                + ",\"trackers\":[" + MONEY + "]}");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().isArray()).isTrue();
        assertThat(response.body()).isEmpty();
    }

    @Test
    void managedTrackersApplyByDefaultByReferenceAndNotWhenDisabled() {
        Response created = api.post("/v1/manage/trackers", MONEY);
        assertThat(created.status()).isEqualTo(201);
        String id = created.body().get("tracker").get("id").asString();
        String text = messages("Sadly I have no money left");

        Response byDefault = api.post("/v1/match", "{\"messages\":" + text + "}");
        assertThat(byDefault.body()).hasSize(1);
        assertThat(byDefault.body().get(0).get("id").asString()).isEqualTo(id);

        Response byReference = api.post("/v1/match", "{\"messages\":" + text + ",\"trackers\":[{\"id\":\"" + id
                + "\"}],\"enableAllTrackers\":false}");
        assertThat(byReference.body().get(0).get("id").asString()).isEqualTo(id);

        Response disabled = api.post("/v1/match", "{\"messages\":" + text + ",\"enableAllTrackers\":false}");
        assertThat(disabled.status()).isEqualTo(200);
        assertThat(disabled.body()).isEmpty();

        Response unknown = api.post("/v1/match", "{\"messages\":" + text + ",\"trackers\":[{\"id\":\"nope\"}]}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body().get("message").asString()).contains("trackers[0].id");
    }

    @Test
    void tooManyMessagesAreRefusedWithAProblem() {
        StringBuilder body = new StringBuilder("{\"messages\":[");
        for (int i = 0; i < 1001; i++) {
            body.append(i == 0 ? "" : ",").append("{\"payload\":{\"content\":\"hi\"}}");
        }
        body.append("],\"trackers\":[").append(MONEY).append("]}");
        Response response = api.post("/v1/match", body.toString());
        assertThat(response.status()).isEqualTo(413);
        assertThat(response.headers().getContentType().toString()).startsWith("application/problem+json");
        assertThat(response.body().get("message").asString()).contains("messages").contains("1000");
    }

    /**
     * Issue 20: 1,000 messages of 1,000 characters took 54.8 s and left 1 GiB RSS. One call carries at most
     * {@code trackers.matching.max-characters} (100,000) characters of content; the largest call allowed is timed.
     */
    @Test
    void contentBeyondTheCharacterBoundIsRefusedAndTheLargestAllowedCallIsAnswered() {
        String sentence = "I looked at my balance and honestly I am short on cash this month, so the upgrade waits. ";
        String thousand = sentence.repeat(12).substring(0, 1000);
        StringBuilder allowed = new StringBuilder("{\"messages\":[");
        for (int i = 0; i < 100; i++) {
            allowed.append(i == 0 ? "" : ",").append("{\"payload\":{\"content\":\"").append(thousand).append("\"}}");
        }
        String over = allowed + ",{\"payload\":{\"content\":\"x\"}}],\"trackers\":[" + MONEY + "]}";
        allowed.append("],\"trackers\":[").append(MONEY).append("]}");

        Response refused = api.post("/v1/match", over);
        assertThat(refused.status()).isEqualTo(413);
        assertThat(refused.headers().getContentType().toString()).startsWith("application/problem+json");
        assertThat(refused.body().get("message").asString())
                .isEqualTo("messages: 100001 characters of content in one call, at most 100000 are accepted; split "
                        + "the request or use POST /v1/process/text");
        assertThat(refused.body().at("/errors/0/field").asString()).isEqualTo("messages");

        long started = System.nanoTime();
        Response answered = api.post("/v1/match", allowed.toString());
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertThat(answered.status()).isEqualTo(200);
        assertThat(answered.body()).isNotEmpty();
        System.out.printf("POST /v1/match with 100 messages x 1,000 characters (the bound): %d ms%n", millis);
    }

    @Test
    void missingOrBlankMessagesAreNamedInA400() {
        Response none = api.post("/v1/match", "{\"trackers\":[" + MONEY + "]}");
        assertThat(none.status()).isEqualTo(400);
        assertThat(none.body().get("message").asString()).contains("messages");

        Response blank = api.post("/v1/match", "{\"messages\":[{\"payload\":{\"content\":\"ok\"}},"
                + "{\"payload\":{\"content\":\"  \"}}],\"trackers\":[" + MONEY + "]}");
        assertThat(blank.status()).isEqualTo(400);
        assertThat(blank.body().get("message").asString()).contains("messages[1].payload.content");

        // the text sent as {"text": ...}, a common first guess: told where it goes
        Response guessed = api.post("/v1/match", "{\"messages\":[{\"text\":\"How much is it?\"}],\"trackers\":["
                + MONEY + "]}");
        assertThat(guessed.status()).isEqualTo(400);
        assertThat(guessed.body().get("message").asString()).contains("messages[0].payload.content",
                "{\"payload\": {\"content\": \"...\"}}");

        Response duplicate = api.post("/v1/match", "{\"messages\":[{\"id\":\"a\",\"payload\":{\"content\":\"x y\"}},"
                + "{\"id\":\"a\",\"payload\":{\"content\":\"z w\"}}],\"trackers\":[" + MONEY + "]}");
        assertThat(duplicate.status()).isEqualTo(400);
        assertThat(duplicate.body().get("message").asString()).contains("messages[1].id");
    }

    /** A saved tracker named like an inline one ({@code {"name": ...}} alone): the refusal says how to name it. */
    @Test
    void aTrackerGivenByItsNameAloneIsRefusedWithTheIdThatNamesIt() {
        String id = api.post("/v1/manage/trackers", MONEY).body().get("tracker").get("id").asString();

        Response byName = api.post("/v1/match", "{\"messages\":" + messages("Sadly I have no money left")
                + ",\"trackers\":[{\"name\":\"Money trouble\"}]}");

        assertThat(byName.status()).isEqualTo(400);
        JsonNode error = byName.body().get("errors").get(0);
        assertThat(error.get("field").asString()).isEqualTo("trackers[0].vocabulary");
        assertThat(error.get("message").asString()).startsWith("is required")
                .endsWith("to use your saved tracker 'Money trouble', send {\"id\": \"" + id + "\"}");

        // a name the account has no tracker of stays the plain refusal of an inline tracker without phrases
        Response unknown = api.post("/v1/match", "{\"messages\":" + messages("Sadly I have no money left")
                + ",\"trackers\":[{\"name\":\"Nothing of that name\"}]}");
        assertThat(unknown.body().get("errors").get(0).get("message").asString())
                .isEqualTo("is required (a list of 5 to 50 phrases)");
    }

    @Test
    void badInlineTrackerIsA400AndNoTokenIsA401() {
        Response bad = api.post("/v1/match", "{\"messages\":" + messages("hello")
                + ",\"trackers\":[{\"name\":\"x\",\"vocabulary\":[\"what?\"]}]}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().get("message").asString()).contains("trackers[0]");

        int status = RestClient.create("http://localhost:" + port).post().uri("/v1/match")
                .header("Content-Type", "application/json").body("{}").retrieve()
                .onStatus(s -> true, (req, res) -> { }).toBodilessEntity().getStatusCode().value();
        assertThat(status).isEqualTo(401);
    }

    /**
     * "Another tracker was chosen for these words" left users asking which one: a {@code not-chosen} candidate names
     * the tracker the classifier gave the span to, the one that fired there or, when a condition stopped that one
     * too, the one whose condition did; other reasons name none.
     */
    @Test
    void aNotChosenCandidateNamesTheTrackerTheWordsWentTo() {
        String greeting = """
                {"name": "Greeting", "vocabulary": ["thanks for calling", "how can I help you", "welcome to",
                 "my name is", "good morning"], "speaker": "agent"}""";
        String pricing = """
                {"name": "Pricing", "vocabulary": ["how much does it cost", "what is the price", "pricing plans",
                 "too expensive", "discount"]}""";
        Response response = api.post("/v1/match", """
                {"messages": [
                   {"id": "agent", "payload": {"content": "Thanks for calling, my name is Ann."}, "from": {"name": "Ann"}},
                   {"id": "customer", "payload": {"content": "Good morning, my name is Bob."}, "from": {"name": "Bob"}}],
                 "speakerRoles": {"Ann": "agent", "Bob": "customer"},
                 "trackers": [%s, %s], "explain": true}""".formatted(greeting, pricing));

        assertThat(response.status()).as(response.body().toString()).isEqualTo(200);
        JsonNode agent = candidates(response.body(), "agent");
        JsonNode customer = candidates(response.body(), "customer");
        String greetingId = candidate(agent, "Greeting").get("trackerId").asString();

        // the agent's greeting: Greeting won the words and fired on them
        assertThat(candidate(agent, "Greeting").get("fired").asBoolean()).isTrue();
        assertThat(response.body().get("trackers")).extracting(t -> t.get("id").asString()).containsExactly(greetingId);
        assertThat(candidate(agent, "Pricing").get("reason").asString()).isEqualTo("not-chosen");
        assertThat(candidate(agent, "Pricing").get("chosenInstead"))
                .isEqualTo(TestApi.json("{\"trackerId\": \"" + greetingId + "\", \"name\": \"Greeting\"}"));
        // the customer's greeting: Greeting won the words but is for the agent's, so nothing fired on them at all
        assertThat(candidate(customer, "Greeting").get("reason").asString()).isEqualTo("speaker");
        assertThat(candidate(customer, "Pricing").get("reason").asString()).isEqualTo("not-chosen");
        assertThat(candidate(customer, "Pricing").at("/chosenInstead/trackerId").asString()).isEqualTo(greetingId);
        // only not-chosen names another tracker
        assertThat(candidate(agent, "Greeting").has("chosenInstead")).isFalse();
        assertThat(candidate(customer, "Greeting").has("chosenInstead")).isFalse();
    }

    /**
     * A user copies a tracker to try a change, or imports the same tracker twice: the tracker and its copy both fire
     * wherever the tracker alone does, with the same phrases and scores, and the other trackers are untouched. Decided
     * as two topics, each took the other's evidence away: the copy's phrases raised the tracker's threshold and the
     * classifier split every span between the two, so "Can you send the pricing?" fired one of them only.
     */
    @Test
    void aTrackerAndItsCopyFireWhereTheTrackerAloneDoes() {
        String others = """
                {"name": "Cancel", "vocabulary": ["I want to cancel", "cancel my subscription", "stop my plan",
                 "end the contract", "close my account"]},
                {"name": "Greeting", "vocabulary": ["hello", "good morning", "nice to meet you", "how are you",
                 "thanks for calling"]},
                {"name": "Next steps", "vocabulary": ["next steps", "follow up next week", "send me the proposal",
                 "schedule a demo", "let's book a call"]},
                {"name": "Budget", "vocabulary": ["no budget", "we can't afford it", "no money left",
                 "out of budget", "too costly for us"]}""";
        String pricing = "[\"how much does it cost\", \"what is the price\", \"pricing plans\", \"too expensive\", "
                + "\"discount\"]";
        String copy = "[\"discount\", \"Too expensive\", \"pricing plans\", \"what is the price\", "
                + "\"how much does it cost\"]";
        String talk = messages("How much would that set me back?", "What is the price of the pro plan?",
                "Is there a discount for annual plans?", "That is too expensive for us.", "Can you send the pricing?",
                "Hello, nice to meet you.", "We have no money left this quarter.");

        Response alone = api.post("/v1/match", "{\"messages\": " + talk + ", \"trackers\": [{\"name\": \"Pricing\", "
                + "\"vocabulary\": " + pricing + "}, " + others + "]}");
        Response withCopy = api.post("/v1/match", "{\"messages\": " + talk + ", \"trackers\": [{\"name\": "
                + "\"Pricing (copy)\", \"vocabulary\": " + copy + "}, " + others + ", {\"name\": \"Pricing\", "
                + "\"vocabulary\": " + pricing + "}]}");

        assertThat(alone.status()).isEqualTo(200);
        assertThat(withCopy.status()).isEqualTo(200);
        List<String> pricingAlone = hits(alone.body(), "Pricing");
        assertThat(pricingAlone).as("meaning hits of Pricing alone").anyMatch(hit -> hit.contains("offset -1"));
        assertThat(hits(withCopy.body(), "Pricing")).isEqualTo(pricingAlone);
        assertThat(hits(withCopy.body(), "Pricing (copy)")).isEqualTo(pricingAlone.stream()
                .map(hit -> hit.replace("too expensive", "Too expensive")).sorted().toList());
        for (String other : List.of("Cancel", "Greeting", "Next steps", "Budget")) {
            assertThat(hits(withCopy.body(), other)).as(other).isEqualTo(hits(alone.body(), other));
        }
    }

    /**
     * The copy made to try a change has a phrase more: the two are one topic (they share 5 of their 6 phrases), so
     * neither takes the other's hits away. As two topics, "Can you send the pricing?" fired the copy only, and "What
     * is the price of the pro plan?" lost the original's meaning hits.
     */
    @Test
    void aTrackerAndACopyWithAPhraseMoreBothFireWhereTheTrackerAloneDoes() {
        String others = """
                {"name": "Cancel", "vocabulary": ["I want to cancel", "cancel my subscription", "stop my plan",
                 "end the contract", "close my account"]},
                {"name": "Budget", "vocabulary": ["no budget", "we can't afford it", "no money left",
                 "out of budget", "too costly for us"]}""";
        String pricing = "\"how much does it cost\", \"what is the price\", \"pricing plans\", \"too expensive\", "
                + "\"discount\"";
        String talk = messages("What is the price of the pro plan?", "Is there a discount for annual plans?",
                "Can you send the pricing?", "Do you have a cheaper option?");

        Response alone = api.post("/v1/match", "{\"messages\": " + talk + ", \"trackers\": [{\"name\": \"Pricing\", "
                + "\"vocabulary\": [" + pricing + "]}, " + others + "]}");
        Response withCopy = api.post("/v1/match", "{\"messages\": " + talk + ", \"trackers\": [{\"name\": \"Pricing\", "
                + "\"vocabulary\": [" + pricing + "]}, " + others + ", {\"name\": \"Pricing v2\", \"vocabulary\": ["
                + pricing + ", \"is there a free tier\"]}]}");

        assertThat(withCopy.status()).isEqualTo(200);
        List<String> pricingAlone = hits(alone.body(), "Pricing");
        assertThat(pricingAlone).as("meaning hits of Pricing alone").anyMatch(hit -> hit.contains("offset -1"));
        assertThat(hits(withCopy.body(), "Pricing")).containsAll(pricingAlone);
        assertThat(hits(withCopy.body(), "Pricing v2")).containsAll(pricingAlone);
    }

    /** A tracker's hits as "message: phrase, offset, score" lines, sorted. */
    private static List<String> hits(JsonNode body, String tracker) {
        List<String> lines = new ArrayList<>();
        body.valueStream().filter(t -> t.get("name").asString().equals(tracker))
                .flatMap(t -> t.get("matches").valueStream())
                .forEach(match -> match.get("messageRefs").valueStream().forEach(ref -> lines.add(
                        ref.get("id").asString() + ": " + match.get("value").asString() + ", offset "
                                + ref.get("offset").asInt() + ", score " + ref.get("score").asDouble())));
        return lines.stream().sorted().toList();
    }

    private static JsonNode candidates(JsonNode explained, String messageId) {
        return explained.get("explanations").valueStream()
                .filter(e -> e.get("messageId").asString().equals(messageId)).findFirst().orElseThrow()
                .get("candidates");
    }

    private static JsonNode candidate(JsonNode candidates, String name) {
        return candidates.valueStream().filter(c -> c.get("name").asString().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not listed: " + candidates));
    }
}

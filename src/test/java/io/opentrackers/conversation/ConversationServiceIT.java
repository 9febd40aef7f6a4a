package io.opentrackers.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentrackers.TestApi;
import io.opentrackers.account.AccountId;
import io.opentrackers.common.NotFoundException;
import io.opentrackers.matching.MessageText;
import io.opentrackers.matching.TrackerHit;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** The conversation store as the streaming sessions and jobs use it, and its Conversation API. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConversationServiceIT {

    @LocalServerPort
    int port;

    @Autowired
    ConversationService conversations;

    @Test
    void storesSentenceMessagesAndHitsAndServesThemThroughTheConversationApi() {
        TestApi api = TestApi.newAccount("http://localhost:" + port);
        AccountId account = AccountId.parse(api.accountId());
        Conversation conversation = conversations.create(account, "Sales call", Conversation.SOURCE_STREAMING);

        Instant start = Instant.parse("2026-01-01T10:00:00Z");
        List<StoredMessage> stored = conversations.append(account, conversation.id(), List.of(
                new NewMessage("Hi. How much does it cost?", new Speaker("u1", "Ann"),
                        start, start.plusSeconds(10)),
                new NewMessage("Honestly we have no budget left", null, null, null)));

        assertThat(stored).extracting(StoredMessage::text)
                .containsExactly("Hi.", "How much does it cost?", "Honestly we have no budget left");
        assertThat(stored).extracting(StoredMessage::sequence).containsExactly(1, 2, 3);
        assertThat(stored).extracting(StoredMessage::sourceIndex).containsExactly(0, 0, 1);
        assertThat(stored.get(1).charStart()).isEqualTo(4);
        assertThat(stored.get(1).charEnd()).isEqualTo(26);
        // 10 s over 26 characters: the second sentence starts at character 4
        assertThat(stored.get(1).startTime()).isEqualTo(start.plusMillis(10_000L * 4 / 26));
        assertThat(stored.get(1).endTime()).isEqualTo(start.plusSeconds(10));
        assertThat(stored).extracting(StoredMessage::id).doesNotHaveDuplicates();

        List<StoredMessage> more = conversations.append(account, conversation.id(),
                List.of(new NewMessage("Let's talk next week.", null, null, null)));
        assertThat(more.get(0).sequence()).isEqualTo(4);
        assertThat(conversations.messages(account, conversation.id(), 4, 4)).containsExactly(more.get(0));

        TrackerHit budget = new TrackerHit(stored.get(2).id(), "t-money", "Money", "I don't have any money", -1,
                0.71234, 0, 31);
        TrackerHit price = new TrackerHit(stored.get(1).id(), "t-price", "Pricing", "does it cost", 10, 1.0, 10, 22);
        conversations.recordHits(account, conversation.id(), List.of(budget, price));
        conversations.recordHits(account, conversation.id(), List.of(budget)); // a retried job

        TestApi.Response trackers = api.get("/v1/conversations/" + conversation.id() + "/trackers");
        assertThat(trackers.status()).isEqualTo(200);
        JsonNode expected = TestApi.json("""
                [{"id":"t-price","name":"Pricing","matches":[{"type":"vocabulary","value":"does it cost",
                   "messageRefs":[{"id":"%s","text":"How much does it cost?","offset":10,"score":1.0,
                                   "start":10,"end":22,"from":{"userId":"u1","name":"Ann"}}],"insightRefs":[]}]},
                 {"id":"t-money","name":"Money","matches":[{"type":"vocabulary","value":"I don't have any money",
                   "messageRefs":[{"id":"%s","text":"Honestly we have no budget left","offset":-1,"score":0.7123,
                                   "start":0,"end":31}],"insightRefs":[]}]}]
                """.formatted(stored.get(1).id(), stored.get(2).id()));
        assertThat(trackers.body()).isEqualTo(expected);
        assertThat(api.get("/v1/conversations/" + conversation.id() + "/trackers-detected").body())
                .isEqualTo(expected);

        TestApi.Response messages = api.get("/v1/conversations/" + conversation.id() + "/messages");
        assertThat(messages.body().get("messages")).hasSize(4);
        JsonNode second = messages.body().get("messages").get(1);
        assertThat(second.get("id").asString()).isEqualTo(stored.get(1).id());
        assertThat(second.get("text").asString()).isEqualTo("How much does it cost?");
        assertThat(second.get("from").get("name").asString()).isEqualTo("Ann");
        assertThat(second.get("endTime").asString()).isEqualTo("2026-01-01T10:00:10Z");

        JsonNode view = api.get("/v1/conversations/" + conversation.id()).body();
        assertThat(view.get("name").asString()).isEqualTo("Sales call");
        assertThat(view.get("source").asString()).isEqualTo("streaming");
        assertThat(view.get("messageCount").asInt()).isEqualTo(4);
        assertThat(view.get("startTime").asString()).isEqualTo("2026-01-01T10:00:00Z");
    }

    @Test
    void anotherAccountsConversationIsNotFound() {
        TestApi owner = TestApi.newAccount("http://localhost:" + port);
        TestApi other = TestApi.newAccount("http://localhost:" + port);
        Conversation conversation = conversations.create(AccountId.parse(owner.accountId()), null,
                Conversation.SOURCE_ASYNC);
        AccountId otherAccount = AccountId.parse(other.accountId());

        assertThatThrownBy(() -> conversations.get(otherAccount, conversation.id()))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> conversations.append(otherAccount, conversation.id(),
                List.of(new NewMessage("hello", null, null, null)))).isInstanceOf(NotFoundException.class);
        for (String path : List.of("", "/messages", "/trackers", "/trackers-detected")) {
            TestApi.Response response = other.get("/v1/conversations/" + conversation.id() + path);
            assertThat(response.status()).as(path).isEqualTo(404);
            assertThat(response.body().get("message").asString()).contains(conversation.id());
        }
        assertThat(owner.get("/v1/conversations/" + conversation.id()).status()).isEqualTo(200);
        assertThat(owner.get("/v1/conversations/no-such-id/messages").status()).isEqualTo(404);
    }

    @Test
    void concurrentAppendsToOneConversationGetDistinctConsecutiveSequenceNumbers() throws Exception {
        TestApi owner = TestApi.newAccount("http://localhost:" + port);
        AccountId account = AccountId.parse(owner.accountId());
        Conversation conversation = conversations.create(account, null, Conversation.SOURCE_ASYNC);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<List<StoredMessage>>> appends = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String text = "Message " + i + " first sentence. And its second sentence.";
                appends.add(pool.submit(() -> conversations.append(account, conversation.id(),
                        List.of(new NewMessage(text, null, null, null)))));
            }
            for (var append : appends) {
                assertThat(append.get(30, java.util.concurrent.TimeUnit.SECONDS)).hasSize(2);
            }
        } finally {
            pool.shutdownNow();
        }
        List<StoredMessage> stored = conversations.messages(account, conversation.id(), 1, 40);
        assertThat(stored).extracting(StoredMessage::sequence)
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 40).boxed().toList());
        // each append's two sentences stay next to each other
        for (int i = 0; i < 40; i += 2) {
            assertThat(stored.get(i).text()).endsWith("first sentence.");
            assertThat(stored.get(i + 1).text()).isEqualTo("And its second sentence.");
        }
        assertThat(conversations.get(account, conversation.id()).messageCount()).isEqualTo(40);
    }

    /**
     * Issue 20: the messages of a 10,000-message conversation came back as one 1.5 MB answer. Pages of at most
     * 1,000 (the default without parameters), {@code next} to follow them, none on the last page.
     */
    @Test
    void messagesArePagedWithANextCursor() {
        TestApi api = TestApi.newAccount("http://localhost:" + port);
        AccountId account = AccountId.parse(api.accountId());
        Conversation conversation = conversations.create(account, null, Conversation.SOURCE_ASYNC);
        List<NewMessage> texts = java.util.stream.IntStream.range(0, 2_500)
                .mapToObj(i -> new NewMessage("Message number " + i, null, null, null)).toList();
        conversations.append(account, conversation.id(), texts);
        String path = "/v1/conversations/" + conversation.id() + "/messages";

        TestApi.Response first = api.get(path);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body().get("messages")).hasSize(1000);
        assertThat(first.body().get("messages").get(0).get("text").asString()).isEqualTo("Message number 0");
        assertThat(first.body().get("next").asInt()).isEqualTo(1000);

        List<String> read = new java.util.ArrayList<>();
        first.body().get("messages").forEach(message -> read.add(message.get("text").asString()));
        JsonNode page = first.body();
        int pages = 1;
        while (page.has("next")) {
            page = api.get(path + "?after=" + page.get("next").asInt()).body();
            page.get("messages").forEach(message -> read.add(message.get("text").asString()));
            pages++;
        }
        assertThat(pages).isEqualTo(3);
        assertThat(read).containsExactlyElementsOf(texts.stream().map(NewMessage::text).toList());

        JsonNode small = api.get(path + "?limit=2&after=2499").body();
        assertThat(small.get("messages")).hasSize(1);
        assertThat(small.get("messages").get(0).get("sequence").asInt()).isEqualTo(2500);
        assertThat(small.has("next")).isFalse();
        JsonNode exact = api.get(path + "?limit=500&after=2000").body();
        assertThat(exact.get("messages")).hasSize(500);
        assertThat(exact.has("next")).as("the last page ends exactly at the last message").isFalse();
        assertThat(api.get(path + "?after=2500").body().get("messages")).isEmpty();

        for (String bad : List.of("?limit=0", "?limit=1001", "?after=-1", "?limit=abc")) {
            TestApi.Response refused = api.get(path + bad);
            assertThat(refused.status()).as(bad).isEqualTo(400);
            assertThat(refused.body().get("errors").get(0).get("field").asString()).as(bad)
                    .isEqualTo(bad.substring(1, bad.indexOf('=')));
        }
    }

    /**
     * A job of one 760 KB message of 20,000 sentences grew the service to 4.4 GB and took a minute: each sentence went
     * to the matcher with its own copy of the whole message (20,000 copies), and the matcher, which derives what it
     * reads from a message once per text object, derived it for every sentence. The sentences of one message are
     * matched in one shared text of it.
     */
    @Test
    void theSentencesOfOneMessageAreMatchedInOneSharedCopyOfIt() {
        TestApi api = TestApi.newAccount("http://localhost:" + port);
        AccountId account = AccountId.parse(api.accountId());
        Conversation conversation = conversations.create(account, null, Conversation.SOURCE_ASYNC);
        String longMessage = java.util.stream.IntStream.range(0, 300)
                .mapToObj(i -> "Sentence number " + i + " is here.").collect(java.util.stream.Collectors.joining(" "));
        List<StoredMessage> stored = conversations.append(account, conversation.id(), List.of(
                new NewMessage(longMessage, null, null, null),
                new NewMessage("Another message. With two sentences.", null, null, null)));
        assertThat(stored).hasSize(302);

        List<MessageText> matched = conversations.toMatch(account, conversation.id(), stored, List.of());

        String whole = matched.get(0).source();
        assertThat(whole).isEqualTo(longMessage);
        assertThat(matched.subList(0, 300)).allSatisfy(sentence -> assertThat(sentence.source()).isSameAs(whole));
        assertThat(matched.get(300).source()).isEqualTo("Another message. With two sentences.")
                .isSameAs(matched.get(301).source());
    }
}

package io.opentrackers.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.common.FieldViolation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Message text follows the shared storable-text rule in every field a message stores. */
class MessageRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"x\u0000y", "x\uD800y", "\uDFFF"})
    void textThatCannotBeStoredIsRefusedNamingTheField(String bad) {
        List<FieldViolation> violations = new ArrayList<>();
        List<NewMessage> checked = MessageRules.check(List.of(
                new IncomingMessage("id " + bad, new IncomingMessage.Payload("hello " + bad, null),
                        new Speaker("user " + bad, "name " + bad), null, null)), violations);

        assertThat(checked).isEmpty();
        assertThat(violations).extracting(FieldViolation::field).containsExactly("messages[0].id",
                "messages[0].payload.content", "messages[0].from.userId", "messages[0].from.name");
        assertThat(violations).allSatisfy(violation ->
                assertThat(violation.message()).containsAnyOf("NUL character", "unpaired UTF-16 surrogate"));
    }

    /** A first guess at the message shape ({"text": ...}) is told where the text goes, not only that it is missing. */
    @Test
    void aMessageWithoutPayloadIsToldWhereItsTextGoes() {
        List<FieldViolation> violations = new ArrayList<>();
        MessageRules.check(List.of(new IncomingMessage(null, null, new Speaker("u1", "Ann"), null, null),
                new IncomingMessage(null, new IncomingMessage.Payload(" ", null), null, null, null)), violations);

        assertThat(violations).extracting(FieldViolation::describe).containsExactly(
                "messages[0].payload.content: is required: a message's text goes in {\"payload\": {\"content\": \"...\"}}",
                "messages[1].payload.content: is required and must not be blank");
    }

    @Test
    void pairedSurrogatesAreAccepted() {
        List<FieldViolation> violations = new ArrayList<>();
        List<NewMessage> checked = MessageRules.check(List.of(new IncomingMessage(null,
                new IncomingMessage.Payload("great \uD83D\uDE00", null), null, null, null)), violations);

        assertThat(violations).isEmpty();
        assertThat(checked).extracting(NewMessage::text).containsExactly("great \uD83D\uDE00");
    }

    @Test
    void aRoleIsAgentOrCustomerAndSpeakerRolesFillInMissingOnes() {
        List<FieldViolation> violations = new ArrayList<>();
        MessageRules.check(List.of(new IncomingMessage(null, new IncomingMessage.Payload("hi", null),
                new Speaker("u1", "Ann", "manager"), null, null)), violations);
        MessageRules.checkSpeakerRoles("speakerRoles", java.util.Map.of("Bob", "boss"), violations);
        assertThat(violations).extracting(FieldViolation::describe).containsExactly(
                "messages[0].from.role: must be agent or customer, was 'manager'",
                "speakerRoles.Bob: must be agent or customer, was 'boss'");

        List<NewMessage> messages = MessageRules.check(List.of(
                new IncomingMessage(null, new IncomingMessage.Payload("a", null), new Speaker("u1", "Ann"), null, null),
                new IncomingMessage(null, new IncomingMessage.Payload("b", null), new Speaker(null, "Bob"), null, null),
                new IncomingMessage(null, new IncomingMessage.Payload("c", null), new Speaker("u1", "Ann", "customer"),
                        null, null),
                new IncomingMessage(null, new IncomingMessage.Payload("d", null), new Speaker(null, null, "agent"),
                        null, null)));
        List<NewMessage> roled = MessageRules.applyRoles(messages, java.util.Map.of("u1", "agent", "Bob", "customer",
                "Ann", "customer"));
        // by userId before name; a message's own role wins; a role alone is a speaker too
        assertThat(roled).extracting(m -> m.from().role()).containsExactly("agent", "customer", "customer", "agent");
    }

    /**
     * A first-time user's call: WebVTT cues {@code <v Agent>} and JSON messages from "Customer" had no role, so
     * {@code speaker: agent} trackers never fired on them and analytics counted the whole call as unknown.
     */
    @Test
    void aSpeakerNamedAgentOrCustomerHasThatRoleUnlessOneIsGiven() {
        List<NewMessage> messages = MessageRules.check(List.of(said(new Speaker(null, "Agent")),
                said(new Speaker("u7", " CUSTOMER ")), said(new Speaker(null, "customer", "agent")),
                said(new Speaker(null, "Agent Smith")), said(new Speaker(null, "Rep")), said(new Speaker("agent", null)),
                said(new Speaker(null, "Agent"))));

        assertThat(MessageRules.applyRoles(messages, null)).extracting(m -> m.from().role())
                .containsExactly("agent", "customer", "agent", null, null, null, "agent");
        // a role speakerRoles gives wins over the one a name is, as the message's own role wins over both
        assertThat(MessageRules.applyRoles(messages, java.util.Map.of("Agent", "customer", "Rep", "agent")))
                .extracting(m -> m.from().role())
                .containsExactly("customer", "customer", "agent", null, "agent", null, "customer");
    }

    private static IncomingMessage said(Speaker from) {
        return new IncomingMessage(null, new IncomingMessage.Payload("hello", null), from, null, null);
    }
}

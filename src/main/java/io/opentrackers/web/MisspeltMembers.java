package io.opentrackers.web;

import io.opentrackers.common.Misspellings;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.deser.DeserializationProblemHandler;

/**
 * Refuses a JSON member that is a typo ({@link Misspellings}) of a member its object takes, in every body Jackson
 * binds (jobs, {@code /v1/match}, accounts, tokens, streaming frames): {@code {"webhookURL": ...}} on a job was
 * dropped as unknown and the job ran without its webhook, with a 202. Every other unknown member is left to Jackson,
 * which ignores it (Symbl's clients send many we do not read). Members of objects read as a JSON tree (trackers,
 * examples) are checked where they are read, by the same rule.
 */
final class MisspeltMembers extends DeserializationProblemHandler {

    /** Per deserializer (Jackson keeps one per type): the members its objects take. */
    private final Map<ValueDeserializer<?>, Misspellings> taken = new ConcurrentHashMap<>();

    @Override
    public boolean handleUnknownProperty(DeserializationContext context, JsonParser parser,
            ValueDeserializer<?> deserializer, Object beanOrClass, String member) {
        Collection<Object> known = deserializer == null ? null : deserializer.getKnownPropertyNames();
        if (known == null || known.isEmpty()) {
            return false;
        }
        String meant = taken.computeIfAbsent(deserializer,
                d -> Misspellings.of(known.stream().map(Objects::toString).toList())).meant(member);
        if (meant != null) {
            throw new Misspellings.MisspeltMember(parser, beanOrClass, member, meant, known);
        }
        return false; // not handled: Jackson ignores it, as any unknown member
    }
}

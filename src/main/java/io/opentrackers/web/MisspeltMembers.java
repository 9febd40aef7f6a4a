package io.opentrackers.web;

import io.opentrackers.common.FieldViolation;
import io.opentrackers.common.Misspellings;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.cfg.MapperBuilder;
import tools.jackson.databind.deser.DeserializationProblemHandler;
import tools.jackson.databind.deser.ValueDeserializerModifier;
import tools.jackson.databind.deser.std.DelegatingDeserializer;
import tools.jackson.databind.jsontype.TypeDeserializer;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.ArrayType;
import tools.jackson.databind.type.CollectionType;
import tools.jackson.databind.type.MapType;

/**
 * Refuses the JSON members that are typos ({@link Misspellings}) of members their objects take, in every body Jackson
 * binds (jobs, {@code /v1/match}, accounts, tokens, streaming frames): {@code {"webhookURL": ...}} on a job was
 * dropped as unknown and the job ran without its webhook, with a 202. Every other unknown member is left to Jackson,
 * which ignores it (Symbl's clients send many we do not read). Members of objects read as a JSON tree (trackers,
 * examples, patches) are checked where they are read, by the same rule.
 *
 * <p>Every typo of a document is named in one answer, as the tree readers name them: a typo is noted with its path
 * and skipped, and when the document's value has been read (the outermost object or array ends), the typos noted
 * are thrown as one {@link Misspellings.MisspeltMembers}. Until 2026-11-28 the first typo stopped the reading, so a
 * body with two was refused twice, one name at a time.
 *
 * <p>A typo's path is its object's path and its name. The object's path is taken when Jackson starts reading the
 * object, from the parser's contexts (where it is in the document): Jackson reads the unknown members of a record
 * only once the record is built, from a copy whose contexts no longer say where they were.
 */
final class MisspeltMembers extends DeserializationProblemHandler {

    /** The per-call attribute holding the typos of the document being read. */
    private static final Object FOUND = MisspeltMembers.class;
    /** The per-call attribute holding the paths of the objects being read, innermost first. */
    private static final Object OBJECTS = ThrowingAtTheEnd.class;

    /** Per deserializer (Jackson keeps one per type): the members its objects take. */
    private final Map<ValueDeserializer<?>, Misspellings> taken = new ConcurrentHashMap<>();

    /** Registers the rule on a mapper: this handler notes the typos, the module's deserializers throw them. */
    static <B extends MapperBuilder<?, B>> B on(B builder) {
        return builder.addHandler(new MisspeltMembers()).addModule(new SimpleModule("misspelt-members")
                .setDeserializerModifier(new ThrownAtTheEnd()));
    }

    @Override
    public boolean handleUnknownProperty(DeserializationContext context, JsonParser parser,
            ValueDeserializer<?> deserializer, Object beanOrClass, String member) {
        Collection<Object> known = deserializer == null ? null : deserializer.getKnownPropertyNames();
        if (known == null || known.isEmpty()) {
            return false;
        }
        String meant = taken.computeIfAbsent(deserializer,
                d -> Misspellings.of(known.stream().map(Objects::toString).toList())).meant(member);
        if (meant == null) {
            return false; // not handled: Jackson ignores it, as any unknown member
        }
        @SuppressWarnings("unchecked")
        List<FieldViolation> found = (List<FieldViolation>) context.getAttribute(FOUND);
        if (found == null) {
            found = new ArrayList<>();
            context.setAttribute(FOUND, found);
        }
        // all of them (the problem lists the first InvalidInputException.MAX_LISTED and counts the rest): the body's
        // size limit bounds how many one document holds
        found.add(FieldViolation.of(memberPath(context, parser, member), Misspellings.reason(meant)));
        parser.skipChildren();
        return true;
    }

    /** The path of a member of the object being read ({@code messages[2].from.userid}). */
    private static String memberPath(DeserializationContext context, JsonParser parser, String member) {
        String object = context.getAttribute(OBJECTS) instanceof Deque<?> objects && !objects.isEmpty()
                ? (String) objects.peek() : valuePath(parser);
        return object.isEmpty() ? member : object + "." + member;
    }

    /**
     * Where the value the parser is at starts in the document, as {@code JsonPaths} names the field of any Jackson
     * error: at the start of an object or array (or a member's name in it), the parser is already in the value's own
     * context, which its parent's name or index names.
     */
    private static String valuePath(JsonParser parser) {
        TokenStreamContext context = parser.streamReadContext();
        boolean inside = parser.hasToken(JsonToken.START_OBJECT)
                || parser.hasToken(JsonToken.START_ARRAY)
                || parser.hasToken(JsonToken.PROPERTY_NAME);
        return path(inside && context != null ? context.getParent() : context);
    }

    private static String path(TokenStreamContext context) {
        Deque<String> segments = new ArrayDeque<>();
        for (TokenStreamContext at = context; at != null && !at.inRoot(); at = at.getParent()) {
            if (at.inArray()) {
                segments.push("[" + Math.max(at.getCurrentIndex(), 0) + "]");
            } else if (at.currentName() != null) {
                segments.push(at.currentName());
            }
        }
        StringBuilder path = new StringBuilder();
        for (String segment : segments) {
            if (!path.isEmpty() && !segment.startsWith("[")) {
                path.append('.');
            }
            path.append(segment);
        }
        return path.toString();
    }

    /**
     * Wraps the deserializers of objects, lists, arrays and maps (whatever a document's outermost value may be), so
     * that the one that read the whole document throws the typos noted in it.
     */
    private static final class ThrownAtTheEnd extends ValueDeserializerModifier {

        @Override
        public ValueDeserializer<?> modifyDeserializer(DeserializationConfig config,
                BeanDescription.Supplier description, ValueDeserializer<?> deserializer) {
            return new ThrowingAtTheEnd(deserializer);
        }

        @Override
        public ValueDeserializer<?> modifyCollectionDeserializer(DeserializationConfig config, CollectionType type,
                BeanDescription.Supplier description, ValueDeserializer<?> deserializer) {
            return new ThrowingAtTheEnd(deserializer);
        }

        @Override
        public ValueDeserializer<?> modifyArrayDeserializer(DeserializationConfig config, ArrayType type,
                BeanDescription.Supplier description, ValueDeserializer<?> deserializer) {
            return new ThrowingAtTheEnd(deserializer);
        }

        @Override
        public ValueDeserializer<?> modifyMapDeserializer(DeserializationConfig config, MapType type,
                BeanDescription.Supplier description, ValueDeserializer<?> deserializer) {
            return new ThrowingAtTheEnd(deserializer);
        }
    }

    private static final class ThrowingAtTheEnd extends DelegatingDeserializer {

        ThrowingAtTheEnd(ValueDeserializer<?> delegate) {
            super(delegate);
        }

        @Override
        protected ValueDeserializer<?> newDelegatingInstance(ValueDeserializer<?> delegate) {
            return new ThrowingAtTheEnd(delegate);
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) {
            Deque<String> objects = entered(parser, context);
            try {
                return thrownAtTheEnd(parser, context, super.deserialize(parser, context));
            } finally {
                objects.pop();
            }
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context, Object intoValue) {
            Deque<String> objects = entered(parser, context);
            try {
                return thrownAtTheEnd(parser, context, super.deserialize(parser, context, intoValue));
            } finally {
                objects.pop();
            }
        }

        @Override
        public Object deserializeWithType(JsonParser parser, DeserializationContext context,
                TypeDeserializer typeDeserializer) {
            Deque<String> objects = entered(parser, context);
            try {
                return thrownAtTheEnd(parser, context, super.deserializeWithType(parser, context, typeDeserializer));
            } finally {
                objects.pop();
            }
        }

        /** Notes the path of the value about to be read, until it is read. */
        private static Deque<String> entered(JsonParser parser, DeserializationContext context) {
            @SuppressWarnings("unchecked")
            Deque<String> objects = (Deque<String>) context.getAttribute(OBJECTS);
            if (objects == null) {
                objects = new ArrayDeque<>();
                context.setAttribute(OBJECTS, objects);
            }
            objects.push(valuePath(parser));
            return objects;
        }

        /** The value read, unless it was the document's outermost one and typos were noted in it. */
        private static Object thrownAtTheEnd(JsonParser parser, DeserializationContext context, Object value) {
            if (parser.streamReadContext().inRoot() && context.getAttribute(FOUND) instanceof List<?> found
                    && !found.isEmpty()) {
                @SuppressWarnings("unchecked")
                List<FieldViolation> typos = (List<FieldViolation>) found;
                throw new Misspellings.MisspeltMembers(parser, typos);
            }
            return value;
        }
    }
}

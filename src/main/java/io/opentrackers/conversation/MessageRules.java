package io.opentrackers.conversation;

import io.opentrackers.common.FieldViolation;
import io.opentrackers.common.InvalidInputException;
import io.opentrackers.common.StorableText;
import io.opentrackers.common.TextForms;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules for messages, the same for {@code POST /v1/match}, the Async API and streaming {@code message_request}s
 * (each entry point only adds how many messages one request may carry). Every violation is reported at once, each
 * naming its field ({@code messages[2].payload.content}).
 */
public final class MessageRules {

    /** Longest speaker {@code userId} or {@code name}. */
    public static final int MAX_SPEAKER = 256;
    /** Longest client message id. */
    public static final int MAX_ID = 256;
    /** The roles a speaker can have (api.md "Tracker fields beyond Symbl"). */
    public static final List<String> ROLES = List.of("agent", "customer");
    /** Most entries of a request's {@code speakerRoles}. */
    public static final int MAX_SPEAKER_ROLES = 1000;
    /** Longest conversation name: a job's {@code name}, a stream's {@code config.meetingTitle}. */
    public static final int MAX_CONVERSATION_NAME = 256;
    /**
     * Times are stored as PostgreSQL timestamps, whose range ends in the year 294276; ISO-8601 allows far more.
     * Real conversations lie well inside these years.
     */
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    private MessageRules() {
    }

    /**
     * Checks {@code messages} (the field {@code messages} of a request), adding every violation to
     * {@code violations}; returns the messages in request order when none was found.
     */
    public static List<NewMessage> check(List<IncomingMessage> messages, List<FieldViolation> violations) {
        return check("messages", messages, violations);
    }

    /** {@link #check(List, List)} for messages that a request carries in another field (a transcript's cues). */
    public static List<NewMessage> check(String field, List<IncomingMessage> messages,
            List<FieldViolation> violations) {
        if (messages == null || messages.isEmpty()) {
            violations.add(FieldViolation.of(field, "at least one message is required"));
            return List.of();
        }
        int before = violations.size();
        List<NewMessage> checked = new ArrayList<>(messages.size());
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < messages.size(); i++) {
            NewMessage message = check(field + "[" + i + "]", messages.get(i), ids, violations);
            if (message != null) {
                checked.add(message);
            }
        }
        return violations.size() > before ? List.of() : checked;
    }

    /** {@link #check(List, List)} for a request that has no other fields to check. */
    public static List<NewMessage> check(List<IncomingMessage> messages) {
        List<FieldViolation> violations = new ArrayList<>();
        List<NewMessage> checked = check(messages, violations);
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        return checked;
    }

    /** The name a conversation is stored with (optional), at {@code field}: short enough and storable. */
    public static void checkConversationName(String field, String name, List<FieldViolation> violations) {
        checkText(field, name, MAX_CONVERSATION_NAME, violations);
    }

    /** A speaker object ({@code from}, or a stream's default {@code speaker}) at {@code field}. */
    public static void checkSpeaker(String field, Speaker speaker, List<FieldViolation> violations) {
        if (speaker == null) {
            return;
        }
        checkText(field + ".userId", speaker.userId(), MAX_SPEAKER, violations);
        checkText(field + ".name", speaker.name(), MAX_SPEAKER, violations);
        checkRole(field + ".role", speaker.role(), violations);
    }

    /**
     * A request's {@code speakerRoles}: which role each speaker has, by {@code from.userId} or {@code from.name},
     * for clients whose messages name their speakers but carry no {@code from.role}. Keys are speaker ids or names
     * (the rules of {@code from.userId}), values {@code agent} or {@code customer}.
     */
    public static void checkSpeakerRoles(String field, Map<String, String> roles, List<FieldViolation> violations) {
        if (roles == null) {
            return;
        }
        if (roles.size() > MAX_SPEAKER_ROLES) {
            violations.add(FieldViolation.of(field, "at most " + MAX_SPEAKER_ROLES + " speakers, got " + roles.size()));
            return;
        }
        roles.forEach((speaker, role) -> {
            String entry = field + "." + speaker;
            if (speaker.isBlank()) {
                violations.add(FieldViolation.of(field, "a speaker id or name must not be blank"));
            } else if (speaker.length() > MAX_SPEAKER) {
                violations.add(FieldViolation.of(field, "speaker ids and names have at most " + MAX_SPEAKER
                        + " characters"));
            } else if (StorableText.check(field, speaker, violations)) {
                if (role == null) {
                    violations.add(FieldViolation.of(entry, "must be agent or customer, was null"));
                } else {
                    checkRole(entry, role, violations);
                }
            }
        });
    }

    /**
     * Gives each message without a role of its own its speaker's role: the one {@code speakerRoles} assigns (by
     * {@code userId} first, then by {@code name}), else the one its speaker is named after ({@link #roleNamedBy}).
     * {@code speakerRoles} must have been checked.
     */
    public static List<NewMessage> applyRoles(List<NewMessage> messages, Map<String, String> speakerRoles) {
        return messages.stream().map(m -> new NewMessage(m.text(), withRole(m.from(), speakerRoles), m.startTime(),
                m.endTime())).toList();
    }

    /**
     * The speaker with its role: its own {@code role} always wins; without one, the role {@code speakerRoles}
     * gives its {@code userId}, then its {@code name}; without those, the role it is named after. The one rule
     * for every entry point: jobs (JSON and transcripts), appends, {@code /v1/match} and streams.
     */
    public static Speaker withRole(Speaker speaker, Map<String, String> speakerRoles) {
        if (speaker == null || speaker.role() != null) {
            return speaker;
        }
        String role = null;
        if (speakerRoles != null) {
            role = speaker.userId() == null ? null : speakerRoles.get(speaker.userId());
            if (role == null && speaker.name() != null) {
                role = speakerRoles.get(speaker.name());
            }
        }
        return speaker.withRoleIfNone(role != null ? role : roleNamedBy(speaker.name()));
    }

    /**
     * The role a speaker's name is, in any case: "Agent" or "Customer", as call-centre transcripts label their two
     * sides ({@code <v Agent>}, {@code Customer: ...}) and the management UI's pasted conversations do. Only the
     * role's own word: a name merely containing it ("Agent Smith") or another label ("Rep", "Caller") is a
     * speaker's name, whose role {@code speakerRoles} declares.
     */
    static String roleNamedBy(String name) {
        if (name == null) {
            return null;
        }
        String trimmed = name.strip();
        return ROLES.stream().filter(trimmed::equalsIgnoreCase).findFirst().orElse(null);
    }

    private static void checkRole(String field, String role, List<FieldViolation> violations) {
        if (role != null && !ROLES.contains(role)) {
            violations.add(FieldViolation.of(field, "must be agent or customer, was '"
                    + (role.length() > 40 ? role.substring(0, 37) + "..." : role) + "'"));
        }
    }

    private static NewMessage check(String field, IncomingMessage message, Set<String> ids,
            List<FieldViolation> violations) {
        if (message == null) {
            violations.add(FieldViolation.of(field, "must be a message object"));
            return null;
        }
        int before = violations.size();
        if (message.id() != null) {
            if (message.id().isBlank()) {
                violations.add(FieldViolation.of(field + ".id", "must not be blank when given"));
            } else if (!ids.add(message.id())) {
                violations.add(FieldViolation.of(field + ".id", "'" + message.id() + "' is used by an earlier message"));
            } else {
                checkText(field + ".id", message.id(), MAX_ID, violations);
            }
        }
        IncomingMessage.Payload payload = message.payload();
        if (payload == null) {
            // {"text": "..."} or {"content": "..."} is a common first guess, and such members are ignored like the
            // other unknown ones Symbl's clients send: the reason shows where the text goes
            violations.add(FieldViolation.of(field + ".payload.content", "is required: a message's text goes in "
                    + "{\"payload\": {\"content\": \"...\"}}"));
        } else if (payload.content() == null || TextForms.isBlank(payload.content())) {
            violations.add(FieldViolation.of(field + ".payload.content", "is required and must not be blank"));
        } else {
            checkText(field + ".payload.content", payload.content(), Integer.MAX_VALUE, violations);
            if (payload.contentType() != null && !payload.contentType().equalsIgnoreCase("text/plain")) {
                violations.add(FieldViolation.of(field + ".payload.contentType",
                        "only text/plain is supported, got '" + payload.contentType() + "'"));
            }
        }
        checkSpeaker(field + ".from", message.from(), violations);
        Instant start = null;
        Instant end = null;
        if (message.duration() != null) {
            start = time(field + ".duration.startTime", message.duration().startTime(), violations);
            end = time(field + ".duration.endTime", message.duration().endTime(), violations);
            if (start != null && end != null && end.isBefore(start)) {
                violations.add(FieldViolation.of(field + ".duration.endTime", "must not be before startTime"));
            }
        }
        if (violations.size() > before) {
            return null;
        }
        Speaker from = message.from();
        return new NewMessage(payload.content(),
                from == null || (from.userId() == null && from.name() == null && from.role() == null) ? null : from,
                start, end);
    }

    /** Text is stored, so it must be storable ({@link StorableText}) as well as short enough. */
    private static void checkText(String field, String value, int maxLength, List<FieldViolation> violations) {
        if (value == null) {
            return;
        }
        if (value.length() > maxLength) {
            violations.add(FieldViolation.of(field, "at most " + maxLength + " characters"));
        } else {
            StorableText.check(field, value, violations);
        }
    }

    private static Instant time(String field, String value, List<FieldViolation> violations) {
        if (value == null) {
            return null;
        }
        try {
            Instant time = OffsetDateTime.parse(value).toInstant();
            if (time.isBefore(EARLIEST) || time.isAfter(LATEST)) {
                violations.add(FieldViolation.of(field, "must lie between the years 1 and 9999, got '" + value + "'"));
                return null;
            }
            return time;
        } catch (DateTimeParseException e) {
            violations.add(FieldViolation.of(field, "must be an ISO-8601 date-time such as "
                    + "2026-01-31T10:15:30Z, got '" + value + "'"));
            return null;
        }
    }
}

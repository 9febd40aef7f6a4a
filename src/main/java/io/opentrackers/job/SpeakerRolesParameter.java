package io.opentrackers.job;

import io.opentrackers.common.FieldViolation;
import io.opentrackers.conversation.MessageRules;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A transcript upload's {@code speakerRoles} query parameter: the JSON body's {@code speakerRoles} map for a body
 * that is a WebVTT or SRT file. Written {@code Ann Lee:agent,Bob:customer} (entries split at commas, each name
 * running to its entry's last colon), or as the JSON body's object, {@code {"Lee, Ann": "agent"}}, for a name
 * holding a comma. Its entries are then checked by the rules of the JSON field ({@link MessageRules}).
 */
final class SpeakerRolesParameter {

    static final String FIELD = "speakerRoles";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SpeakerRolesParameter() {
    }

    /** The roles by speaker, or null without the parameter; a violation of its form or entries is added. */
    static Map<String, String> parse(String value, List<FieldViolation> violations) {
        if (value == null) {
            return null;
        }
        int before = violations.size();
        Map<String, String> roles = value.strip().startsWith("{") ? json(value, violations) : listed(value, violations);
        if (violations.size() == before) {
            MessageRules.checkSpeakerRoles(FIELD, roles, violations);
        }
        return violations.size() == before ? roles : null;
    }

    private static Map<String, String> listed(String value, List<FieldViolation> violations) {
        Map<String, String> roles = new LinkedHashMap<>();
        if (value.isBlank()) {
            violations.add(FieldViolation.of(FIELD, "must name at least one speaker, as Name:agent or Name:customer "
                    + "(Ann Lee:agent,Bob:customer); leave it out to give no roles"));
            return roles;
        }
        for (String entry : value.split(",", -1)) {
            int colon = entry.lastIndexOf(':');
            if (colon < 0) {
                violations.add(FieldViolation.of(FIELD, "'" + abbreviate(entry.strip()) + "' must be Name:agent or "
                        + "Name:customer; speakers are separated by commas (Ann Lee:agent,Bob:customer)"));
                continue;
            }
            put(roles, entry.substring(0, colon).strip(), entry.substring(colon + 1).strip(), violations);
        }
        return roles;
    }

    private static Map<String, String> json(String value, List<FieldViolation> violations) {
        Map<String, String> roles = new LinkedHashMap<>();
        JsonNode object;
        try {
            object = JSON.readTree(value);
        } catch (JacksonException e) {
            object = null;
        }
        if (object == null || !object.isObject()) {
            violations.add(FieldViolation.of(FIELD, "starts with '{' but is not a JSON object of speaker names and "
                    + "roles, such as {\"Lee, Ann\":\"agent\"}"));
            return roles;
        }
        object.properties().forEach(entry -> {
            if (entry.getValue().isString()) {
                put(roles, entry.getKey(), entry.getValue().asString(), violations);
            } else {
                violations.add(FieldViolation.of(FIELD + "." + entry.getKey(), "must be agent or customer, was "
                        + abbreviate(entry.getValue().toString())));
            }
        });
        return roles;
    }

    private static void put(Map<String, String> roles, String speaker, String role, List<FieldViolation> violations) {
        if (roles.putIfAbsent(speaker, role) != null) {
            violations.add(FieldViolation.of(FIELD, "'" + abbreviate(speaker) + "' is named more than once"));
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 40 ? text.substring(0, 37) + "..." : text;
    }
}

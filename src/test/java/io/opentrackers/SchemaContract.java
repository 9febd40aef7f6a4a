package io.opentrackers;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.path.PathType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The schemas of an API document (OpenAPI or AsyncAPI) read as a generated client reads them, for tests that check
 * what the service sends against what the document promises. Mismatches are collected, not thrown, so that one run
 * lists them all.
 * <p>
 * Schemas are read closed: an object schema with {@code properties} and no {@code additionalProperties} admits no
 * other member. That is how openapi-generator reads them by default ({@code disallowAdditionalPropertiesIfNotPresent}),
 * and some of its clients (Java okhttp-gson) refuse an answer with an undocumented member outright; the others drop
 * it, so a client never sees it either way. Formats ({@code date-time}, {@code uri}, {@code int32} …) are asserted,
 * as the typed clients parse them.
 */
public final class SchemaContract {

    private final JsonNode document;
    private final String base;
    private final List<String> schemaPointers;
    private final SchemaRegistry registry;
    private final Map<String, Schema> schemas = new HashMap<>();
    private final Set<String> mismatches = new LinkedHashSet<>();
    private final Set<String> optionalMembers = new TreeSet<>();
    private final Set<String> optionalMembersLeftOut = new TreeSet<>();
    private final Set<String> optionalMembersSent = new TreeSet<>();

    /**
     * @param base    the URI the document is known by inside the validator (any absolute URI)
     * @param dialect the JSON Schema dialect of the document's schemas
     * @param roots   JSON pointers of the document's top-level schemas; the schemas inside them are found here
     */
    public SchemaContract(JsonNode document, String base, Dialect dialect, List<String> roots) {
        this.document = document;
        this.base = base;
        this.schemaPointers = new ArrayList<>();
        roots.forEach(root -> nested(root, schemaPointers));
        JsonNode closed = document.deepCopy();
        for (String pointer : schemaPointers) {
            // a schema that says whether other members are allowed is left as it is
            JsonNode schema = closed.at(pointer);
            if (schema.has("properties") && !schema.has("additionalProperties")) {
                ((ObjectNode) schema).put("additionalProperties", false);
            }
        }
        String closedText = JsonMapper.builder().build().writeValueAsString(closed);
        this.registry = SchemaRegistry.withDefaultDialect(dialect, builder -> builder
                .schemas(Map.of(base, closedText))
                .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true)
                        .pathType(PathType.JSON_POINTER).build()));
    }

    /** Every schema of the document, top-level or inside one, as JSON pointers. */
    public List<String> schemaPointers() {
        return schemaPointers;
    }

    /** Every mismatch found so far, one line each: where, JSON path, reason. */
    public List<String> mismatches() {
        return List.copyOf(mismatches);
    }

    /** Notes a mismatch found by the caller (an undocumented status, frame type …). */
    public void mismatch(String line) {
        mismatches.add(line);
    }

    /**
     * "Schema.member" of every member that a named schema of an observed value does not require. A member is only
     * known to be optional in practice once a value left it out ({@link #optionalMembersLeftOut}); one that no value
     * left out is either always sent (and should be required) or in a state the values never showed.
     */
    public Set<String> optionalMembers() {
        return optionalMembers;
    }

    /** "Schema.member" of every optional member that at least one observed value left out. */
    public Set<String> optionalMembersLeftOut() {
        return optionalMembersLeftOut;
    }

    /**
     * "Schema.member" of every optional member that at least one observed value had, other than null: only then was
     * its value checked against its schema. One that no value had is in a state the values never showed.
     */
    public Set<String> optionalMembersSent() {
        return optionalMembersSent;
    }

    /** Checks {@code value} against the schema at {@code schemaPointer}; {@code where} opens each mismatch. */
    public void validate(String where, String schemaPointer, JsonNode value) {
        Schema schema = schemas.computeIfAbsent(schemaPointer,
                pointer -> registry.getSchema(SchemaLocation.of(base + "#" + pointer)));
        for (Error error : schema.validate(value)) {
            String at = error.getInstanceLocation().toString();
            mismatches.add(where + " " + (at.isEmpty() ? "/" : at) + ": " + error.getMessage() + " ["
                    + error.getKeyword() + " at " + error.getSchemaLocation().getFragment() + "]");
        }
    }

    /** Notes which optional members of the named schemas along {@code value} it has and which it lacks. */
    public void observe(String schemaPointer, JsonNode value) {
        observe(document.at(schemaPointer), value, null);
    }

    /**
     * Follows references, the {@code oneOf} alternative of the value's JSON type, array items, properties and map
     * values.
     *
     * @param name the component name of {@code schema}, null for an inline schema (not tracked)
     */
    private void observe(JsonNode schema, JsonNode value, String name) {
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asString();
            observe(document.at(ref.substring(1)), value, ref.substring(ref.lastIndexOf('/') + 1));
            return;
        }
        for (JsonNode alternative : schema.path("oneOf")) {
            if (admits(alternative, value)) {
                observe(alternative, value, null);
            }
        }
        if (value.isArray() && schema.has("items")) {
            value.forEach(item -> observe(schema.get("items"), item, null));
        }
        if (!value.isObject()) {
            return;
        }
        Set<String> required = new LinkedHashSet<>();
        schema.path("required").forEach(member -> required.add(member.asString()));
        schema.path("properties").properties().forEach(property -> {
            String member = property.getKey();
            if (name != null && !required.contains(member)) {
                optionalMembers.add(name + "." + member);
                if (!value.has(member)) {
                    optionalMembersLeftOut.add(name + "." + member);
                } else if (!value.get(member).isNull()) {
                    optionalMembersSent.add(name + "." + member);
                }
            }
            if (value.has(member)) {
                observe(property.getValue(), value.get(member), null);
            }
        });
        if (schema.path("additionalProperties").isObject()) {
            value.values().forEach(member -> observe(schema.get("additionalProperties"), member, null));
        }
    }

    /** Whether {@code value} is an array or object that {@code schema} admits; null and scalars hold no members. */
    private boolean admits(JsonNode schema, JsonNode value) {
        JsonNode resolved = schema.has("$ref") ? document.at(schema.get("$ref").asString().substring(1)) : schema;
        Set<String> types = new TreeSet<>();
        JsonNode type = resolved.path("type");
        if (type.isArray()) {
            type.forEach(each -> types.add(each.asString()));
        } else if (type.isString()) {
            types.add(type.asString());
        }
        if (resolved.has("properties")) {
            types.add("object");
        }
        return value.isArray() && types.contains("array") || value.isObject() && types.contains("object");
    }

    private void nested(String pointer, List<String> pointers) {
        JsonNode schema = document.at(pointer);
        if (!schema.isObject()) {
            return;
        }
        pointers.add(pointer);
        schema.path("properties").properties()
                .forEach(property -> nested(pointer + "/properties/" + escape(property.getKey()), pointers));
        for (String single : List.of("items", "additionalProperties", "not")) {
            nested(pointer + "/" + single, pointers);
        }
        for (String list : List.of("oneOf", "anyOf", "allOf", "prefixItems")) {
            for (int i = 0; i < schema.path(list).size(); i++) {
                nested(pointer + "/" + list + "/" + i, pointers);
            }
        }
    }

    /** A member name as a JSON pointer segment. */
    public static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}

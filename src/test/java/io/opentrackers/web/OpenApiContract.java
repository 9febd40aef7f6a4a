package io.opentrackers.web;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.path.PathType;
import io.opentrackers.ServiceClient.Reply;
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
 * The OpenAPI document read as a generated client reads it: each answer of the service is checked against the schema
 * the document gives its operation, status and media type, and each example against the schema it illustrates.
 * Mismatches are collected, not thrown, so that one run lists them all.
 * <p>
 * Schemas are read closed: an object schema with {@code properties} and no {@code additionalProperties} admits no
 * other member. That is how openapi-generator reads them by default ({@code disallowAdditionalPropertiesIfNotPresent}),
 * and some of its clients (Java okhttp-gson) refuse an answer with an undocumented member outright; the others drop
 * it, so a client never sees it either way. Formats ({@code date-time}, {@code uri}, {@code int32} …) are asserted,
 * as the typed clients parse them.
 */
final class OpenApiContract {

    private static final String BASE = "https://opentrackers.test/v3/api-docs";
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

    private final JsonNode document;
    private final SchemaRegistry registry;
    private final Map<String, Schema> schemas = new HashMap<>();
    private final Set<String> mismatches = new LinkedHashSet<>();
    private final Set<String> exercised = new TreeSet<>();
    private final Set<String> optionalMembers = new TreeSet<>();
    private final Set<String> optionalMembersLeftOut = new TreeSet<>();
    private int checkedAnswers;
    private int checkedExamples;

    OpenApiContract(String documentText) {
        JsonMapper json = JsonMapper.builder().build();
        this.document = json.readTree(documentText);
        JsonNode closed = document.deepCopy();
        for (String pointer : schemas(closed)) {
            // a schema that says whether other members are allowed is left as it is
            JsonNode schema = closed.at(pointer);
            if (schema.has("properties") && !schema.has("additionalProperties")) {
                ((ObjectNode) schema).put("additionalProperties", false);
            }
        }
        String closedText = json.writeValueAsString(closed);
        this.registry = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi31(), builder -> builder
                .schemas(Map.of(BASE, closedText))
                .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true)
                        .pathType(PathType.JSON_POINTER).build()));
    }

    /** Every mismatch found so far, one line each: where (operation, status or example), JSON path, reason. */
    List<String> mismatches() {
        return List.copyOf(mismatches);
    }

    /** "METHOD /template status" of every answer checked. */
    Set<String> exercised() {
        return exercised;
    }

    int checkedAnswers() {
        return checkedAnswers;
    }

    int checkedExamples() {
        return checkedExamples;
    }

    /**
     * "Schema.member" of every member that a named schema of a checked answer does not require. A member is only
     * known to be optional in practice once an answer left it out ({@link #optionalMembersLeftOut}); one that no
     * answer left out is either always sent (and should be required) or in a state the answers never showed.
     */
    Set<String> optionalMembers() {
        return optionalMembers;
    }

    /** "Schema.member" of every optional member that at least one checked answer left out. */
    Set<String> optionalMembersLeftOut() {
        return optionalMembersLeftOut;
    }

    /** Every "METHOD /template" the document lists. */
    Set<String> operations() {
        Set<String> operations = new TreeSet<>();
        document.get("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
            if (METHODS.contains(operation.getKey())) {
                operations.add(operation.getKey().toUpperCase() + " " + path.getKey());
            }
        }));
        return operations;
    }

    /**
     * Checks one answer of the service to {@code method path} (a concrete path, query allowed): the operation and the
     * status are documented, the media type is, and the body conforms to that media type's schema.
     *
     * @return the reply, for the caller to read what the next call needs
     */
    Reply check(String method, String path, Reply reply) {
        checkedAnswers++;
        String template = template(method.toLowerCase(), path.replaceFirst("\\?.*", ""));
        if (template == null) {
            mismatches.add(method + " " + path + ": no documented operation");
            return reply;
        }
        String where = method + " " + template + " " + reply.status();
        exercised.add(where);
        JsonNode operation = document.get("paths").get(template).get(method.toLowerCase());
        JsonNode response = operation.get("responses").get(String.valueOf(reply.status()));
        if (response == null) {
            mismatches.add(where + ": status not documented (documented: "
                    + String.join(", ", names(operation.get("responses"))) + ")");
            return reply;
        }
        boolean hasBody = reply.body() != null && !reply.body().isEmpty();
        if (!hasBody) {
            if (response.has("content")) {
                mismatches.add(where + ": no body, documented as " + String.join(", ", names(response.get("content"))));
            }
            return reply;
        }
        String mediaType = reply.contentType().replaceFirst(";.*", "").trim();
        if (!response.path("content").has(mediaType)) {
            mismatches.add(where + ": Content-Type " + mediaType + " not documented (documented: "
                    + String.join(", ", names(response.path("content"))) + ")");
            return reply;
        }
        if (reply.json() == null) {
            mismatches.add(where + ": body is not JSON: " + reply.body());
            return reply;
        }
        String pointer = "/paths/" + escape(template) + "/" + method.toLowerCase() + "/responses/" + reply.status()
                + "/content/" + escape(mediaType) + "/schema";
        validate(where, pointer, reply.json());
        observe(document.at(pointer), reply.json(), null);
        return reply;
    }

    /**
     * Notes which optional members of the named schemas along {@code value} it has and which it lacks, following
     * references, the {@code oneOf} alternative of the value's JSON type, array items, properties and map values.
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

    /**
     * Checks every example of the document against the schema it illustrates: media type examples (requests and
     * responses), parameter and header examples, and the {@code example} of every schema and property.
     */
    void checkExamples() {
        for (String holder : schemaHolders()) {
            JsonNode node = document.at(holder);
            String schema = holder + "/schema";
            if (node.has("example")) {
                example(holder + "/example", schema, node.get("example"));
            }
            node.path("examples").properties().forEach(example -> {
                if (example.getValue().has("value")) {
                    example(holder + "/examples/" + escape(example.getKey()), schema, example.getValue().get("value"));
                }
            });
        }
        for (String pointer : schemas(document)) {
            JsonNode schema = document.at(pointer);
            if (schema.has("example")) {
                example(pointer + "/example", pointer, schema.get("example"));
            }
            for (int i = 0; schema.path("examples").isArray() && i < schema.get("examples").size(); i++) {
                example(pointer + "/examples/" + i, pointer, schema.get("examples").get(i));
            }
        }
    }

    /** The media types, parameters and headers of the document that have a {@code schema}. */
    private List<String> schemaHolders() {
        List<String> holders = new ArrayList<>();
        document.get("paths").properties().forEach(path -> {
            String pathPointer = "/paths/" + escape(path.getKey());
            parameters(pathPointer, path.getValue(), holders);
            path.getValue().properties().forEach(operation -> {
                if (!METHODS.contains(operation.getKey())) {
                    return;
                }
                String op = pathPointer + "/" + operation.getKey();
                parameters(op, operation.getValue(), holders);
                operation.getValue().path("requestBody").path("content").properties()
                        .forEach(media -> holders.add(op + "/requestBody/content/" + escape(media.getKey())));
                operation.getValue().path("responses").properties().forEach(response -> {
                    String r = op + "/responses/" + response.getKey();
                    response.getValue().path("content").properties()
                            .forEach(media -> holders.add(r + "/content/" + escape(media.getKey())));
                    response.getValue().path("headers").properties()
                            .forEach(header -> holders.add(r + "/headers/" + escape(header.getKey())));
                });
            });
        });
        holders.removeIf(holder -> !document.at(holder).has("schema"));
        return holders;
    }

    private static void parameters(String pointer, JsonNode owner, List<String> holders) {
        for (int i = 0; i < owner.path("parameters").size(); i++) {
            holders.add(pointer + "/parameters/" + i);
        }
    }

    /** Every schema of the document, named or inline, and every schema inside one, as JSON pointers. */
    private List<String> schemas(JsonNode doc) {
        List<String> pointers = new ArrayList<>();
        doc.path("components").path("schemas").properties()
                .forEach(schema -> nested("/components/schemas/" + escape(schema.getKey()), doc, pointers));
        schemaHolders().forEach(holder -> nested(holder + "/schema", doc, pointers));
        return pointers;
    }

    private static void nested(String pointer, JsonNode doc, List<String> pointers) {
        JsonNode schema = doc.at(pointer);
        if (!schema.isObject()) {
            return;
        }
        pointers.add(pointer);
        schema.path("properties").properties()
                .forEach(property -> nested(pointer + "/properties/" + escape(property.getKey()), doc, pointers));
        for (String single : List.of("items", "additionalProperties", "not")) {
            nested(pointer + "/" + single, doc, pointers);
        }
        for (String list : List.of("oneOf", "anyOf", "allOf", "prefixItems")) {
            for (int i = 0; i < schema.path(list).size(); i++) {
                nested(pointer + "/" + list + "/" + i, doc, pointers);
            }
        }
    }

    private void example(String examplePointer, String schemaPointer, JsonNode value) {
        checkedExamples++;
        validate("example " + examplePointer, schemaPointer, value);
    }

    private void validate(String where, String schemaPointer, JsonNode value) {
        Schema schema = schemas.computeIfAbsent(schemaPointer,
                pointer -> registry.getSchema(SchemaLocation.of(BASE + "#" + pointer)));
        for (Error error : schema.validate(value)) {
            String at = error.getInstanceLocation().toString();
            mismatches.add(where + " " + (at.isEmpty() ? "/" : at) + ": " + error.getMessage() + " ["
                    + error.getKeyword() + " at " + error.getSchemaLocation().getFragment() + "]");
        }
    }

    /** The documented path template a concrete path is an instance of; literal segments win over variables. */
    private String template(String method, String path) {
        String[] segments = path.split("/", -1);
        String best = null;
        int bestLiterals = -1;
        for (Map.Entry<String, JsonNode> candidate : document.get("paths").properties()) {
            if (!candidate.getValue().has(method)) {
                continue;
            }
            String[] parts = candidate.getKey().split("/", -1);
            if (parts.length != segments.length) {
                continue;
            }
            int literals = 0;
            boolean matches = true;
            for (int i = 0; i < parts.length && matches; i++) {
                if (parts[i].startsWith("{") && parts[i].endsWith("}")) {
                    matches = !segments[i].isEmpty();
                } else if (parts[i].equals(segments[i])) {
                    literals++;
                } else {
                    matches = false;
                }
            }
            if (matches && literals > bestLiterals) {
                best = candidate.getKey();
                bestLiterals = literals;
            }
        }
        return best;
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.properties().forEach(member -> names.add(member.getKey()));
        return names;
    }

    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}

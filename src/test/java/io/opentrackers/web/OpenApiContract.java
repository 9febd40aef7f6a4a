package io.opentrackers.web;

import static io.opentrackers.SchemaContract.escape;

import com.networknt.schema.dialect.Dialects;
import io.opentrackers.SchemaContract;
import io.opentrackers.ServiceClient.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAPI document read as a generated client reads it: each answer of the service is checked against the schema
 * the document gives its operation, status and media type, and each example against the schema it illustrates.
 * Mismatches are collected, not thrown, so that one run lists them all; schemas are read closed, as
 * {@link SchemaContract} says why.
 */
final class OpenApiContract {

    private static final String BASE = "https://opentrackers.test/v3/api-docs";
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

    private final JsonNode document;
    private final SchemaContract schemas;
    private final Set<String> exercised = new TreeSet<>();
    private int checkedAnswers;
    private int checkedExamples;

    OpenApiContract(String documentText) {
        this.document = JsonMapper.builder().build().readTree(documentText);
        List<String> roots = new ArrayList<>();
        document.path("components").path("schemas").properties()
                .forEach(schema -> roots.add("/components/schemas/" + escape(schema.getKey())));
        schemaHolders().forEach(holder -> roots.add(holder + "/schema"));
        this.schemas = new SchemaContract(document, BASE, Dialects.getOpenApi31(), roots);
    }

    /** Every mismatch found so far, one line each: where (operation, status or example), JSON path, reason. */
    List<String> mismatches() {
        return schemas.mismatches();
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

    /** "Schema.member" of every member that a named schema of a checked answer does not require. */
    Set<String> optionalMembers() {
        return schemas.optionalMembers();
    }

    /** "Schema.member" of every optional member that at least one checked answer left out. */
    Set<String> optionalMembersLeftOut() {
        return schemas.optionalMembersLeftOut();
    }

    /** "Schema.member" of every optional member that at least one checked answer had, other than null. */
    Set<String> optionalMembersSent() {
        return schemas.optionalMembersSent();
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
            schemas.mismatch(method + " " + path + ": no documented operation");
            return reply;
        }
        String where = method + " " + template + " " + reply.status();
        exercised.add(where);
        JsonNode operation = document.get("paths").get(template).get(method.toLowerCase());
        JsonNode response = operation.get("responses").get(String.valueOf(reply.status()));
        if (response == null) {
            schemas.mismatch(where + ": status not documented (documented: "
                    + String.join(", ", names(operation.get("responses"))) + ")");
            return reply;
        }
        boolean hasBody = reply.body() != null && !reply.body().isEmpty();
        if (!hasBody) {
            if (response.has("content")) {
                schemas.mismatch(where + ": no body, documented as " + String.join(", ", names(response.get("content"))));
            }
            return reply;
        }
        String mediaType = reply.contentType().replaceFirst(";.*", "").trim();
        if (!response.path("content").has(mediaType)) {
            schemas.mismatch(where + ": Content-Type " + mediaType + " not documented (documented: "
                    + String.join(", ", names(response.path("content"))) + ")");
            return reply;
        }
        if (reply.json() == null) {
            schemas.mismatch(where + ": body is not JSON: " + reply.body());
            return reply;
        }
        String pointer = "/paths/" + escape(template) + "/" + method.toLowerCase() + "/responses/" + reply.status()
                + "/content/" + escape(mediaType) + "/schema";
        schemas.validate(where, pointer, reply.json());
        schemas.observe(pointer, reply.json());
        return reply;
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
        for (String pointer : schemas.schemaPointers()) {
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

    private void example(String examplePointer, String schemaPointer, JsonNode value) {
        checkedExamples++;
        schemas.validate("example " + examplePointer, schemaPointer, value);
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
}

package io.opentrackers.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.ServiceClient;
import io.opentrackers.ServiceClient.Reply;
import java.net.http.HttpHeaders;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link OpenApiContract} finds each kind of mismatch that breaks a generated client, on a small document of its own:
 * OpenApiConformanceIT passing means nothing unless these are caught.
 */
class OpenApiContractTest {

    private static final String DOCUMENT = """
            {"openapi": "3.1.0", "info": {"title": "Things", "version": "1"},
             "paths": {
               "/things/{id}": {"get": {"responses": {
                 "200": {"description": "A thing", "content": {"application/json": {
                   "schema": {"$ref": "#/components/schemas/Thing"},
                   "examples": {"fine": {"value": {"id": "t1", "size": 3}},
                                "wrong": {"value": {"id": "t1", "size": "3"}}}}}},
                 "404": {"description": "No such thing", "content": {"application/problem+json": {
                   "schema": {"$ref": "#/components/schemas/Problem"}}}}}}},
               "/things/count": {"get": {"responses": {
                 "200": {"description": "How many", "content": {"application/json": {
                   "schema": {"type": "object", "properties": {"count": {"type": "integer", "example": "many"}}}}}}}}},
               "/things": {"post": {"responses": {
                 "200": {"description": "Created", "content": {"application/json": {
                   "schema": {"$ref": "#/components/schemas/Thing"}}}}}}}},
             "components": {"schemas": {
               "Thing": {"type": "object", "required": ["id"], "properties": {
                 "id": {"type": "string"}, "size": {"type": "integer", "format": "int32"},
                 "kind": {"type": "string", "enum": ["round", "square"]}, "note": {"type": "string"},
                 "at": {"type": "string", "format": "date-time"},
                 "tags": {"type": "object", "additionalProperties": {"type": "integer"}}}},
               "Problem": {"type": "object", "required": ["type", "title", "status", "detail"], "properties": {
                 "type": {"type": "string", "format": "uri"}, "title": {"type": "string"},
                 "status": {"type": "integer"}, "detail": {"type": "string"}}}}}}""";

    private final OpenApiContract contract = new OpenApiContract(DOCUMENT);

    @Test
    void anAnswerAsDocumentedPasses() {
        contract.check("GET", "/things/t1?verbose=true", reply(200, "application/json", """
                {"id": "t1", "size": 3, "kind": "round", "at": "2026-03-02T10:00:00Z", "tags": {"a": 1}}"""));
        contract.check("GET", "/things/t2", reply(404, "application/problem+json", """
                {"type": "https://example.com/not-found", "title": "Not Found", "status": 404, "detail": "No t2"}"""));

        assertThat(contract.mismatches()).isEmpty();
        assertThat(contract.exercised()).containsExactly("GET /things/{id} 200", "GET /things/{id} 404");
    }

    @Test
    void eachMemberThatContradictsItsSchemaIsReportedWithItsPath() {
        contract.check("GET", "/things/t1", reply(200, "application/json", """
                {"size": "3", "kind": "oval", "note": null, "colour": "red", "at": "yesterday",
                 "tags": {"a": "1"}}"""));

        assertThat(String.join("\n", contract.mismatches()))
                .contains("GET /things/{id} 200 /size: string found, integer expected")
                .contains("GET /things/{id} 200 /kind: does not have a value in the enumeration")
                .contains("GET /things/{id} 200 /note: null found, string expected")
                .contains("GET /things/{id} 200 /: property 'colour' is not defined in the schema")
                .contains("GET /things/{id} 200 /: required property 'id' not found")
                .contains("GET /things/{id} 200 /at: does not match the date-time pattern")
                .contains("GET /things/{id} 200 /tags/a: string found, integer expected");
    }

    @Test
    void theOptionalMembersAnAnswerLeftOutAreNotedByTheirSchema() {
        contract.check("GET", "/things/t1", reply(200, "application/json", "{\"id\": \"t1\", \"size\": 3}"));
        contract.check("GET", "/things/t2", reply(200, "application/json", """
                {"id": "t2", "size": 1, "note": "round enough", "tags": {"a": 1}}"""));

        assertThat(contract.optionalMembers()).containsExactly("Thing.at", "Thing.kind", "Thing.note", "Thing.size",
                "Thing.tags");
        // size was in every answer: nothing shows that a client must do without it
        assertThat(contract.optionalMembersLeftOut()).containsExactly("Thing.at", "Thing.kind", "Thing.note",
                "Thing.tags");
        // at and kind were in none: nothing checked what their values look like
        assertThat(contract.optionalMembersSent()).containsExactly("Thing.note", "Thing.size", "Thing.tags");
    }

    @Test
    void anUndocumentedStatusMediaTypeOrOperationIsReported() {
        contract.check("POST", "/things", reply(201, "application/json", "{\"id\": \"t1\"}"));
        contract.check("GET", "/things/t1", reply(404, "application/json", "{\"error\": \"no\"}"));
        contract.check("GET", "/things/t1", reply(404, "application/problem+json", """
                {"type": "https://example.com/not-found", "title": "Not Found", "status": 404, "detail": "No t1",
                 "path": "/things/t1"}"""));
        contract.check("DELETE", "/things/t1", reply(200, "application/json", "{}"));

        assertThat(contract.mismatches()).containsExactly(
                "POST /things 201: status not documented (documented: 200)",
                "GET /things/{id} 404: Content-Type application/json not documented (documented: "
                        + "application/problem+json)",
                "GET /things/{id} 404 /: property 'path' is not defined in the schema and the schema does not allow "
                        + "additional properties "
                        + "[additionalProperties at /components/schemas/Problem/additionalProperties]",
                "DELETE /things/t1: no documented operation");
    }

    @Test
    void aLiteralSegmentWinsOverAPathVariable() {
        contract.check("GET", "/things/count", reply(200, "application/json", "{\"count\": 2}"));

        assertThat(contract.mismatches()).isEmpty();
        assertThat(contract.exercised()).containsExactly("GET /things/count 200");
    }

    @Test
    void examplesThatContradictTheirSchemaAreReported() {
        contract.checkExamples();

        assertThat(contract.checkedExamples()).isEqualTo(3);
        assertThat(contract.mismatches()).hasSize(2).allSatisfy(line -> assertThat(line).startsWith("example "));
        assertThat(String.join("\n", contract.mismatches()))
                .contains("example /paths/~1things~1{id}/get/responses/200/content/application~1json/examples/wrong "
                        + "/size: string found, integer expected")
                .contains("example /paths/~1things~1count/get/responses/200/content/application~1json/schema/"
                        + "properties/count/example /: string found, integer expected");
    }

    private static Reply reply(int status, String contentType, String body) {
        return new Reply(status, contentType, body, ServiceClient.JSON.readTree(body),
                HttpHeaders.of(Map.of(), (name, value) -> true));
    }
}

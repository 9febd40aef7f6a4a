package io.opentrackers.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.MethodParameter;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.validation.BeanPropertyBindingResult;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Jackson's binding errors become 400 problems naming the full path of the bad field, nested or not. */
@ExtendWith(OutputCaptureExtension.class)
class ApiExceptionHandlerTest {

    record Item(String label, int count) {
    }

    record Order(String customer, List<Item> items) {
    }

    @RestController
    static class OrderController {

        private final JsonMapper jsonMapper = JsonMapper.builder().build();

        @PostMapping("/orders")
        String create(@RequestBody Order order) {
            return "ok";
        }

        /** Converting a tree the controller read itself fails outside message conversion. */
        @GetMapping("/orders")
        String list(@RequestParam(required = false) Integer limit, @RequestParam(required = false) Boolean open) {
            return "ok";
        }

        @PostMapping("/orders/tree")
        String createFromTree(@RequestBody JsonNode body) {
            jsonMapper.treeToValue(body, Order.class);
            return "ok";
        }

        @PostMapping("/orders/of-deleted-account")
        String ofDeletedAccount() {
            throw foreignKeyViolation("tracker", "tracker_account_id_fkey");
        }

        @PostMapping("/orders/of-deleted-conversation")
        String ofDeletedConversation() {
            throw foreignKeyViolation("conversation_message", "conversation_message_conversation_id_fkey");
        }

        private static DataIntegrityViolationException foreignKeyViolation(String table, String constraint) {
            String message = "insert or update on table \"" + table + "\" violates foreign key constraint \""
                    + constraint + "\"";
            return new DataIntegrityViolationException("could not insert", new PSQLException(new ServerErrorMessage(
                    "SERROR\u0000C23503\u0000M" + message + "\u0000t" + table + "\u0000n" + constraint + "\u0000")));
        }

        /** What writing an answer to a client that closed its connection throws (Tomcat's ClientAbortException). */
        @GetMapping("/orders/export")
        String export() throws java.io.IOException {
            throw new java.io.IOException("Broken pipe");
        }

        /** A bug of the service (an object Jackson cannot write), not of the request. */
        @PostMapping("/orders/broken")
        String broken() {
            return jsonMapper.writeValueAsString(new Conflicting());
        }
    }

    /** Two getters claim the same JSON property: Jackson refuses the type itself. */
    static class Conflicting {
        @JsonProperty("x")
        public String getA() {
            return "a";
        }

        @JsonProperty("x")
        public String getB() {
            return "b";
        }
    }

    private final MockMvc mvc = MockMvcBuilders.standaloneSetup(new OrderController())
            .setControllerAdvice(new ApiExceptionHandler(new UnknownPaths(java.util.List::of))).build();

    @Test
    void nestedWrongTypeNamesTheFullPath() throws Exception {
        mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"customer\":\"c\",\"items\":[{\"label\":\"a\",\"count\":1},{\"label\":\"b\",\"count\":\"many\"}]}"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[0].field").value("items[1].count"))
                .andExpect(jsonPath("$.detail").value(startsWith("items[1].count: ")))
                .andExpect(jsonPath("$.message").value(startsWith("items[1].count: ")));
    }

    @Test
    void treeConversionErrorsAre400NotServerErrors() throws Exception {
        mvc.perform(post("/orders/tree").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"customer\":\"c\",\"items\":{\"label\":\"not a list\"}}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("items"));
    }

    @Test
    void aWriteForAnAccountDeletedMeanwhileIsA401NotAServerError() throws Exception {
        // what PostgreSQL answers an insert whose account row an operator's delete removed after the token check
        mvc.perform(post("/orders/of-deleted-account"))
                .andExpect(status().isUnauthorized())
                .andExpect(header().string("WWW-Authenticate", "Bearer"))
                .andExpect(jsonPath("$.type").value("https://opentrackers.io/problems/unauthorized"))
                .andExpect(jsonPath("$.detail").value(
                        "The account was deleted while this request ran; nothing of it was stored"));
        // any other broken reference is the service's fault
        mvc.perform(post("/orders/of-deleted-conversation"))
                .andExpect(status().isInternalServerError());
    }

    /** A client that went away is nobody's error: no ERROR line with a stack trace for each closed tab. */
    @Test
    void aClientThatWentAwayIsNotLoggedAsAnError(CapturedOutput output) throws Exception {
        mvc.perform(get("/orders/export"));

        assertThat(output.getAll()).doesNotContain("ERROR").doesNotContain("Unexpected error")
                .doesNotContain("Broken pipe");
    }

    @Test
    void jacksonErrorsThatAreTheServicesFaultStay500() throws Exception {
        mvc.perform(post("/orders/broken"))
                .andExpect(status().isInternalServerError())
                .andExpect(jsonPath("$.type").value("https://opentrackers.io/problems/internal-error"));
    }

    /**
     * A user reporting a 500 can only say when it happened: "the failure has been logged" left the operator to guess
     * which of the log's ERROR lines it was. The problem names an id that the line, with its stack trace, holds.
     */
    @Test
    void aFailureOfTheServiceNamesTheIdItWasLoggedWith(CapturedOutput output) throws Exception {
        String body = mvc.perform(post("/orders/broken")).andExpect(status().isInternalServerError())
                .andReturn().getResponse().getContentAsString();
        String errorId = tools.jackson.databind.json.JsonMapper.builder().build().readTree(body).get("errorId")
                .asString();
        assertThat(errorId).matches("[0-9a-f-]{36}");
        assertThat(body).contains("the failure was logged with errorId " + errorId + " for its operator.");
        assertThat(output.getAll()).contains("Unexpected error (errorId " + errorId + ")");
    }

    @Test
    void malformedJsonIsA400NamingTheBody() throws Exception {
        mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON).content("{\"customer\":"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("https://opentrackers.io/problems/invalid-request"))
                .andExpect(jsonPath("$.detail").value(startsWith("Malformed request body")))
                .andExpect(jsonPath("$.errors[0].field").value("body"))
                .andExpect(jsonPath("$.errors[0].message").value(startsWith("Unexpected end-of-input")));
    }

    @Test
    void detailsDescribeJsonKindsNotJavaTypes() throws Exception {
        mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"customer\":\"c\",\"items\":{\"label\":\"not a list\"}}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("items: must be an array, was an object"))
                .andExpect(jsonPath("$.errors[0].message").value("must be an array, was an object"));
        mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"customer\":\"c\",\"items\":[{\"label\":\"a\",\"count\":\"many\"}]}"))
                .andExpect(jsonPath("$.detail").value("items[0].count: must be a whole number, was 'many'"));
        mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON).content("[1]"))
                .andExpect(jsonPath("$.detail").value("Malformed request body: must be an object, was an array"));
    }

    /**
     * A teaching audit: a document followed by another ({@code {...} {...}}) was refused with "must be an object,
     * was an object", which says nothing a client can act on.
     */
    @Test
    void contentAfterTheDocumentIsNamedAsSuch() throws Exception {
        mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"customer\":\"c\",\"items\":[]} {\"customer\":\"d\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("Malformed request body: the JSON document is followed by more "
                        + "content (an object); send one JSON value"));
    }

    /**
     * A teaching audit: {@code ?limit=abc} answered "parameter 'limit' has an invalid value 'abc'" with the reason
     * "invalid value". The problem says what the parameter must be, as the body's rules do.
     */
    @Test
    void aQueryParameterOfTheWrongTypeSaysWhatItMustBe() throws Exception {
        mvc.perform(get("/orders").param("limit", "abc"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("limit: must be a whole number, was 'abc'"))
                .andExpect(jsonPath("$.errors[0].field").value("limit"))
                .andExpect(jsonPath("$.errors[0].message").value("must be a whole number, was 'abc'"));
        mvc.perform(get("/orders").param("limit", "1.5"))
                .andExpect(jsonPath("$.detail").value("limit: must be a whole number, was '1.5'"));
        mvc.perform(get("/orders").param("limit", "99999999999"))
                .andExpect(jsonPath("$.detail").value("limit: is out of range, was '99999999999'"));
        mvc.perform(get("/orders").param("open", "maybe"))
                .andExpect(jsonPath("$.detail").value("open: must be a boolean (true or false), was 'maybe'"));
    }

    @Test
    void nestingBeyondTheReadersLimitNamesTheLimitNotTheSetting() throws Exception {
        mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"extra\":" + "[".repeat(5000) + "]".repeat(5000) + "}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(startsWith("Malformed request body: Document nesting depth")))
                .andExpect(jsonPath("$.detail").value(not(containsString("`"))));
    }

    @Test
    void problemsSpringBuildsForItsOwnExceptionsGetATypeForTheirStatus() throws Exception {
        mvc.perform(delete("/orders"))
                .andExpect(status().isMethodNotAllowed())
                .andExpect(jsonPath("$.type").value("https://opentrackers.io/problems/method-not-allowed"))
                .andExpect(header().string("Allow", "GET, HEAD, POST, OPTIONS"))
                .andExpect(jsonPath("$.message").value(
                        "Method 'DELETE' is not supported here; this path takes GET, HEAD, POST, OPTIONS."));
        mvc.perform(post("/orders").contentType(MediaType.TEXT_PLAIN).content("x"))
                .andExpect(status().isUnsupportedMediaType())
                .andExpect(jsonPath("$.type").value("https://opentrackers.io/problems/unsupported-media-type"));
    }

    /**
     * A rule that gives no message of its own (a constraint without one) still answers with the field and a reason:
     * a problem's errors name both, and the document requires them.
     */
    @Test
    void aRuleWithoutAMessageOfItsOwnStillSaysWhatWasRefused() throws Exception {
        BeanPropertyBindingResult result = new BeanPropertyBindingResult(new Object(), "query");
        result.addError(new FieldError("query", "limit", "-3", false, null, null, null));
        MethodParameter parameter = new MethodParameter(
                OrderController.class.getDeclaredMethod("list", Integer.class, Boolean.class), 0);

        ResponseEntity<Object> answer = new ApiExceptionHandler(new UnknownPaths(java.util.List::of)).handleMethodArgumentNotValid(
                new MethodArgumentNotValidException(parameter, result), new HttpHeaders(), HttpStatus.BAD_REQUEST,
                null);

        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        ProblemDetail problem = (ProblemDetail) answer.getBody();
        assertThat(problem.getProperties()).containsEntry("errors",
                List.of(new Problems.ProblemError(null, "limit", "'-3' is not a valid value")));
        assertThat(problem.getDetail()).isEqualTo("limit: '-3' is not a valid value");
    }
}

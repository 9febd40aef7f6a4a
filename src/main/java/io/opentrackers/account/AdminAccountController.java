package io.opentrackers.account;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import io.opentrackers.common.FieldViolation;
import io.opentrackers.common.InvalidInputException;
import io.opentrackers.web.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Operators create, list, re-key and delete accounts here, authenticated by {@code X-Operator-Key} equal to
 * {@code trackers.admin.operator-key}. Without a configured key every endpoint answers 403 to everyone; a wrong key
 * counts as a failed login of the client's address ({@link OperatorKey}).
 */
@RestController
@Tag(name = "Administration", description = "Accounts, for operators: the X-Operator-Key header instead of a token")
class AdminAccountController {

    /** The default page of {@code GET /admin/accounts}, as {@code GET /v1/conversations}. */
    static final int DEFAULT_PAGE = 50;
    static final int MAX_PAGE = 200;

    private static final String FORBIDDEN = "No operator key is configured (admin API off), or the X-Operator-Key "
            + "header is missing or wrong";
    private static final String THROTTLED = "Too many wrong operator keys or failed logins from this address; the key "
            + "is not compared until Retry-After seconds have passed";

    private final AccountService accountService;
    private final OperatorKey operatorKey;

    AdminAccountController(AccountService accountService, OperatorKey operatorKey) {
        this.accountService = accountService;
        this.operatorKey = operatorKey;
    }

    @Schema(name = "CreateAccountRequest", description = "Every field is optional: a missing appId or appSecret is "
            + "generated (the secret is then returned once); a blank one is refused. The appId is stored trimmed")
    record CreateAccountRequest(String appId, String appSecret, String name) {
    }

    @Schema(name = "CreateAccountResponse")
    record CreateAccountResponse(@Schema(requiredMode = REQUIRED) String id,
            @Schema(requiredMode = REQUIRED) String appId,
            @Schema(description = "Shown only in this response; stored as a BCrypt hash", requiredMode = REQUIRED)
            String appSecret) {
    }

    @PostMapping(path = "/admin/accounts", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "createAccount",
            summary = "Create an account (operator key required); the secret is returned only once")
    @SecurityRequirement(name = "operatorKey") // X-Operator-Key instead of an access token
    @ApiResponse(responseCode = "201", description = "Created", content = @Content(
            schema = @Schema(implementation = CreateAccountResponse.class),
            examples = @ExampleObject(name = "created", value = """
                    {"id": "7b1e4c6a-1f2d-4e8a-9c3b-5d7f9a1b3c5e", "appId": "team-b",
                     "appSecret": "e778bc53a64edca6fd1cae1eb6d268e9153cbd8ad6829773c89e42a70e571503"}""")))
    @ApiResponse(responseCode = "400", description = "A field is blank (leave it out to have it generated), too "
            + "long, or not storable; `errors[]` names it", content = @Content(
                    mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    examples = @ExampleObject(name = "invalid-request", value = """
                            {"type": "https://opentrackers.io/problems/invalid-request", "title": "Bad Request",
                             "status": 400, "detail": "appId: must not be blank; leave it out to have one generated",
                             "instance": "/admin/accounts",
                             "message": "appId: must not be blank; leave it out to have one generated",
                             "errors": [{"field": "appId",
                                         "message": "must not be blank; leave it out to have one generated"}]}""")))
    @ApiResponse(responseCode = "403", description = "No operator key is configured (admin API off), or the "
            + "X-Operator-Key header is missing or wrong", content = @Content(
                    mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    examples = @ExampleObject(name = "forbidden", value = """
                            {"type": "https://opentrackers.io/problems/forbidden", "title": "Forbidden", "status": 403,
                             "detail": "A valid X-Operator-Key header is required", "instance": "/admin/accounts",
                             "message": "A valid X-Operator-Key header is required"}""")))
    @ApiResponse(responseCode = "429", description = "Too many wrong operator keys or failed logins from this "
            + "address; the key is not compared until Retry-After seconds have passed", content = @Content(
                    mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    examples = @ExampleObject(name = "too-many-requests", value = """
                            {"type": "https://opentrackers.io/problems/too-many-requests", "title": "Too Many Requests",
                             "status": 429, "detail": "Too many failed logins from this address; try again in 1 s",
                             "instance": "/admin/accounts",
                             "message": "Too many failed logins from this address; try again in 1 s"}""")))
    @ApiResponse(responseCode = "409", description = "The appId is taken", content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
            examples = @ExampleObject(name = "conflict", value = """
                    {"type": "https://opentrackers.io/problems/conflict", "title": "Conflict", "status": 409,
                     "detail": "An account with appId 'team-b' already exists", "instance": "/admin/accounts",
                     "message": "An account with appId 'team-b' already exists",
                     "errors": [{"field": "appId", "message": "An account with appId 'team-b' already exists"}]}""")))
    ResponseEntity<?> create(
            // documented by the operatorKey security scheme, which is how Swagger UI sends it
            @Parameter(hidden = true) @RequestHeader(name = OperatorKey.HEADER, required = false) String presentedKey,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(required = false, content = @Content(
                    schema = @Schema(implementation = CreateAccountRequest.class),
                    examples = @ExampleObject(name = "account", value = """
                            {"appId": "team-b"}""")))
            @RequestBody(required = false) CreateAccountRequest request, HttpServletRequest http) {
        ResponseEntity<ProblemDetail> refusal = refusal(presentedKey, http);
        if (refusal != null) {
            return refusal;
        }
        CreateAccountRequest body = request == null ? new CreateAccountRequest(null, null, null) : request;
        AccountService.CreatedAccount created = accountService.create(body.appId(), body.appSecret(), body.name());
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(new CreateAccountResponse(created.id().toString(), created.appId(), created.appSecret()));
    }

    @Schema(name = "AccountResponse", description = "An account as operators see it: never its secret nor a hash of "
            + "it")
    record AccountResponse(@Schema(requiredMode = REQUIRED) String id, @Schema(requiredMode = REQUIRED) String appId,
            @Schema(requiredMode = REQUIRED) String name, @Schema(requiredMode = REQUIRED) Instant createdOn,
            @Schema(description = "What the account holds, by kind", requiredMode = REQUIRED,
                    example = "{\"conversations\": 12, \"trackers\": 3}") Map<String, Long> counts) {

        static AccountResponse of(AccountService.AccountSummary account) {
            return new AccountResponse(account.id().toString(), account.appId(), account.name(), account.createdOn(),
                    account.counts());
        }
    }

    /** {@code next} (left out on the last page) is the {@code after} of the following page: the last appId listed. */
    @Schema(name = "AccountsResponse")
    record AccountsResponse(@Schema(requiredMode = REQUIRED) List<AccountResponse> accounts, String next) {
    }

    @GetMapping(path = "/admin/accounts", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "listAccounts",
            summary = "The service's accounts in appId order, a page at a time (operator key required)")
    @SecurityRequirement(name = "operatorKey")
    @ApiResponse(responseCode = "200", description = "In appId order; `next` is left out on the last page",
            content = @Content(schema = @Schema(implementation = AccountsResponse.class),
                    examples = @ExampleObject(name = "accounts", value = """
                            {"accounts": [
                              {"id": "7b1e4c6a-1f2d-4e8a-9c3b-5d7f9a1b3c5e", "appId": "team-b", "name": "Team B",
                               "createdOn": "2026-11-26T10:42:29.694Z", "counts": {"conversations": 12, "trackers": 3}}],
                             "next": "team-b"}""")))
    @ApiResponse(responseCode = "400", description = "`limit` out of range, or `after` empty; `errors[]` names it",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    examples = @ExampleObject(name = "invalid-request", value = """
                            {"type": "https://opentrackers.io/problems/invalid-request", "title": "Bad Request",
                             "status": 400, "detail": "limit: must be between 1 and 200, was 500",
                             "instance": "/admin/accounts", "message": "limit: must be between 1 and 200, was 500",
                             "errors": [{"field": "limit", "message": "must be between 1 and 200, was 500"}]}""")))
    @ApiResponse(responseCode = "403", description = FORBIDDEN)
    @ApiResponse(responseCode = "429", description = THROTTLED)
    ResponseEntity<?> list(
            @Parameter(hidden = true) @RequestHeader(name = OperatorKey.HEADER, required = false) String presentedKey,
            @Parameter(description = "Most accounts in this page (1-" + MAX_PAGE + ")", example = "50")
            @RequestParam(defaultValue = "" + DEFAULT_PAGE) int limit,
            @Parameter(description = "The previous page's `next`: the page starts after this appId (still valid when "
                    + "that account is deleted)", example = "team-b")
            @RequestParam(required = false) String after,
            HttpServletRequest http) {
        ResponseEntity<ProblemDetail> refusal = refusal(presentedKey, http);
        if (refusal != null) {
            return refusal;
        }
        if (limit < 1 || limit > MAX_PAGE) {
            throw new InvalidInputException(List.of(
                    FieldViolation.of("limit", "must be between 1 and " + MAX_PAGE + ", was " + limit)));
        }
        if (after != null && after.isEmpty()) {
            // no appId is empty: an unset variable in ?after=$NEXT, which listed the first page again
            throw new InvalidInputException(List.of(
                    FieldViolation.of("after", "is empty; give a value or leave the parameter out")));
        }
        AccountService.AccountPage page = accountService.list(after, limit);
        return ResponseEntity.ok(new AccountsResponse(page.accounts().stream().map(AccountResponse::of).toList(),
                page.next()));
    }

    @GetMapping(path = "/admin/accounts/{appId}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "getAccount", summary = "One account (operator key required)")
    @SecurityRequirement(name = "operatorKey")
    @ApiResponse(responseCode = "200", description = "The account", content = @Content(
            schema = @Schema(implementation = AccountResponse.class),
            examples = @ExampleObject(name = "account", value = """
                    {"id": "7b1e4c6a-1f2d-4e8a-9c3b-5d7f9a1b3c5e", "appId": "team-b", "name": "Team B",
                     "createdOn": "2026-11-26T10:42:29.694Z", "counts": {"conversations": 12, "trackers": 3}}""")))
    @ApiResponse(responseCode = "404", description = "No account with this appId")
    @ApiResponse(responseCode = "403", description = FORBIDDEN)
    @ApiResponse(responseCode = "429", description = THROTTLED)
    ResponseEntity<?> get(
            @Parameter(hidden = true) @RequestHeader(name = OperatorKey.HEADER, required = false) String presentedKey,
            @Parameter(description = "The account's appId", example = "team-b") @PathVariable String appId,
            HttpServletRequest http) {
        ResponseEntity<ProblemDetail> refusal = refusal(presentedKey, http);
        if (refusal != null) {
            return refusal;
        }
        return ResponseEntity.ok(AccountResponse.of(accountService.get(appId)));
    }

    @Schema(name = "NewSecretRequest", description = "Optional: without a body (or without appSecret) a secret is "
            + "generated and returned once; a given one must not be blank and needs at least 8 characters")
    static final class NewSecretRequest {

        private String appSecret;
        /** Fields other than appSecret: refused, as a misspelt one would have a generated secret replace the old. */
        private final Set<String> unknown = new TreeSet<>();

        public String getAppSecret() {
            return appSecret;
        }

        public void setAppSecret(String appSecret) {
            this.appSecret = appSecret;
        }

        @JsonAnySetter
        void unknownField(String name, Object value) {
            unknown.add(name);
        }

        void check() {
            if (!unknown.isEmpty()) {
                throw new InvalidInputException(unknown.stream().map(name -> FieldViolation.of(name,
                        "is not a field of this request; send appSecret, or no body to have a secret generated"))
                        .toList());
            }
        }
    }

    @PostMapping(path = "/admin/accounts/{appId}/secret", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "rotateAccountSecret",
            summary = "Give an account a new secret (operator key required); every token issued with the old one "
            + "is refused from now on, and streams opened with one are closed",
            description = "For a leaked secret. The new secret is returned only in this answer. The bootstrap "
                    + "account (trackers.bootstrap.app-id) gets its configured secret back at the next start")
    @SecurityRequirement(name = "operatorKey")
    @ApiResponse(responseCode = "200", description = "The new secret, shown only here", content = @Content(
            schema = @Schema(implementation = CreateAccountResponse.class),
            examples = @ExampleObject(name = "rotated", value = """
                    {"id": "7b1e4c6a-1f2d-4e8a-9c3b-5d7f9a1b3c5e", "appId": "team-b",
                     "appSecret": "4b0f1a9e7c2d8e6f5a3b1c9d7e5f3a1b2c4d6e8f0a1b3c5d7e9f1a3b5c7d9e1f"}""")))
    @ApiResponse(responseCode = "400", description = "The appSecret is blank, too short, too long or not storable; "
            + "`errors[]` names it", content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    examples = @ExampleObject(name = "invalid-request", value = """
                            {"type": "https://opentrackers.io/problems/invalid-request", "title": "Bad Request",
                             "status": 400, "detail": "appSecret: must be at least 8 characters",
                             "instance": "/admin/accounts/team-b/secret",
                             "message": "appSecret: must be at least 8 characters",
                             "errors": [{"field": "appSecret", "message": "must be at least 8 characters"}]}""")))
    @ApiResponse(responseCode = "404", description = "No account with this appId")
    @ApiResponse(responseCode = "403", description = FORBIDDEN)
    @ApiResponse(responseCode = "429", description = THROTTLED)
    ResponseEntity<?> rotateSecret(
            @Parameter(hidden = true) @RequestHeader(name = OperatorKey.HEADER, required = false) String presentedKey,
            @Parameter(description = "The account's appId", example = "team-b") @PathVariable String appId,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(required = false, content = @Content(
                    schema = @Schema(implementation = NewSecretRequest.class),
                    examples = @ExampleObject(name = "chosen", value = """
                            {"appSecret": "a-new-long-secret"}""")))
            @RequestBody(required = false) NewSecretRequest request, HttpServletRequest http) {
        ResponseEntity<ProblemDetail> refusal = refusal(presentedKey, http);
        if (refusal != null) {
            return refusal;
        }
        if (request != null) {
            request.check();
        }
        AccountService.CreatedAccount rotated = accountService.rotateSecret(appId,
                request == null ? null : request.getAppSecret());
        return ResponseEntity.ok(new CreateAccountResponse(rotated.id().toString(), rotated.appId(),
                rotated.appSecret()));
    }

    @DeleteMapping(path = "/admin/accounts/{appId}")
    @Operation(operationId = "deleteAccount", summary = "Delete an account with all its data (operator key required)",
            description = "Trackers with their examples and calibrations, conversations with their messages, hits, "
                    + "sentence vectors and jobs (queued ones never run), webhook notifications and secret, analytics, "
                    + "revoked tokens: in one transaction. Its tokens are refused from now on and its open streams "
                    + "are closed. The bootstrap account (trackers.bootstrap.app-id) is created again at the next "
                    + "start while its credentials are configured")
    @SecurityRequirement(name = "operatorKey")
    @ApiResponse(responseCode = "204", description = "Deleted", content = @Content) // no body
    @ApiResponse(responseCode = "404", description = "No account with this appId")
    @ApiResponse(responseCode = "403", description = FORBIDDEN)
    @ApiResponse(responseCode = "429", description = THROTTLED)
    ResponseEntity<?> delete(
            @Parameter(hidden = true) @RequestHeader(name = OperatorKey.HEADER, required = false) String presentedKey,
            @Parameter(description = "The account's appId", example = "team-b") @PathVariable String appId,
            HttpServletRequest http) {
        ResponseEntity<ProblemDetail> refusal = refusal(presentedKey, http);
        if (refusal != null) {
            return refusal;
        }
        accountService.delete(appId);
        return ResponseEntity.noContent().build();
    }

    /**
     * Null for the operator; else the 403 every admin endpoint answers. A throttled address gets the 429 of
     * {@link LoginThrottledHandler} ({@link LoginThrottledException}) without its key being compared.
     */
    private ResponseEntity<ProblemDetail> refusal(String presentedKey, HttpServletRequest http) {
        return switch (operatorKey.check(presentedKey, http.getRemoteAddr())) {
            case DISABLED -> forbidden("The admin API is disabled: set trackers.admin.operator-key to enable it");
            case REFUSED -> forbidden("A valid X-Operator-Key header is required");
            case ACCEPTED -> null;
        };
    }

    private static ResponseEntity<ProblemDetail> forbidden(String detail) {
        // stated: the mapping produces application/json, which content negotiation would otherwise pick
        return ResponseEntity.status(HttpStatus.FORBIDDEN).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(Problems.of(HttpStatus.FORBIDDEN, "forbidden", detail));
    }
}

package io.opentrackers.account;

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
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Operators create accounts here, authenticated by {@code X-Operator-Key} equal to
 * {@code trackers.admin.operator-key}. Without a configured key the endpoint answers 403 to everyone.
 */
@RestController
@Tag(name = "Administration")
class AdminAccountController {

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
    record CreateAccountResponse(String id, String appId,
            @Schema(description = "Shown only in this response; stored as a BCrypt hash") String appSecret) {
    }

    @PostMapping(path = "/admin/accounts", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Create an account (operator key required); the secret is returned only once")
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
        switch (operatorKey.check(presentedKey, http.getRemoteAddr())) {
            case DISABLED -> {
                return forbidden("The admin API is disabled: set trackers.admin.operator-key to enable it");
            }
            case REFUSED -> {
                return forbidden("A valid X-Operator-Key header is required");
            }
            case ACCEPTED -> {
                // an operator: go on
            }
        }
        CreateAccountRequest body = request == null ? new CreateAccountRequest(null, null, null) : request;
        AccountService.CreatedAccount created = accountService.create(body.appId(), body.appSecret(), body.name());
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(new CreateAccountResponse(created.id().toString(), created.appId(), created.appSecret()));
    }

    private static ResponseEntity<ProblemDetail> forbidden(String detail) {
        // stated: the mapping produces application/json, which content negotiation would otherwise pick
        return ResponseEntity.status(HttpStatus.FORBIDDEN).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(Problems.of(HttpStatus.FORBIDDEN, "forbidden", detail));
    }
}

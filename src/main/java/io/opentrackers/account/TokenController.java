package io.opentrackers.account;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import io.opentrackers.common.FieldViolation;
import io.opentrackers.common.InvalidInputException;
import io.opentrackers.common.TextForms;
import io.opentrackers.web.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Authentication", description = "Access tokens: exchange appId and appSecret for one, revoke one")
class TokenController {

    private final TokenService tokenService;
    private final RevokedTokens revokedTokens;

    TokenController(TokenService tokenService, RevokedTokens revokedTokens) {
        this.tokenService = tokenService;
        this.revokedTokens = revokedTokens;
    }

    @Schema(name = "TokenRequest")
    record TokenRequest(@Schema(description = "Optional; if given, `application`", example = "application") String type,
            @Schema(requiredMode = REQUIRED) String appId, @Schema(requiredMode = REQUIRED) String appSecret) {
    }

    @Schema(name = "TokenResponse")
    record TokenResponse(@Schema(description = "An HS256 JWT; its `exp` claim says when it expires",
            requiredMode = REQUIRED) String accessToken,
            @Schema(description = "Seconds until the token expires", requiredMode = REQUIRED) long expiresIn) {
    }

    @PostMapping(path = "/oauth2/token:generate", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "generateToken", summary = "Exchange appId and appSecret for an access token")
    @SecurityRequirements // no token is needed to get one: an empty list lifts the document's global bearer
    @ApiResponse(responseCode = "200", description = "The token", useReturnTypeSchema = true,
            content = @Content(examples = @ExampleObject(name = "token", value = """
                    {"accessToken": "eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJvcGVudHJhY2tlcnMiLCJzdWIiOiI3YjFlNGM2YS0xZjJkLTRlOGEtOWMzYi01ZDdmOWExYjNjNWUiLCJleHAiOjE3OTU2MDAwMDB9.2pWQ1uY0o0m2v6Hc3xk8r4sJ9bq7nNf5tZlKcYd1aEw",
                     "expiresIn": 86400}""")))
    @ApiResponse(responseCode = "401", description = "Unknown appId or wrong appSecret (`invalid-credentials`)",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    examples = @ExampleObject(name = "invalid-credentials", value = """
                            {"type": "https://opentrackers.io/problems/invalid-credentials", "title": "Unauthorized",
                             "status": 401, "detail": "Invalid appId or appSecret", "instance": "/oauth2/token:generate",
                             "message": "Invalid appId or appSecret"}""")))
    @ApiResponse(responseCode = "429", description = "Too many failed logins for this appId or from this address, or "
            + "every secret check busy; no secret is compared until `Retry-After` seconds have passed",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    examples = @ExampleObject(name = "too-many-requests", value = """
                            {"type": "https://opentrackers.io/problems/too-many-requests", "title": "Too Many Requests",
                             "status": 429, "detail": "Too many failed logins for appId 'demo'; try again in 30 s",
                             "instance": "/oauth2/token:generate",
                             "message": "Too many failed logins for appId 'demo'; try again in 30 s"}""")))
    TokenResponse generate(@io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
            schema = @Schema(implementation = TokenRequest.class), examples = @ExampleObject(name = "credentials",
                    value = """
                            {"type": "application", "appId": "demo", "appSecret": "demo-secret-123"}""")))
            @RequestBody TokenRequest request, HttpServletRequest http) {
        if (request.type() != null && !"application".equals(request.type())) {
            throw new InvalidInputException("type", "must be 'application', was '" + request.type() + "'");
        }
        List<FieldViolation> violations = new ArrayList<>();
        if (request.appId() == null || request.appId().isBlank()) {
            violations.add(FieldViolation.of("appId", "is required"));
        } else {
            AccountRules.checkAppId(request.appId(), violations);
        }
        if (request.appSecret() == null || request.appSecret().isBlank()) {
            violations.add(FieldViolation.of("appSecret", "is required"));
        } else {
            AccountRules.checkSecret(request.appSecret(), false, violations);
        }
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        // trimmed as it was stored (AccountService): " demo " pasted with its spaces names the account demo
        TokenService.IssuedToken token = tokenService.issue(TextForms.trim(request.appId()), request.appSecret(),
                http.getRemoteAddr());
        return new TokenResponse(token.accessToken(), token.expiresIn());
    }

    /**
     * The answer of a revocation, for the document: an object without members, whatever happened. It has nothing to
     * require, and admits nothing else, so that a client generated from the document gets a type of its own rather
     * than an untyped object, and a member added to the answer later is a change of the document too.
     */
    @Schema(name = "TokenRevocationResponse", description = "Always the empty object: RFC 7009's answer carries "
            + "nothing, and says nothing about whether the token was live, revoked or not a token of the account",
            additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    record Revoked() {
    }

    @Schema(name = "TokenRevocationRequest")
    record RevokeRequest(@Schema(description = "The access token to revoke: any token of the caller's account, "
            + "including the one this request is authenticated with", requiredMode = Schema.RequiredMode.REQUIRED)
            String token) {
    }

    /**
     * RFC 7009's revocation, with this API's JSON body and token authentication: the caller proves it holds the
     * account with any of the account's tokens (a holder of the credentials gets one from token:generate), so no
     * second login path needs the BCrypt check and its throttling, and a token can end itself (signing out).
     */
    @PostMapping(path = "/oauth2/token:revoke", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "revokeToken",
            summary = "Revoke one access token of the caller's account (extension, RFC 7009)", description = """
            Ends the token given in `token` before its `exp`, on every instance, from the next request on: REST calls \
            and WebSocket handshakes with it get 401, and open streams it authenticated are closed (1008) within \
            `trackers.streaming.revocation-check-interval`. Other tokens of the account keep working. The request is \
            authenticated like any other call, by a token of the same account (the one being revoked will do). As \
            RFC 7009 says, a string that is not a live token of the caller's account (another account's token, an \
            expired, already revoked or malformed one) is answered with the same 200 `{}` and changes nothing. Tokens issued \
            before tokens had an id (`jti`) cannot be revoked alone: 400 `unsupported-token-type`.""")
    @ApiResponse(responseCode = "200", description = "Revoked, or nothing to revoke: always the empty object, which "
            + "tells nothing about the token", content = @Content(schema = @Schema(implementation = Revoked.class),
                    examples = @ExampleObject(name = "done", value = "{}")))
    @ApiResponse(responseCode = "400", description = "`token` missing, blank or not a string (`invalid-request`), or a "
            + "live token of this account without an id (`unsupported-token-type`)",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    examples = @ExampleObject(name = "missing", value = """
                            {"type": "https://opentrackers.io/problems/invalid-request", "title": "Bad Request",
                             "status": 400, "detail": "token: is required", "instance": "/oauth2/token:revoke",
                             "message": "token: is required", "errors": [{"field": "token", "message": "is required"}]}""")))
    @ApiResponse(responseCode = "401", description = "The request's own token is missing, invalid, expired or revoked",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE))
    Map<String, Object> revoke(@io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
            schema = @Schema(implementation = RevokeRequest.class), examples = @ExampleObject(name = "token",
                    value = """
                            {"token": "eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJvcGVudHJhY2tlcnMiLCJzdWIiOiI3YjFlNGM2YS0xZjJkLTRlOGEtOWMzYi01ZDdmOWExYjNjNWUiLCJleHAiOjE3OTU2MDAwMDB9.2pWQ1uY0o0m2v6Hc3xk8r4sJ9bq7nNf5tZlKcYd1aEw"}""")))
            @RequestBody RevokeRequest request, AccountId account) {
        if (request.token() == null || request.token().isBlank()) {
            throw new InvalidInputException("token", "is required");
        }
        revokedTokens.revoke(account, request.token().strip());
        // RFC 7009's answer carries nothing a client needs; an empty object keeps it JSON like every other answer
        return Map.of();
    }

    @ExceptionHandler(TokenNotRevocableException.class)
    ResponseEntity<ProblemDetail> notRevocable(TokenNotRevocableException e) {
        ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, "unsupported-token-type", "token: " + e.getMessage());
        problem.setProperty("errors", List.of(new Problems.ProblemError(null, "token", e.getMessage())));
        return ResponseEntity.status(HttpStatus.BAD_REQUEST).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    @ExceptionHandler(InvalidCredentialsException.class)
    ResponseEntity<ProblemDetail> invalidCredentials(InvalidCredentialsException e) {
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(Problems.of(HttpStatus.UNAUTHORIZED, "invalid-credentials", e.getMessage()));
    }
}

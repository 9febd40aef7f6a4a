package io.opentrackers.account;

import io.opentrackers.common.FieldViolation;
import io.opentrackers.common.InvalidInputException;
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
@Tag(name = "Authentication")
class TokenController {

    private final TokenService tokenService;

    TokenController(TokenService tokenService) {
        this.tokenService = tokenService;
    }

    @Schema(name = "TokenRequest")
    record TokenRequest(@Schema(description = "Optional; if given, `application`", example = "application") String type,
            String appId, String appSecret) {
    }

    @Schema(name = "TokenResponse")
    record TokenResponse(@Schema(description = "An HS256 JWT; its `exp` claim says when it expires")
            String accessToken, @Schema(description = "Seconds until the token expires") long expiresIn) {
    }

    @PostMapping(path = "/oauth2/token:generate", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Exchange appId and appSecret for an access token")
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
        TokenService.IssuedToken token = tokenService.issue(request.appId(), request.appSecret(),
                http.getRemoteAddr());
        return new TokenResponse(token.accessToken(), token.expiresIn());
    }

    @ExceptionHandler(InvalidCredentialsException.class)
    ResponseEntity<ProblemDetail> invalidCredentials(InvalidCredentialsException e) {
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(Problems.of(HttpStatus.UNAUTHORIZED, "invalid-credentials", e.getMessage()));
    }
}

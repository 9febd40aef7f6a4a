package io.opentrackers.account;

import io.opentrackers.common.FieldViolation;
import io.opentrackers.common.InvalidInputException;
import io.opentrackers.web.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
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

    record TokenRequest(String type, String appId, String appSecret) {
    }

    record TokenResponse(String accessToken, long expiresIn) {
    }

    @PostMapping("/oauth2/token:generate")
    @Operation(summary = "Exchange appId and appSecret for an access token")
    TokenResponse generate(@RequestBody TokenRequest request, HttpServletRequest http) {
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
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
                .body(Problems.of(HttpStatus.UNAUTHORIZED, "invalid-credentials", e.getMessage()));
    }

    @ExceptionHandler(LoginThrottledException.class)
    ResponseEntity<ProblemDetail> throttled(LoginThrottledException e) {
        long seconds = Math.max(1, (e.retryAfter().toMillis() + 999) / 1000);
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
                .body(Problems.of(HttpStatus.TOO_MANY_REQUESTS, "too-many-requests", e.getMessage()));
    }
}

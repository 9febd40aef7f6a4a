package io.opentrackers.account;

import io.opentrackers.web.Problems;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * A throttled credential check (a login, or an operator key, {@link LoginThrottle}) is a 429 problem with
 * {@code Retry-After}: the seconds until the bucket holds a token again. Ahead of the application's general handler,
 * which does not know this exception.
 */
@RestControllerAdvice(assignableTypes = {TokenController.class, AdminAccountController.class})
@Order(Ordered.HIGHEST_PRECEDENCE)
class LoginThrottledHandler {

    @ExceptionHandler(LoginThrottledException.class)
    ResponseEntity<ProblemDetail> throttled(LoginThrottledException e) {
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .header(HttpHeaders.RETRY_AFTER, Problems.retryAfterSeconds(e.retryAfter()))
                .body(Problems.of(HttpStatus.TOO_MANY_REQUESTS, "too-many-requests", e.getMessage()));
    }
}

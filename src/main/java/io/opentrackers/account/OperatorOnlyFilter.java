package io.opentrackers.account;

import io.opentrackers.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service's metrics describe every tenant's traffic: only the operator key ({@code X-Operator-Key}) opens them,
 * never a tenant's token. A refusal says what is missing in the words of {@code /admin/accounts}, as a problem.
 * Before, a scrape without the key or with a wrong one got the API's 401 "A valid access token is required
 * (Authorization: Bearer …)", which sent the operator to fetch a token, and the token then got a 403 without a body.
 */
final class OperatorOnlyFilter extends OncePerRequestFilter {

    private final OperatorKey operatorKey;
    private final JsonMapper json;

    OperatorOnlyFilter(OperatorKey operatorKey, JsonMapper json) {
        this.operatorKey = operatorKey;
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        ProblemDetail refusal;
        try {
            refusal = switch (operatorKey.check(request.getHeader(OperatorKey.HEADER), request.getRemoteAddr())) {
                case ACCEPTED -> null;
                case DISABLED -> Problems.of(HttpStatus.FORBIDDEN, "forbidden",
                        "The metrics are disabled: set trackers.admin.operator-key to read them with X-Operator-Key");
                case REFUSED -> Problems.of(HttpStatus.FORBIDDEN, "forbidden",
                        "A valid X-Operator-Key header is required (the metrics are the operator's; an access token is not enough)");
            };
        } catch (LoginThrottledException e) {
            // an address that guessed too often is refused without comparing its key, as at /admin/accounts
            response.setHeader(HttpHeaders.RETRY_AFTER, Problems.retryAfterSeconds(e.retryAfter()));
            refusal = Problems.of(HttpStatus.TOO_MANY_REQUESTS, "too-many-requests", e.getMessage());
        }
        if (refusal == null) {
            chain.doFilter(request, response);
            return;
        }
        response.setStatus(refusal.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), Problems.at(refusal, request));
    }
}

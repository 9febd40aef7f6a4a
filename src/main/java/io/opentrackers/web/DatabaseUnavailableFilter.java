package io.opentrackers.web;

import io.opentrackers.common.DatabaseUnavailable;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers a request that could not reach the database with 503 and {@code Retry-After}, wherever it failed: in a
 * controller ({@link ApiExceptionHandler} calls {@link #problem}) or before one, in the filters, where the access
 * token's account is looked up. Without it the token check's failure escaped the filters as a 500, logged twice with
 * 130-line stack traces (Tomcat's, then {@code /error}'s), and told the client the service had failed, where retrying
 * in a moment is all it has to do. Runs before Spring Security's filters, after the body size limit.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class DatabaseUnavailableFilter extends OncePerRequestFilter {

    /**
     * What a client is told to wait: once the database is back the pool has a connection within about 5 s (measured:
     * docs/operations.md, "The database goes away").
     */
    static final String RETRY_AFTER_SECONDS = "5";

    private static final Logger log = LoggerFactory.getLogger(DatabaseUnavailableFilter.class);

    private final JsonMapper jsonMapper;

    DatabaseUnavailableFilter(JsonMapper jsonMapper) {
        this.jsonMapper = jsonMapper;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (RuntimeException | ServletException e) {
            if (response.isCommitted() || !DatabaseUnavailable.isCause(e)) {
                throw e;
            }
            response.resetBuffer();
            response.setHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
            FrameworkErrors.write(response, Problems.at(problem(request, e), request), jsonMapper);
        }
    }

    /**
     * The 503 problem of a request that met {@code failure}, a failure {@link DatabaseUnavailable#isCause} accepts,
     * logged as one warning with the driver's reason and no stack trace: during an outage every request meets it,
     * and the pollers' warnings already say that the database is gone.
     */
    static ProblemDetail problem(HttpServletRequest request, Throwable failure) {
        log.warn("{} {} answered 503: the database cannot be reached ({})", request.getMethod(),
                request.getRequestURI(), DatabaseUnavailable.reason(failure));
        return unavailable();
    }

    static ProblemDetail unavailable() {
        return Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "database-unavailable",
                "The service cannot reach its database at the moment; retry in a few seconds (Retry-After)");
    }
}

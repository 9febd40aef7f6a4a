package io.opentrackers.web;

import io.opentrackers.common.FieldViolation;
import io.opentrackers.common.IdempotencyHeaders;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsUtils;
import org.springframework.web.cors.DefaultCorsProcessor;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Cross-origin calls from browser pages (CORS) to the API, for the origins an operator lists in
 * {@code trackers.web.allowed-origins} (none by default). Tokens travel in headers, never in cookies, so no
 * credentials are allowed and an allowed page can do nothing a script outside a browser could not.
 * <p>
 * It runs before every other filter, so that the answers a browser page must be able to read (a 401, a 413, a 429
 * with {@code Retry-After}) carry the headers too. A preflight that is not allowed gets a 403 problem naming the
 * header at fault and why (Spring's own answer is a plain-text "Invalid CORS request"); an actual request from an
 * origin that is not allowed is served without CORS headers, so the browser keeps the answer from the page: a page
 * of this service's own origin behind a proxy that changes the host or scheme is then not refused.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class CrossOriginFilter extends OncePerRequestFilter {

    /** The paths a browser page of another origin may call: the API, its tokens and its OpenAPI document. */
    private static final List<String> PATHS = List.of("/v1/", "/oauth2/", "/v3/api-docs");

    private final CorsConfiguration allowed;
    private final boolean off;
    private final DefaultCorsProcessor processor = new DefaultCorsProcessor();
    private final JsonMapper json;

    CrossOriginFilter(WebProperties properties, JsonMapper json) {
        this.json = json;
        this.off = properties.allowedOrigins().isEmpty();
        allowed = new CorsConfiguration();
        allowed.setAllowedOriginPatterns(properties.allowedOrigins());
        // OPTIONS too: a plain OPTIONS (no preflight) from an allowed page lists a path's methods, as without Origin
        allowed.setAllowedMethods(List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"));
        allowed.setAllowedHeaders(List.of(HttpHeaders.AUTHORIZATION, "x-api-key", HttpHeaders.CONTENT_TYPE,
                HttpHeaders.ACCEPT, HttpHeaders.IF_MATCH, HttpHeaders.IF_NONE_MATCH, IdempotencyHeaders.KEY));
        // what a client reads besides the body: versions for If-Match, where a job or tracker is, when to retry,
        // whether a retry was answered as its first try, what a CSV file is called
        allowed.setExposedHeaders(List.of(HttpHeaders.ETAG, HttpHeaders.LOCATION, HttpHeaders.RETRY_AFTER,
                HttpHeaders.ACCEPT_PATCH, HttpHeaders.ALLOW, HttpHeaders.WWW_AUTHENTICATE,
                HttpHeaders.CONTENT_DISPOSITION, IdempotencyHeaders.REPLAYED));
        allowed.setAllowCredentials(false);
        allowed.setMaxAge(3600L);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !CorsUtils.isCorsRequest(request) || PATHS.stream().noneMatch(path::startsWith);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean preflight = CorsUtils.isPreFlightRequest(request);
        FieldViolation refusal = refusal(request, preflight);
        if (refusal != null) {
            if (preflight) {
                ProblemDetail problem = Problems.of(HttpStatus.FORBIDDEN, "cross-origin-refused",
                        "This cross-origin request is not allowed: " + refusal.describe());
                problem.setProperty("errors", List.of(Problems.ProblemError.from(refusal)));
                FrameworkErrors.write(response, Problems.at(problem, request), json);
            } else {
                chain.doFilter(request, response);
            }
            return;
        }
        // refusal() found every reason the processor has to refuse; were it to refuse all the same, it has answered
        if (processor.processRequest(allowed, request, response) && !preflight) {
            chain.doFilter(request, response);
        }
    }

    /** Why the request may not be answered to its page, or null when it may. */
    private FieldViolation refusal(HttpServletRequest request, boolean preflight) {
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (off) {
            return FieldViolation.of("Origin", "cross-origin calls are off on this service; its operator allows "
                    + "the origins of pages with trackers.web.allowed-origins");
        }
        if (allowed.checkOrigin(origin) == null) {
            return FieldViolation.of("Origin", origin + " is not among the origins this service allows "
                    + "(trackers.web.allowed-origins)");
        }
        // a request's own method, or the one its preflight asks for: methods are case-sensitive ("patch" is no
        // PATCH, and fetch() sends it as written)
        String method = preflight ? request.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD) : request.getMethod();
        if (allowed.checkHttpMethod(HttpMethod.valueOf(method)) == null) {
            String upper = method.toUpperCase(Locale.ROOT);
            return FieldViolation.of(preflight ? HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD : "method", method
                    + " is not one of " + String.join(", ", allowed.getAllowedMethods())
                    + (!upper.equals(method) && allowed.getAllowedMethods().contains(upper)
                    ? "; methods are case-sensitive: send " + upper : ""));
        }
        if (!preflight) {
            return null;
        }
        String asked = request.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS);
        List<String> headers = asked == null ? List.of() : Arrays.stream(asked.split(","))
                .map(String::trim).filter(header -> !header.isEmpty()).toList();
        List<String> refused = headers.stream()
                .filter(header -> allowed.checkHeaders(List.of(header)) == null).toList();
        if (!refused.isEmpty()) {
            return FieldViolation.of(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, String.join(", ", refused)
                    + (refused.size() == 1 ? " is" : " are") + " not among the headers this API takes: "
                    + String.join(", ", allowed.getAllowedHeaders()));
        }
        return null;
    }
}

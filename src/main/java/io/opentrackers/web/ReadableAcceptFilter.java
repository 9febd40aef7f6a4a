package io.opentrackers.web;

import io.opentrackers.common.FieldViolation;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * An {@code Accept} header that is not a list of media types ({@code Accept: foo}, {@code application/json;q=2}) is a
 * 400 naming it. Spring MVC answered it with an empty 406, 404 or 405: it negotiates the error's representation with
 * the same header, cannot parse it, and then drops the problem body. The WebSocket upgrade has no representation to
 * negotiate and keeps ignoring the header.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 3)
class ReadableAcceptFilter extends OncePerRequestFilter {

    private static final int MAX_QUOTED = 200;

    private final JsonMapper json;

    ReadableAcceptFilter(JsonMapper json) {
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        List<String> accept = Collections.list(request.getHeaders(HttpHeaders.ACCEPT));
        if (!accept.isEmpty() && !"websocket".equalsIgnoreCase(request.getHeader(HttpHeaders.UPGRADE))) {
            String unreadable = unreadable(accept);
            if (unreadable != null) {
                FieldViolation violation = FieldViolation.of(HttpHeaders.ACCEPT, unreadable);
                FrameworkErrors.write(response, Problems.at(Problems.invalid(violation.describe(), List.of(violation)),
                        request), json);
                return;
            }
        }
        chain.doFilter(request, response);
    }

    /** Why the header cannot be read, as Spring's content negotiation would read it; null when it can. */
    private static String unreadable(List<String> accept) {
        try {
            MediaType.parseMediaTypes(accept);
            return null;
        } catch (InvalidMediaTypeException e) {
            // Spring's message quotes the entry it could not read and says why: Invalid mime type "foo": ...
            String why = e.getMessage().length() > MAX_QUOTED ? e.getMessage().substring(0, MAX_QUOTED) + "…"
                    : e.getMessage();
            return "is not a list of media types (" + why + "); send application/json or leave the header out";
        }
    }
}

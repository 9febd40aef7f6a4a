package io.opentrackers.web;

import io.opentrackers.common.FieldViolation;
import io.opentrackers.common.StorableText;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Query parameters follow the storable-text rule ({@link StorableText}) for every endpoint: they are names,
 * ids, URLs and times that end up in queries and rows ({@code ?name=%00} made the tracker lookup fail with a
 * 500). A parameter that breaks it is a 400 naming the parameter, before any controller runs. Tomcat itself
 * refuses percent-encodings that are not UTF-8, so only NUL can arrive here; the rule is the shared one anyway.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
class StorableParametersFilter extends OncePerRequestFilter {

    private final JsonMapper json;

    StorableParametersFilter(JsonMapper json) {
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getQueryString() != null) {
            List<FieldViolation> violations = new ArrayList<>();
            for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
                if (StorableText.problem(parameter.getKey()) != null) {
                    violations.add(FieldViolation.of("query", "a parameter name "
                            + StorableText.problem(parameter.getKey())));
                    continue;
                }
                for (String value : parameter.getValue()) {
                    if (!StorableText.check(parameter.getKey(), value, violations)) {
                        break;
                    }
                }
            }
            if (!violations.isEmpty()) {
                String detail = violations.stream().map(FieldViolation::describe).reduce((a, b) -> a + "; " + b)
                        .orElseThrow();
                FrameworkErrors.write(response, Problems.at(Problems.invalid(detail, violations), request), json);
                return;
            }
        }
        chain.doFilter(request, response);
    }
}

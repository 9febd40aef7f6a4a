package io.opentrackers.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Answers missing, malformed and expired tokens with a 401 problem document. */
@Component
public class ProblemAuthenticationEntryPoint implements AuthenticationEntryPoint {

    private final JsonMapper jsonMapper;

    ProblemAuthenticationEntryPoint(JsonMapper jsonMapper) {
        this.jsonMapper = jsonMapper;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response,
            AuthenticationException authException) throws IOException {
        String reason = authException.getMessage() == null ? "" : authException.getMessage();
        // Spring Security's resolver refuses a request that carries the token twice (header and access_token)
        String detail = reason.contains("expired")
                ? "The access token has expired; generate a new one at /oauth2/token:generate"
                : reason.contains("token was revoked")
                ? "The access token was revoked; generate a new one at /oauth2/token:generate"
                : reason.contains("secret changed")
                ? "The access token was issued before the account's secret changed; generate a new one with the new "
                        + "secret at /oauth2/token:generate"
                : reason.contains("multiple bearer tokens")
                ? "The request carries the access token twice (Authorization header and access_token); send it once"
                : "A valid access token is required (Authorization: Bearer <token> or x-api-key; access_token on WebSocket "
                        + "upgrades); get one at POST /oauth2/token:generate";
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        FrameworkErrors.write(response, Problems.at(Problems.of(HttpStatus.UNAUTHORIZED, "unauthorized", detail),
                request), jsonMapper);
    }
}

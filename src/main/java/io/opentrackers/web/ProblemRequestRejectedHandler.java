package io.opentrackers.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers requests that Spring Security's firewall rejects ({@code /v1/job/%2e%2e}, encoded '/' or '%', ...)
 * with a 400 problem; the default handler's {@code sendError} produced Boot's error JSON. Spring Security uses
 * a {@link RequestRejectedHandler} bean when there is one.
 */
@Component
class ProblemRequestRejectedHandler implements RequestRejectedHandler {

    private final JsonMapper json;

    ProblemRequestRejectedHandler(JsonMapper json) {
        this.json = json;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response,
            RequestRejectedException rejected) throws IOException {
        // the firewall's message names the offending sequence, which is what the client must change
        FrameworkErrors.write(response, Problems.at(FrameworkErrors.problem(HttpStatus.BAD_REQUEST.value(),
                rejected.getMessage()), request), json);
    }
}

package io.opentrackers.web;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Replaces Spring Boot's {@code BasicErrorController}: every {@code sendError} and every exception that escapes
 * a filter reaches {@code /error}, which answered with Boot's own JSON ({@code timestamp}, {@code error},
 * {@code path}) instead of a problem. Tomcat's rejection of an undecodable query string arrives here too.
 */
@RestController
@Hidden // where the servlet container forwards failures, not an endpoint of the API
class ProblemErrorController implements ErrorController {

    private static final Logger log = LoggerFactory.getLogger(ProblemErrorController.class);

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        // requested directly rather than dispatched for an error: nothing lives at /error
        int status = code instanceof Integer value ? value : 404;
        Object failure = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        ProblemDetail problem = status >= 500 && failure instanceof Throwable exception
                ? Problems.failure(log, "Request to " + request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI)
                        + " failed", exception)
                : FrameworkErrors.problem(status, null);
        Object path = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        try {
            problem.setInstance(URI.create(path instanceof String uri ? uri : request.getRequestURI()));
        } catch (IllegalArgumentException e) {
            // a path that is not a URI reference cannot be the instance; the problem stays without it
        }
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}

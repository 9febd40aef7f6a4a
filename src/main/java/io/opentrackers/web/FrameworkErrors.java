package io.opentrackers.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

/**
 * Problems for errors that the framework answers before (or instead of) a controller: requests Tomcat cannot
 * parse, requests Spring Security's firewall rejects, and {@code sendError} calls that land on {@code /error}.
 * Their details say what a client can do about them and nothing about the server.
 */
final class FrameworkErrors {

    private FrameworkErrors() {
    }

    static ProblemDetail problem(int status, String detail) {
        HttpStatusCode code = HttpStatusCode.valueOf(status);
        return Problems.of(code, Problems.kindFor(code), detail != null ? detail : describe(status));
    }

    static String describe(int status) {
        return switch (status) {
            case 400 -> "The request could not be read: its path, query string or headers are malformed (for example "
                    + "an encoded '/' or NUL, or bytes that are not UTF-8) or too large";
            case 404 -> "There is no resource at this path";
            case 408 -> "The request was not received in time";
            case 413 -> "The request is too large";
            case 414 -> "The request URI is too long";
            case 431 -> "The request headers are too large";
            // answered by Tomcat for what the client sent, not for a failure of the service
            case 501 -> "The request uses a method or a transfer coding that this service does not implement";
            case 505 -> "The request's HTTP version is not supported; send HTTP/1.1";
            default -> {
                if (status >= 500) {
                    yield "The service failed to handle the request.";
                }
                HttpStatus known = HttpStatus.resolve(status);
                yield known != null ? known.getReasonPhrase() : "The request failed with status " + status;
            }
        };
    }

    /** Writes a problem as the whole response body, for code outside Spring MVC (filters, security handlers). */
    static void write(HttpServletResponse response, ProblemDetail problem, JsonMapper json) throws IOException {
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
    }
}

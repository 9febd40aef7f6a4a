package io.opentrackers.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.opentrackers.common.FieldViolation;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/**
 * Builds the RFC 9457 problem documents of the whole service. Every problem carries {@code message} with the
 * same text as {@code detail} (the field the old Symbl clients read) and a stable {@code type} URI per kind.
 */
public final class Problems {

    private static final String TYPE_BASE = "https://opentrackers.io/problems/";

    private Problems() {
    }

    public static ProblemDetail of(HttpStatusCode status, String kind, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_BASE + kind));
        HttpStatus known = HttpStatus.resolve(status.value());
        problem.setTitle(known != null ? known.getReasonPhrase() : "Error");
        problem.setProperty("message", detail);
        return problem;
    }

    public static ProblemDetail invalid(String detail, List<FieldViolation> violations) {
        ProblemDetail problem = of(HttpStatus.BAD_REQUEST, "invalid-request", detail);
        if (!violations.isEmpty()) {
            problem.setProperty("errors", violations.stream().map(ProblemError::from).toList());
        }
        return problem;
    }

    /**
     * Sets {@code instance} to the request's path, for problems written outside Spring MVC (filters, security
     * entry points), where MVC does not fill it in.
     */
    public static ProblemDetail at(ProblemDetail problem, HttpServletRequest request) {
        try {
            problem.setInstance(URI.create(request.getRequestURI()));
        } catch (IllegalArgumentException e) {
            // a path that is not a valid URI reference is left out rather than failing the error response
        }
        return problem;
    }

    /** Keeps {@code message} equal to {@code detail} on problems that Spring built itself. */
    static ProblemDetail withMessage(ProblemDetail problem) {
        problem.setProperty("message", problem.getDetail());
        return problem;
    }

    /** One entry of a problem's {@code errors} list. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ProblemError(Integer index, String field, String message) {
        static ProblemError from(FieldViolation violation) {
            return new ProblemError(violation.index(), violation.field(), violation.message());
        }
    }
}

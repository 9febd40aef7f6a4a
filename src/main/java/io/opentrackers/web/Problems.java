package io.opentrackers.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.opentrackers.common.FieldViolation;
import io.opentrackers.common.PayloadTooLargeException;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/**
 * Builds the RFC 9457 problem documents of the whole service. Every problem carries {@code message} with the
 * same text as {@code detail} (the field the old Symbl clients read) and a stable {@code type} URI per kind.
 */
public final class Problems {

    private static final String TYPE_BASE = "https://opentrackers.io/problems/";
    private static final URI BLANK = URI.create("about:blank");

    private Problems() {
    }

    /**
     * The problem kind of a status for problems that have no more specific one (the framework's own errors):
     * {@code invalid-request}, {@code not-found}, {@code method-not-allowed}, {@code internal-error}, ...
     */
    public static String kindFor(HttpStatusCode status) {
        return switch (status.value()) {
            case 400 -> "invalid-request";
            case 413 -> "payload-too-large";
            case 500 -> "internal-error";
            default -> {
                HttpStatus known = HttpStatus.resolve(status.value());
                yield known == null ? "http-" + status.value()
                        : known.getReasonPhrase().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
            }
        };
    }

    public static ProblemDetail of(HttpStatusCode status, String kind, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_BASE + kind));
        HttpStatus known = HttpStatus.resolve(status.value());
        problem.setTitle(known != null ? known.getReasonPhrase() : "Error");
        problem.setProperty("message", detail);
        return problem;
    }

    /**
     * A 500 for a failure of the service: logged at ERROR with an id the problem carries as {@code errorId}, so the
     * operator finds the line (and its stack trace) of the failure a user reports, among many.
     */
    public static ProblemDetail failure(Logger log, String what, Throwable cause) {
        String errorId = UUID.randomUUID().toString();
        log.error("{} (errorId {})", what, errorId, cause);
        ProblemDetail problem = of(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "The service failed to "
                + "handle the request; the failure was logged with errorId " + errorId + " for its operator.");
        problem.setProperty("errorId", errorId);
        return problem;
    }

    /**
     * The {@code Retry-After} value of a 429 (RFC 9110 delay-seconds): whole seconds, rounded up so that a client
     * that waits exactly that long is not refused again, and at least 1.
     */
    public static String retryAfterSeconds(Duration wait) {
        return Long.toString(Math.max(1, (wait.toMillis() + 999) / 1000));
    }

    /** 413, naming what was too large in {@code errors}. */
    public static ProblemDetail tooLarge(PayloadTooLargeException e) {
        ProblemDetail problem = of(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", e.getMessage());
        problem.setProperty("errors", List.of(ProblemError.from(e.violation())));
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
        String path = request.getRequestURI();
        if (path == null || path.isEmpty()) {
            return problem; // Tomcat could not read the request line (e.g. it is over the size limit): no path
        }
        try {
            problem.setInstance(URI.create(path));
        } catch (IllegalArgumentException e) {
            // a path that is not a valid URI reference is left out rather than failing the error response
        }
        return problem;
    }

    /**
     * Completes a problem that Spring built itself: a {@code type} for its status (Spring leaves
     * {@code about:blank}, which is not written), a title, and {@code message} equal to {@code detail}.
     */
    static ProblemDetail complete(ProblemDetail problem) {
        if (problem.getType() == null || BLANK.equals(problem.getType())) {
            problem.setType(URI.create(TYPE_BASE + kindFor(HttpStatusCode.valueOf(problem.getStatus()))));
        }
        if (problem.getTitle() == null) {
            HttpStatus known = HttpStatus.resolve(problem.getStatus());
            problem.setTitle(known != null ? known.getReasonPhrase() : "Error");
        }
        if (problem.getDetail() == null) {
            problem.setDetail(problem.getTitle());
        }
        problem.setProperty("message", problem.getDetail());
        return problem;
    }

    /**
     * One entry of a problem's {@code errors} list. Every 4xx problem that lists errors names the field and the reason
     * of each; the document says so (required), and the constructor holds every answer to it.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(description = "One offending field of the request and why it was refused")
    public record ProblemError(
            @Schema(description = "For a request of many items (bulk create, several examples): the item's position, "
                    + "from 0", example = "1") Integer index,
            @Schema(description = "The offending field, as a JSON path into the body (`vocabulary[2]`, "
                    + "`messages[0].payload.content`), or the query parameter or header (`limit`, `Accept`)",
                    example = "vocabulary[2]", requiredMode = Schema.RequiredMode.REQUIRED) String field,
            @Schema(description = "Why it was refused, naming the offending value where there is one",
                    example = "must not be blank", requiredMode = Schema.RequiredMode.REQUIRED) String message) {

        public ProblemError {
            Objects.requireNonNull(field, "a problem's error names its field");
            Objects.requireNonNull(message, "a problem's error says why");
        }

        static ProblemError from(FieldViolation violation) {
            return new ProblemError(violation.index(), violation.field(), violation.message());
        }
    }
}

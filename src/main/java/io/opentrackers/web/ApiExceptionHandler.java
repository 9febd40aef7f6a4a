package io.opentrackers.web;

import io.opentrackers.common.ConflictException;
import io.opentrackers.common.DatabaseUnavailable;
import io.opentrackers.common.FieldViolation;
import io.opentrackers.common.InvalidInputException;
import io.opentrackers.common.JsonErrors;
import io.opentrackers.common.NotFoundException;
import io.opentrackers.common.PayloadTooLargeException;
import io.opentrackers.common.StaleRevisionException;
import io.opentrackers.common.TooManyRequestsException;
import io.opentrackers.common.UnprocessableException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.converter.HttpMessageNotWritableException;
import org.springframework.validation.FieldError;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import org.springframework.web.util.DisconnectedClientHelper;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamWriteException;
import tools.jackson.databind.exc.InvalidDefinitionException;

/**
 * The one place where exceptions become HTTP responses. Domain exceptions stay HTTP-agnostic; this class
 * decides their status and problem {@code type}. Anything unexpected is logged and answered with a 500 that
 * leaks no internals.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    private final UnknownPaths unknownPaths;

    ApiExceptionHandler(UnknownPaths unknownPaths) {
        this.unknownPaths = unknownPaths;
    }

    @ExceptionHandler(InvalidInputException.class)
    ResponseEntity<ProblemDetail> invalidInput(InvalidInputException e) {
        return problem(Problems.invalid(e.getMessage(), e.violations()));
    }

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(NotFoundException e) {
        return problem(Problems.of(HttpStatus.NOT_FOUND, "not-found", e.getMessage()));
    }

    @ExceptionHandler(ConflictException.class)
    ResponseEntity<ProblemDetail> conflict(ConflictException e) {
        ProblemDetail problem = Problems.of(HttpStatus.CONFLICT, e.kind(), e.getMessage());
        if (!e.violations().isEmpty()) {
            problem.setProperty("errors", e.violations().stream().map(Problems.ProblemError::from).toList());
        }
        return problem(problem);
    }

    /**
     * A conditional change ({@code If-Match}) that found another revision: 412 (RFC 9110 section 13.1.1, RFC 5789
     * "conflicting modification"), naming the current version and its entity tag.
     */
    @ExceptionHandler(StaleRevisionException.class)
    ResponseEntity<ProblemDetail> stale(StaleRevisionException e) {
        ProblemDetail problem = Problems.of(HttpStatus.PRECONDITION_FAILED, "precondition-failed", e.getMessage());
        problem.setProperty("version", e.currentVersion());
        problem.setProperty("etag", e.currentTag());
        return problem(problem);
    }

    @ExceptionHandler(UnprocessableException.class)
    ResponseEntity<ProblemDetail> unprocessable(UnprocessableException e) {
        ProblemDetail problem = Problems.of(HttpStatus.UNPROCESSABLE_CONTENT, e.kind(), e.getMessage());
        problem.setProperty("errors", e.violations().stream().map(Problems.ProblemError::from).toList());
        return problem(problem);
    }

    @ExceptionHandler(TooManyRequestsException.class)
    ResponseEntity<ProblemDetail> tooMany(TooManyRequestsException e) {
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                .header(HttpHeaders.RETRY_AFTER, Problems.retryAfterSeconds(e.retryAfter()))
                .body(Problems.of(HttpStatus.TOO_MANY_REQUESTS, "too-many-requests", e.getMessage()));
    }

    @ExceptionHandler(PayloadTooLargeException.class)
    ResponseEntity<ProblemDetail> tooLarge(PayloadTooLargeException e) {
        return problem(Problems.tooLarge(e));
    }

    /**
     * A query or path parameter that does not convert ({@code ?limit=abc}): the problem says what it must be, as the
     * body's rules do, instead of "invalid value".
     */
    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e) {
        FieldViolation violation = FieldViolation.of(e.getName(), parameterReason(e.getRequiredType(),
                String.valueOf(e.getValue())));
        return problem(Problems.invalid(violation.describe(), List.of(violation)));
    }

    private static String parameterReason(Class<?> type, String value) {
        String quoted = "'" + (value.length() > 60 ? value.substring(0, 60) + "…" : value) + "'";
        boolean whole = type != null && (type == Integer.class || type == int.class || type == Long.class
                || type == long.class || type == Short.class || type == short.class);
        if (!whole) {
            return "must be " + JsonErrors.expected(type) + ", was " + quoted;
        }
        // digits that did not convert are beyond the type's range
        return value.strip().matches("[+-]?\\d+") ? "is out of range, was " + quoted
                : "must be a whole number, was " + quoted;
    }

    /**
     * Binding errors raised after parsing, e.g. when a controller converts a JSON tree it read itself. Errors
     * that are the service's own fault (writing JSON, a type Jackson cannot handle) stay 500s.
     */
    @ExceptionHandler(JacksonException.class)
    ResponseEntity<ProblemDetail> jackson(JacksonException e) {
        if (e instanceof StreamWriteException || e instanceof InvalidDefinitionException) {
            return unexpected(e);
        }
        return problem(invalidJson(e));
    }

    /**
     * A write that names an account no longer there: the operator deleted the account while this request ran
     * ({@code DELETE /admin/accounts/{appId}} commits between the request's token check and its insert). Its
     * credentials are gone, as the next request would be told; anything else of the kind stays a 500.
     */
    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<ProblemDetail> dataIntegrity(DataIntegrityViolationException e) {
        if (!namesADeletedAccount(e)) {
            return unexpected(e);
        }
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .body(Problems.of(HttpStatus.UNAUTHORIZED, "unauthorized",
                        "The account was deleted while this request ran; nothing of it was stored"));
    }

    /**
     * A foreign-key violation (SQLState 23503) of a constraint on an {@code account_id} column: every table that
     * holds account data refers to its account that way (the constraint names PostgreSQL gives them end in
     * {@code account_id_fkey}).
     */
    static boolean namesADeletedAccount(DataIntegrityViolationException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof java.sql.SQLException sql && "23503".equals(sql.getSQLState())
                    && sql.getMessage() != null && sql.getMessage().contains("account_id_fkey")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Anything else: a 503 with {@code Retry-After} when it is the database being out of reach (the request succeeds
     * once it is back; {@link DatabaseUnavailableFilter}), else a 500.
     */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
        if (DisconnectedClientHelper.isClientDisconnectedException(e)) {
            return clientGone(e, request);
        }
        if (DatabaseUnavailable.isCause(e)) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header(HttpHeaders.RETRY_AFTER, DatabaseUnavailableFilter.RETRY_AFTER_SECONDS)
                    .body(DatabaseUnavailableFilter.problem(request, e));
        }
        return unexpected(e);
    }

    /**
     * The client went away while its answer was written (a closed tab, a cancelled download, a timeout on its side):
     * nobody is left to answer, and nothing failed on the service's side, so no error and no stack trace in the log.
     */
    private static <T> ResponseEntity<T> clientGone(Exception e, HttpServletRequest request) {
        log.debug("{} {}: the client went away before its answer was written ({})", request.getMethod(),
                request.getRequestURI(), e.toString());
        return null;
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotWritable(HttpMessageNotWritableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (DisconnectedClientHelper.isClientDisconnectedException(e)
                && request instanceof ServletWebRequest servlet) {
            return clientGone(e, servlet.getRequest());
        }
        return super.handleHttpMessageNotWritable(e, headers, status, request);
    }

    private ResponseEntity<ProblemDetail> unexpected(Exception e) {
        return problem(Problems.failure(log, "Unexpected error", e));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        PayloadTooLargeException tooLarge = findCause(e, PayloadTooLargeException.class);
        if (tooLarge != null) {
            return new ResponseEntity<>(Problems.tooLarge(tooLarge), HttpStatus.CONTENT_TOO_LARGE);
        }
        return new ResponseEntity<>(invalidJson(findCause(e, JacksonException.class)), HttpStatus.BAD_REQUEST);
    }

    private static ProblemDetail invalidJson(JacksonException jackson) {
        String reason = jackson == null ? "the request body is missing or is not JSON" : JsonErrors.reason(jackson);
        // the field refused, or every misspelt member of the body; else the body itself, which did not parse
        List<FieldViolation> found = jackson == null ? List.of() : JsonErrors.violations(jackson);
        List<FieldViolation> violations = found.isEmpty() ? List.of(FieldViolation.of("body", reason)) : found;
        String detail = found.isEmpty() ? "Malformed request body: " + reason
                : violations.size() == 1
                        ? violations.get(0).describe()
                        : "Invalid values: " + reason;
        return Problems.invalid(detail, violations);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldViolation> violations = new ArrayList<>();
        // a rule without a message of its own still says what was refused: every error names field and reason
        e.getBindingResult().getFieldErrors().forEach(error ->
                violations.add(FieldViolation.of(error.getField(), error.isBindingFailure() ? conversionFailure(error)
                        : error.getDefaultMessage() != null ? error.getDefaultMessage()
                        : "'" + error.getRejectedValue() + "' is not a valid value")));
        String detail = violations.stream().map(FieldViolation::describe).reduce((a, b) -> a + "; " + b)
                .orElse("Invalid request");
        return new ResponseEntity<>(Problems.invalid(detail, violations), HttpStatus.BAD_REQUEST);
    }

    /**
     * Neither a controller nor a file of the UI answers the path. Spring's detail ({@code No static resource
     * v1/manage/Trackers.}) says where it looked last, not what the client asked for; this names the request.
     */
    @Override
    protected ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException e, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String path = request instanceof ServletWebRequest servlet ? servlet.getRequest().getRequestURI()
                : "/" + e.getResourcePath();
        ProblemDetail problem = Problems.of(HttpStatus.NOT_FOUND, "not-found",
                "No endpoint " + e.getHttpMethod().name() + " " + path + "."
                        + unknownPaths.hint(path).map(hint -> " " + hint).orElse(""));
        return createResponseEntity(problem, headers, status, request);
    }

    /**
     * A method the path does not take. Spring's {@code Allow} named only the mapped methods, without the HEAD and
     * OPTIONS that Spring MVC answers on every GET path, so it disagreed with {@code OPTIONS} of the same path; RFC 9110
     * (section 15.5.6) wants every method the resource takes. The detail names them too.
     */
    @Override
    protected ResponseEntity<Object> handleHttpRequestMethodNotSupported(HttpRequestMethodNotSupportedException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        pageNotFoundLogger.warn(e.getMessage());
        Set<HttpMethod> mapped = e.getSupportedHttpMethods() == null ? Set.of() : e.getSupportedHttpMethods();
        List<String> allowed = new ArrayList<>();
        for (HttpMethod method : HttpMethod.values()) {
            boolean implied = HttpMethod.HEAD.equals(method) && mapped.contains(HttpMethod.GET)
                    || HttpMethod.OPTIONS.equals(method) && !mapped.isEmpty();
            if (mapped.contains(method) || implied) {
                allowed.add(method.name());
            }
        }
        HttpHeaders withAllow = new HttpHeaders();
        withAllow.putAll(headers);
        withAllow.set(HttpHeaders.ALLOW, String.join(", ", allowed));
        ProblemDetail problem = Problems.of(status, Problems.kindFor(status), "Method '" + e.getMethod()
                + "' is not supported here" + (allowed.isEmpty() ? "." : "; this path takes " + withAllow.getFirst(
                        HttpHeaders.ALLOW) + "."));
        return createResponseEntity(problem, withAllow, status, request);
    }

    /**
     * A client that refused JSON outright ({@code Accept: application/json;q=0}) gets its 406 without a body: the
     * problem would be JSON too. Every other 406 carries the problem as {@code application/problem+json}.
     */
    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotAcceptable(HttpMediaTypeNotAcceptableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String[] accept = request.getHeaderValues(HttpHeaders.ACCEPT);
        if (accept != null && AcceptRanges.refuseJson(AcceptRanges.of(List.of(accept)))) {
            return ResponseEntity.status(status).headers(headers).build();
        }
        ResponseEntity<Object> refused = super.handleHttpMediaTypeNotAcceptable(e, headers, status, request);
        if (refused != null && refused.getBody() instanceof ProblemDetail problem) {
            String offered = e.getSupportedMediaTypes().stream().map(MediaType::toString).distinct()
                    .collect(java.util.stream.Collectors.joining(", "));
            problem.setProperty("errors", List.of(Problems.ProblemError.from(FieldViolation.of(HttpHeaders.ACCEPT,
                    offered.isEmpty() ? "accepts nothing this path answers"
                            : "must accept one of: " + offered))));
        }
        return refused;
    }

    /**
     * A body without a {@code Content-Type}, or with one the endpoint does not read. Spring's detail ("Content-Type
     * 'null' is not supported") names neither what was missing nor what would do; this lists the accepted types.
     */
    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String accepted = e.getSupportedMediaTypes().stream().map(MediaType::toString).distinct()
                .collect(java.util.stream.Collectors.joining(", "));
        String header = request.getHeader(HttpHeaders.CONTENT_TYPE);
        String sent;
        if (e.getContentType() != null) {
            sent = "Content-Type '" + e.getContentType().getType() + "/" + e.getContentType().getSubtype()
                    + "' is not accepted here";
        } else if (header == null || header.isBlank()) {
            sent = "The request has no Content-Type header";
        } else {
            // Spring could not parse it (an unknown charset, say): it was there, so "no Content-Type" misled
            sent = "Content-Type '" + quoted(header) + "' cannot be read (" + quoted(e.getMessage()) + ")";
        }
        ProblemDetail problem = Problems.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                sent + (accepted.isEmpty() ? "." : "; send one of: " + accepted + "."));
        problem.setProperty("errors", List.of(Problems.ProblemError.from(FieldViolation.of(HttpHeaders.CONTENT_TYPE,
                accepted.isEmpty() ? "is not accepted here" : "must be one of: " + accepted))));
        return createResponseEntity(problem, headers, status, request);
    }

    /** A client's text quoted in a problem: at most 200 characters, so a huge header does not come back whole. */
    private static String quoted(String text) {
        return text == null ? "" : text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }

    /** Every problem Spring builds for its own exceptions gets the {@code message} member too. */
    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        if (body instanceof ProblemDetail problem) {
            Problems.complete(problem);
        }
        return super.createResponseEntity(body, headers, statusCode, request);
    }

    /**
     * A query parameter that does not convert ({@code ?enableAllTrackers=maybe}); Spring's default message names
     * the Java types involved.
     */
    private static String conversionFailure(FieldError error) {
        TypeMismatchException mismatch = error.contains(TypeMismatchException.class)
                ? error.unwrap(TypeMismatchException.class) : null;
        String value = "'" + error.getRejectedValue() + "'";
        return mismatch == null || mismatch.getRequiredType() == null ? value + " is not a valid value"
                : value + " is not " + JsonErrors.expected(mismatch.getRequiredType());
    }

    private static ResponseEntity<ProblemDetail> problem(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus()).body(problem);
    }

    private static <T extends Throwable> T findCause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}

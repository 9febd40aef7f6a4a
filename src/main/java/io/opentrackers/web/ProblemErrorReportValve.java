package io.opentrackers.web;

import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tomcat's error report, as a problem: requests that Tomcat refuses before any servlet sees them (an encoded
 * '/', '%00' or bytes that are not UTF-8 in the path, a request line or headers over the size limit) were
 * answered with Tomcat's HTML page. Errors that reach the application are answered by {@code /error}
 * ({@link ProblemErrorController}) and have a body already, which this valve leaves alone, as Tomcat's does.
 */
class ProblemErrorReportValve extends ErrorReportValve {

    private static final Logger log = LoggerFactory.getLogger(ProblemErrorReportValve.class);

    private final JsonMapper json;

    ProblemErrorReportValve(JsonMapper json) {
        this.json = json;
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(true);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return; // the connection is already broken: nobody would read the report
        }
        ProblemDetail problem = Problems.at(FrameworkErrors.problem(status, null), request);
        if (problem.getInstance() == null) {
            // Tomcat could not read the request line (it is over the size limit), so there is no path to name:
            // the instance names this occurrence instead, and the log line ties it to the refusal
            problem.setInstance(URI.create("urn:uuid:" + UUID.randomUUID()));
            log.debug("Refused an unreadable request with status {} as {}", status, problem.getInstance());
        }
        try {
            String body = json.writeValueAsString(problem);
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            // the reporter is a character writer: the raw URI in instance may hold any byte the client sent
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(body);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client went away or the response was committed meanwhile; there is nobody left to tell
        }
    }
}

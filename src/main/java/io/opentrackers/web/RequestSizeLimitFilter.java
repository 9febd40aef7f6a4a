package io.opentrackers.web;

import io.opentrackers.common.FieldViolation;
import io.opentrackers.common.PayloadTooLargeException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Refuses request bodies larger than {@code trackers.web.max-request-body} (1 MB by default) with 413,
 * both when Content-Length announces it and when a chunked body turns out to be too long while it is read.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class RequestSizeLimitFilter extends OncePerRequestFilter {

    private final long maxBytes;
    private final JsonMapper jsonMapper;

    RequestSizeLimitFilter(WebProperties properties, JsonMapper jsonMapper) {
        this.maxBytes = properties.maxRequestBody().toBytes();
        this.jsonMapper = jsonMapper;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > maxBytes) {
            FrameworkErrors.write(response, Problems.at(Problems.tooLarge(tooLarge()), request), jsonMapper);
            return;
        }
        chain.doFilter(new LimitedRequest(request), response);
    }

    private PayloadTooLargeException tooLarge() {
        return tooLarge(maxBytes);
    }

    /** What a body over {@code maxBytes} is refused with. */
    static PayloadTooLargeException tooLarge(long maxBytes) {
        long kilobytes = DataSize.ofBytes(maxBytes).toKilobytes();
        return new PayloadTooLargeException("The request body exceeds the limit of " + kilobytes + " KB",
                FieldViolation.of("body", "exceeds the limit of " + kilobytes + " KB; send less in one request (a "
                        + "conversation in parts: PUT /v1/process/text/{conversationId} appends)"));
    }

    private final class LimitedRequest extends HttpServletRequestWrapper {

        private ServletInputStream limited;

        LimitedRequest(HttpServletRequest request) {
            super(request);
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (limited == null) {
                limited = new LimitedInputStream(super.getInputStream());
            }
            return limited;
        }
    }

    private final class LimitedInputStream extends ServletInputStream {

        private final ServletInputStream delegate;
        private long count;

        LimitedInputStream(ServletInputStream delegate) {
            this.delegate = delegate;
        }

        @Override
        public int read() throws IOException {
            int b = delegate.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = delegate.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) {
            count += n;
            if (count > maxBytes) {
                throw tooLarge();
            }
        }

        @Override
        public boolean isFinished() {
            return delegate.isFinished();
        }

        @Override
        public boolean isReady() {
            return delegate.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            delegate.setReadListener(listener);
        }
    }
}

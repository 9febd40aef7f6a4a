package io.opentrackers.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code Accept-Patch} only where a path takes PATCH. Spring's answer to OPTIONS lists the patch types of the path's
 * PATCH mappings and, on a path without any, sent the header with no value ({@code Accept-Patch: }), which RFC 5789
 * does not allow ({@code Accept-Patch = 1#media-type}) and which says "takes PATCH in no type" rather than nothing.
 */
@Component
class AcceptPatchFilter extends OncePerRequestFilter {

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !HttpMethod.OPTIONS.matches(request.getMethod());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(request, new HttpServletResponseWrapper(response) {
            @Override
            public void setHeader(String name, String value) {
                if (!blankAcceptPatch(name, value)) {
                    super.setHeader(name, value);
                }
            }

            @Override
            public void addHeader(String name, String value) {
                if (!blankAcceptPatch(name, value)) {
                    super.addHeader(name, value);
                }
            }
        });
    }

    private static boolean blankAcceptPatch(String name, String value) {
        return HttpHeaders.ACCEPT_PATCH.equalsIgnoreCase(name) && (value == null || value.isBlank());
    }
}

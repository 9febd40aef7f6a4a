package io.opentrackers.account;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.MDC;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Puts the caller's account id into the logging context ({@code accountId}) for the rest of the request, so that
 * every line a request logs says whose it was (structured logs carry it as a field).
 */
class AccountLogContext extends OncePerRequestFilter {

    static final String KEY = "accountId";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (!(authentication instanceof JwtAuthenticationToken token)) {
            chain.doFilter(request, response);
            return;
        }
        try (MDC.MDCCloseable account = MDC.putCloseable(KEY, token.getToken().getSubject())) {
            chain.doFilter(request, response);
        }
    }
}

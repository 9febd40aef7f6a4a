package io.opentrackers.account;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpMethod;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.util.StringUtils;

/**
 * Finds the access token where Symbl-era clients put it: {@code Authorization: Bearer}, the legacy
 * {@code x-api-key} header, or {@code ?access_token=} on WebSocket upgrades of the streaming paths (browsers
 * cannot set headers when they open a WebSocket). Anywhere else a token in the URL is ignored: URLs end up in
 * access logs, proxies and browser history, so it is accepted only where there is no other way.
 */
class ApiTokenResolver implements BearerTokenResolver {

    private static final String[] WEBSOCKET_PATHS = {"/v1/streaming/", "/v1/realtime/"};

    private final DefaultBearerTokenResolver headers = new DefaultBearerTokenResolver();
    private final DefaultBearerTokenResolver headersOrQuery = new DefaultBearerTokenResolver();

    ApiTokenResolver() {
        headersOrQuery.setAllowUriQueryParameter(true);
    }

    @Override
    public String resolve(HttpServletRequest request) {
        String token = (isWebSocketUpgrade(request) ? headersOrQuery : headers).resolve(request);
        if (token != null) {
            return token;
        }
        String apiKey = request.getHeader("x-api-key");
        if (StringUtils.hasText(apiKey)) {
            String value = apiKey.strip();
            return value.regionMatches(true, 0, "Bearer ", 0, 7) ? value.substring(7).strip() : value;
        }
        return null;
    }

    static boolean isWebSocketUpgrade(HttpServletRequest request) {
        if (!HttpMethod.GET.matches(request.getMethod()) || !"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            return false;
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        for (String prefix : WEBSOCKET_PATHS) {
            if (path.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}

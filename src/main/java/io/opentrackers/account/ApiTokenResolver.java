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
    /** The streaming path without its connection id: its handshake is told the id is missing, not the token. */
    private static final String STREAMING_WITHOUT_ID = "/v1/streaming";

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
        return HttpMethod.GET.matches(request.getMethod())
                && "websocket".equalsIgnoreCase(request.getHeader("Upgrade")) && isWebSocketPath(request);
    }

    /**
     * A request to a streaming path that is no WebSocket handshake (the URL opened in a browser or with curl, a POST):
     * it opens nothing, so it needs no token, and the streaming endpoint answers it with a problem saying what the path
     * is. With a token required first, the documented URL with {@code ?access_token=} was told "a valid access token is
     * required" although its token was valid, since a token in the URL is read on handshakes only.
     */
    static boolean isPlainRequestToAWebSocketPath(HttpServletRequest request) {
        // CONNECT is how HTTP/2 opens a WebSocket (RFC 8441): a handshake, authenticated as the GET upgrade is
        return !isWebSocketUpgrade(request) && !"CONNECT".equals(request.getMethod()) && isWebSocketPath(request);
    }

    private static boolean isWebSocketPath(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.equals(STREAMING_WITHOUT_ID)) {
            return true;
        }
        for (String prefix : WEBSOCKET_PATHS) {
            if (path.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}

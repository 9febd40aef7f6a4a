package io.opentrackers.account;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.util.StringUtils;

/**
 * Finds the access token where Symbl-era clients put it: {@code Authorization: Bearer}, the legacy
 * {@code x-api-key} header, or {@code ?access_token=} on GET requests (how browsers open WebSockets).
 */
class ApiTokenResolver implements BearerTokenResolver {

    private final DefaultBearerTokenResolver standard = new DefaultBearerTokenResolver();

    ApiTokenResolver() {
        standard.setAllowUriQueryParameter(true);
    }

    @Override
    public String resolve(HttpServletRequest request) {
        String token = standard.resolve(request);
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
}

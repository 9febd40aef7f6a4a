package io.opentrackers.web;

import static io.opentrackers.common.Settings.positive;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * @param maxRequestBody the largest request body accepted (413 above it)
 * @param allowedOrigins the origins whose pages may call the API from a browser (CORS, {@link CrossOriginFilter}):
 *                       {@code https://app.example.com}, a pattern {@code https://*.example.com} or
 *                       {@code http://localhost:[*]} (any port), or {@code *} for any; none by default
 */
@ConfigurationProperties("trackers.web")
public record WebProperties(DataSize maxRequestBody, List<String> allowedOrigins) {

    public WebProperties {
        if (maxRequestBody == null) {
            maxRequestBody = DataSize.ofMegabytes(1);
        }
        // a limit of 0 or less would refuse every request with a body (413)
        positive("trackers.web.max-request-body", maxRequestBody);
        allowedOrigins = allowedOrigins == null ? List.of()
                : allowedOrigins.stream().map(String::trim).filter(origin -> !origin.isEmpty()).toList();
        allowedOrigins.forEach(WebProperties::checkOrigin);
    }

    /**
     * An origin is a scheme, a host and maybe a port: a browser's {@code Origin} never has a path, so a value with
     * one (a trailing slash included) or without a scheme would never match, and every call of that page would fail
     * with a CORS error that names nothing on this side.
     */
    private static void checkOrigin(String origin) {
        if (origin.equals("*")) {
            return;
        }
        String reason;
        try {
            // a pattern's "*" and its list of ports ("https://*.example.com", "http://127.0.0.1:[*]") are not
            // an address's characters: checked as a plain host without them
            URI uri = new URI(origin.replaceFirst(":\\[[0-9*,]*]$", "").replace("*", "wildcard"));
            reason = uri.getScheme() == null || uri.getHost() == null ? "has no scheme and host"
                    : !uri.getRawPath().isEmpty() ? "has a path (" + uri.getRawPath() + ")"
                    : uri.getRawQuery() != null || uri.getRawFragment() != null ? "has a query or fragment"
                    : uri.getRawUserInfo() != null ? "has user information" : null;
        } catch (URISyntaxException e) {
            reason = "is not an address";
        }
        if (reason != null) {
            throw new IllegalArgumentException("trackers.web.allowed-origins: " + origin + " " + reason
                    + "; an origin is scheme://host[:port], e.g. https://app.example.com or https://*.example.com, "
                    + "or * for any");
        }
    }
}

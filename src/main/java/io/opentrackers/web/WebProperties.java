package io.opentrackers.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/** @param maxRequestBody the largest request body accepted (413 above it). */
@ConfigurationProperties("trackers.web")
public record WebProperties(DataSize maxRequestBody) {

    public WebProperties {
        if (maxRequestBody == null) {
            maxRequestBody = DataSize.ofMegabytes(1);
        }
        if (maxRequestBody.toBytes() <= 0) {
            // the service started and refused every request with a body (413)
            throw new IllegalArgumentException("trackers.web.max-request-body must be positive, was " + maxRequestBody);
        }
    }
}

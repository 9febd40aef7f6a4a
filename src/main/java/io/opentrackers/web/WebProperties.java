package io.opentrackers.web;

import static io.opentrackers.common.Settings.positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/** @param maxRequestBody the largest request body accepted (413 above it). */
@ConfigurationProperties("trackers.web")
public record WebProperties(DataSize maxRequestBody) {

    public WebProperties {
        if (maxRequestBody == null) {
            maxRequestBody = DataSize.ofMegabytes(1);
        }
        // a limit of 0 or less would refuse every request with a body (413)
        positive("trackers.web.max-request-body", maxRequestBody);
    }
}

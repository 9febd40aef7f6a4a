package io.opentrackers.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FrameworkErrorsTest {

    @Test
    void statusesTomcatAnswersForWhatTheClientSentDoNotBlameTheService() {
        assertThat(FrameworkErrors.describe(501)).contains("does not implement").doesNotContain("failed");
        assertThat(FrameworkErrors.describe(505)).contains("HTTP version").doesNotContain("failed");
        assertThat(FrameworkErrors.describe(500)).startsWith("The service failed");
        assertThat(FrameworkErrors.describe(503)).startsWith("The service failed");
    }
}

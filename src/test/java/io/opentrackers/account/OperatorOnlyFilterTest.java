package io.opentrackers.account;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a scrape of the metrics is told when it is refused: the operator key it must send, or that an operator key
 * must be configured first. Not a request for an access token, which the metrics never accept.
 */
class OperatorOnlyFilterTest {

    private static OperatorOnlyFilter filter(String configuredKey) {
        AccountProperties properties = new AccountProperties(null, new AccountProperties.Admin(configuredKey), null);
        return new OperatorOnlyFilter(new OperatorKey(properties, new LoginThrottle(properties)), JsonMapper.builder().build());
    }

    private static MockHttpServletResponse scrape(OperatorOnlyFilter filter, String presentedKey, MockFilterChain chain)
            throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/actuator/prometheus");
        request.addHeader("Authorization", "Bearer a-tenants-token");
        if (presentedKey != null) {
            request.addHeader("X-Operator-Key", presentedKey);
        }
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, chain);
        return response;
    }

    @Test
    void withoutAConfiguredKeyTheScrapeIsToldHowToTurnTheMetricsOn() throws Exception {
        MockFilterChain chain = new MockFilterChain();
        MockHttpServletResponse response = scrape(filter(""), "anything", chain);
        assertThat(response.getStatus()).isEqualTo(403);
        assertThat(response.getContentType()).isEqualTo("application/problem+json");
        assertThat(response.getContentAsString())
                .contains("The metrics are disabled: set trackers.admin.operator-key to read them with X-Operator-Key")
                .contains("\"instance\":\"/actuator/prometheus\"");
        assertThat(chain.getRequest()).as("the metrics were not served").isNull();
    }

    @Test
    void aTokenWithoutTheKeyIsToldToSendTheKey() throws Exception {
        MockFilterChain chain = new MockFilterChain();
        MockHttpServletResponse response = scrape(filter("the-operator-key"), null, chain);
        assertThat(response.getStatus()).isEqualTo(403);
        assertThat(response.getContentAsString()).contains("A valid X-Operator-Key header is required")
                .doesNotContain("access token is required");
        assertThat(chain.getRequest()).isNull();
    }

    @Test
    void theKeyOpensTheMetrics() throws Exception {
        MockFilterChain chain = new MockFilterChain();
        MockHttpServletResponse response = scrape(filter("the-operator-key"), "the-operator-key", chain);
        assertThat(chain.getRequest()).as("the metrics were served").isNotNull();
        assertThat(response.getStatus()).isEqualTo(200);
    }
}

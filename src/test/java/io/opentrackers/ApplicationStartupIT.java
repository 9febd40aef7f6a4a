package io.opentrackers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.RestClient;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ApplicationStartupIT {

    @LocalServerPort
    int port;

    @Test
    void healthAndOpenApiAreServedWithoutAToken() {
        RestClient client = RestClient.create("http://localhost:" + port);
        assertThat(client.get().uri("/actuator/health").retrieve().body(String.class)).contains("\"UP\"");
        assertThat(client.get().uri("/v3/api-docs").retrieve().body(String.class)).contains("/oauth2/token:generate");
    }
}

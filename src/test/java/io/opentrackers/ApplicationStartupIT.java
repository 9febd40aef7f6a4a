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
        String health = client.get().uri("/actuator/health").retrieve().body(String.class);
        assertThat(health).contains("\"status\":\"UP\"")
                // each part is named, so a DOWN says which part; its details (database product, disk paths) are not
                .contains("\"db\":{\"status\":\"UP\"}", "\"readinessState\":{\"status\":\"UP\"}")
                .doesNotContain("PostgreSQL", "\"details\"");
        assertThat(client.get().uri("/v3/api-docs").retrieve().body(String.class)).contains("/oauth2/token:generate");
    }

    /** Which model an instance answers with, for an operator who changed it or rolls instances to another one. */
    @Test
    void infoNamesTheModelWithoutItsPath() {
        String info = RestClient.create("http://localhost:" + port).get().uri("/actuator/info").retrieve()
                .body(String.class);
        assertThat(info).contains("\"model\":{\"id\":\"bge-small-en-v15-q\",\"vectorsId\":\"bge-small-en-v15-q~",
                        "\"source\":\"bundled\"", "\"dimension\":384", "\"pooling\":\"cls\"")
                .contains("\"build\":{")
                .doesNotContain(".onnx", "/tmp", "work-dir");
    }
}

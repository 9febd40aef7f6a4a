package io.opentrackers.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentrackers.ServiceClient;
import io.opentrackers.ServiceClient.Account;
import io.opentrackers.ServiceClient.Reply;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Its own context (five-second tokens), kept apart so the other tests share the default one. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "trackers.auth.token-ttl=5s")
class TokenExpiryIT {

    @LocalServerPort
    int port;

    @Test
    void anExpiredTokenIs401() throws InterruptedException {
        ServiceClient api = new ServiceClient(port);
        Account account = api.newAccount();
        assertThat(api.get(account, "/v1/manage/trackers").status()).isEqualTo(200);

        // exp has one-second resolution and no clock skew is allowed; five seconds keep the first call inside the
        // lifetime even on a loaded machine
        Thread.sleep(6100);

        Reply expired = api.get(account, "/v1/manage/trackers");
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.contentType()).isEqualTo("application/problem+json");
        assertThat(expired.text("detail")).contains("expired");
    }
}

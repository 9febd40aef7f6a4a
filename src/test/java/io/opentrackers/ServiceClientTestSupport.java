package io.opentrackers;

import io.opentrackers.ServiceClient.Account;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Tests of the running service (a {@code @SpringBootTest} on a random port) through {@link ServiceClient}, each test
 * as an account of its own, created before it.
 */
public abstract class ServiceClientTestSupport {

    @LocalServerPort
    protected int port;

    protected ServiceClient api;
    protected Account account;

    @BeforeEach
    void createAccountForTheTest() {
        api = new ServiceClient(port);
        account = api.newAccount();
    }
}

package io.opentrackers.account;

import io.opentrackers.common.ConflictException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * Makes sure someone can call a freshly started service. With {@code trackers.bootstrap.app-id} / {@code app-secret}
 * set, that account exists with that secret. Without them, the first start on an empty database (the README's
 * {@code ./mvnw spring-boot:run}) creates the account {@code demo} with a generated secret and prints it, with the
 * command that gets a token: a service with no account answers every token request with 401 and nobody could
 * tell why. Every later start without them says how to get in again: the first run's secret is printed only once,
 * and a user who lost it would otherwise find nothing in the log but a 401.
 */
@Component
class DefaultAccountBootstrap implements ApplicationRunner {

    static final String FIRST_RUN_APP_ID = "demo";

    private static final Logger log = LoggerFactory.getLogger(DefaultAccountBootstrap.class);

    private final AccountService accountService;
    private final AccountProperties properties;
    private final Environment environment;

    DefaultAccountBootstrap(AccountService accountService, AccountProperties properties, Environment environment) {
        this.accountService = accountService;
        this.properties = properties;
        this.environment = environment;
    }

    @Override
    public void run(ApplicationArguments args) {
        AccountProperties.Bootstrap bootstrap = properties.bootstrap();
        if (StringUtils.hasText(bootstrap.appId()) && StringUtils.hasText(bootstrap.appSecret())) {
            accountService.ensure(bootstrap.appId(), bootstrap.appSecret());
            log.info("Default account '{}' is ready", bootstrap.appId());
            if (bootstrap.appSecret().length() < AccountRules.MIN_SECRET) {
                // kept, as before (refusing it would stop a deployment that ran with it), but said: the admin API
                // refuses such a secret for any other account
                log.warn("TRACKERS_APP_SECRET (trackers.bootstrap.app-secret) has {} characters; a secret of fewer "
                        + "than {} is easy to guess, and the admin API refuses one for any other account",
                        bootstrap.appSecret().length(), AccountRules.MIN_SECRET);
            }
        } else if (!accountService.anyAccount()) {
            if (bootstrap.firstRun()) {
                createFirstRunAccount();
            }
        } else {
            log.info("No default account configured: the accounts already stored are used as they are. Lost the "
                    + "secret (the first run's '{}' is printed only once)? Start with TRACKERS_APP_ID={} and "
                    + "TRACKERS_APP_SECRET=<a new secret> set: that account gets the new secret.",
                    FIRST_RUN_APP_ID, FIRST_RUN_APP_ID);
        }
    }

    private void createFirstRunAccount() {
        AccountService.CreatedAccount account;
        try {
            account = accountService.create(FIRST_RUN_APP_ID, null, "first run");
        } catch (ConflictException e) {
            return; // another instance on the same database created it at the same moment and printed it
        }
        String port = environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"));
        String body = "{\"type\":\"application\",\"appId\":\"" + account.appId() + "\",\"appSecret\":\""
                + account.appSecret() + "\"}";
        log.warn("""

                First run: created the account appId={} appSecret={}
                The secret is shown this once (only its hash is stored). Get a token:
                  curl -s -X POST localhost:{}/oauth2/token:generate -H 'Content-Type: application/json' -d '{}'
                To choose the credentials yourself, start with TRACKERS_APP_ID and TRACKERS_APP_SECRET set.
                """, account.appId(), account.appSecret(), port, body);
    }
}

package io.opentrackers.account;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/** Creates the first-run account from {@code trackers.bootstrap.app-id} / {@code app-secret} when both are set. */
@Component
class DefaultAccountBootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DefaultAccountBootstrap.class);

    private final AccountService accountService;
    private final AccountProperties properties;

    DefaultAccountBootstrap(AccountService accountService, AccountProperties properties) {
        this.accountService = accountService;
        this.properties = properties;
    }

    @Override
    public void run(ApplicationArguments args) {
        AccountProperties.Bootstrap bootstrap = properties.bootstrap();
        if (StringUtils.hasText(bootstrap.appId()) && StringUtils.hasText(bootstrap.appSecret())) {
            accountService.ensure(bootstrap.appId(), bootstrap.appSecret());
            log.info("Default account '{}' is ready", bootstrap.appId());
        }
    }
}

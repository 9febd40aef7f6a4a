package io.opentrackers.job;

import io.opentrackers.account.AccountId;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Gives an account the secret its webhook notifications are signed with, so that its receivers can verify
 * {@code X-OpenTrackers-Signature}. Only the authenticated account's own secret is ever returned.
 */
@RestController
class WebhookSecretController {

    record WebhookSecretResponse(String secret) {
    }

    private final WebhookSecrets secrets;

    WebhookSecretController(WebhookSecrets secrets) {
        this.secrets = secrets;
    }

    @GetMapping("/v1/webhook-secret")
    @Operation(summary = "The secret this account's webhook notifications are signed with (HMAC-SHA256)")
    WebhookSecretResponse secret(AccountId account) {
        return new WebhookSecretResponse(secrets.secretOf(account.value()));
    }
}

package io.opentrackers.job;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import io.opentrackers.account.AccountId;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Gives an account the secret its webhook notifications are signed with, so that its receivers can verify
 * {@code X-OpenTrackers-Signature}. Only the authenticated account's own secret is ever returned.
 */
@RestController
@Tag(name = "Async API") // webhooks are the jobs' notifications (JobController describes the tag)
class WebhookSecretController {

    record WebhookSecretResponse(@Schema(requiredMode = REQUIRED) String secret) {
    }

    private final WebhookSecrets secrets;

    WebhookSecretController(WebhookSecrets secrets) {
        this.secrets = secrets;
    }

    @GetMapping(path = "/v1/webhook-secret", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "getWebhookSecret",
            summary = "The secret this account's webhook notifications are signed with (HMAC-SHA256)")
    @ApiResponse(responseCode = "200", description = "The secret; docs/jobs.md, \"Webhooks\", shows how a receiver "
            + "verifies X-OpenTrackers-Signature with it", useReturnTypeSchema = true,
            content = @Content(examples = @ExampleObject(name = "secret", value = """
                    {"secret": "3f9a0c1e5b7d4a2f8e6c1b9d0a7f5e3c2b8d6a4f1e9c7b5a3d2f0e8c6a4b2d1f"}""")))
    WebhookSecretResponse secret(AccountId account) {
        return new WebhookSecretResponse(secrets.secretOf(account.value()));
    }
}

package io.opentrackers.account;

import io.opentrackers.web.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Operators create accounts here, authenticated by {@code X-Operator-Key} equal to
 * {@code trackers.admin.operator-key}. Without a configured key the endpoint answers 403 to everyone.
 */
@RestController
@Tag(name = "Administration")
class AdminAccountController {

    private final AccountService accountService;
    private final OperatorKey operatorKey;

    AdminAccountController(AccountService accountService, OperatorKey operatorKey) {
        this.accountService = accountService;
        this.operatorKey = operatorKey;
    }

    record CreateAccountRequest(String appId, String appSecret, String name) {
    }

    record CreateAccountResponse(String id, String appId, String appSecret) {
    }

    @PostMapping("/admin/accounts")
    @Operation(summary = "Create an account (operator key required); the secret is returned only once")
    ResponseEntity<?> create(@RequestHeader(name = OperatorKey.HEADER, required = false) String presentedKey,
            @RequestBody(required = false) CreateAccountRequest request) {
        switch (operatorKey.check(presentedKey)) {
            case DISABLED -> {
                return forbidden("The admin API is disabled: set trackers.admin.operator-key to enable it");
            }
            case REFUSED -> {
                return forbidden("A valid X-Operator-Key header is required");
            }
            case ACCEPTED -> {
                // an operator: go on
            }
        }
        CreateAccountRequest body = request == null ? new CreateAccountRequest(null, null, null) : request;
        AccountService.CreatedAccount created = accountService.create(body.appId(), body.appSecret(), body.name());
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(new CreateAccountResponse(created.id().toString(), created.appId(), created.appSecret()));
    }

    private static ResponseEntity<ProblemDetail> forbidden(String detail) {
        return ResponseEntity.status(HttpStatus.FORBIDDEN).body(Problems.of(HttpStatus.FORBIDDEN, "forbidden", detail));
    }
}

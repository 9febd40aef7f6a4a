package io.opentrackers.account;

import java.time.Instant;

record Account(AccountId id, String appId, String secretHash, String name, Instant createdOn) {
}

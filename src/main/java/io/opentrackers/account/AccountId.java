package io.opentrackers.account;

import java.util.UUID;

/**
 * The authenticated caller's account. Controllers declare a parameter of this type to receive it; every
 * repository query of account-owned data filters by it, which is what keeps accounts apart.
 */
public record AccountId(UUID value) {

    public static AccountId parse(String text) {
        return new AccountId(UUID.fromString(text));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}

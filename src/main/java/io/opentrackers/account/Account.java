package io.opentrackers.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;

record Account(AccountId id, String appId, String secretHash, String name, Instant createdOn) {

    /** The claim of an access token that names the secret it was issued for ({@link #secretStamp(String)}). */
    static final String SECRET_STAMP_CLAIM = "secretStamp";

    /**
     * A short fingerprint of a secret's stored hash, written into every access token: when the secret changes, the
     * tokens issued for the old one no longer match it and are refused, as a user who changes a leaked secret
     * expects. The hash is a salted BCrypt hash, so the fingerprint tells nothing about the secret.
     */
    static String secretStamp(String secretHash) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secretHash.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}

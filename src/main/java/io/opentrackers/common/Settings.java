package io.opentrackers.common;

import java.time.Duration;
import org.springframework.util.unit.DataSize;

/**
 * The checks a {@code trackers.*} settings record makes in its constructor, so that a value that cannot work stops
 * the start with one line naming the setting and the value ({@code trackers.jobs.lease must be positive, was PT0S})
 * instead of starting a service that fails every call, or failing later with a stack trace that names no setting.
 */
public final class Settings {

    private Settings() {
    }

    public static void positive(String setting, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(setting + " must be positive, was " + value);
        }
    }

    public static void notNegative(String setting, Duration value) {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException(setting + " must not be negative, was " + value);
        }
    }

    public static void positive(String setting, DataSize value) {
        if (value == null || value.toBytes() <= 0) {
            throw new IllegalArgumentException(setting + " must be positive, was " + value);
        }
    }

    public static void positive(String setting, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(setting + " must be positive, was " + value);
        }
    }

    public static void notNegative(String setting, DataSize value) {
        if (value == null || value.toBytes() < 0) {
            throw new IllegalArgumentException(setting + " must not be negative, was " + value);
        }
    }
}

package io.opentrackers.job;

import java.util.Locale;

/** A job's lifecycle: scheduled → in_progress → completed | failed (wire values in lower snake case). */
enum JobStatus {
    SCHEDULED, IN_PROGRESS, COMPLETED, FAILED;

    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    static JobStatus ofWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}

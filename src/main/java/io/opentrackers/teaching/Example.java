package io.opentrackers.teaching;

import java.time.Instant;

/** A stored example (one row of {@code tracker_example}). */
record Example(String id, String text, boolean match, Instant createdOn) {
}

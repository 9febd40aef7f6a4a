package io.opentrackers.conversation;

import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a page of {@code GET /v1/conversations} ended: the creation time and id of its last conversation, which the
 * list is ordered by. It is written into {@code next} ({@code <microseconds since 1970>_<id>}) so that the following
 * page starts right after it even when that conversation has been deleted since; a bare id, which {@code next} used
 * to be, has to be looked up and names no position once its conversation is gone.
 */
record ListPosition(Instant createdOn, String id) {

    private static final Pattern CURSOR = Pattern.compile("(\\d{1,18})_(\\S{1,256})");

    static ListPosition after(ConversationSummary last) {
        return new ListPosition(last.createdOn(), last.id());
    }

    /** The position a {@code next} names, or empty when {@code after} is not one (then it may be a bare id). */
    static Optional<ListPosition> parse(String after) {
        Matcher cursor = CURSOR.matcher(after);
        if (!cursor.matches()) {
            return Optional.empty();
        }
        long micros = Long.parseLong(cursor.group(1));
        Instant createdOn = Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1_000);
        return Optional.of(new ListPosition(createdOn, cursor.group(2)));
    }

    /** The {@code next} of a page that ended here. PostgreSQL keeps microseconds, so nothing is lost. */
    String cursor() {
        long micros = Math.addExact(Math.multiplyExact(createdOn.getEpochSecond(), 1_000_000L),
                createdOn.getNano() / 1_000);
        return micros + "_" + id;
    }
}

package io.opentrackers.tracker;

import io.opentrackers.common.InvalidInputException;
import io.opentrackers.common.StaleRevisionException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a conditional PUT, PATCH or DELETE expects the tracker to be, read from its {@code If-Match} (RFC 9110
 * section 13.1.1): the change is made only while the tracker still has one of the given entity tags, so that two
 * clients editing one tracker cannot overwrite each other unnoticed.
 * <p>
 * A tracker's entity tag is {@code "<id>.v<version>"} ({@link #etagOf}): strong, and built from what the responses
 * show, so that a client holding a tracker from the list (which has no ETag per item) can make a conditional change
 * too. The id in it keeps one tracker's tag from passing for another's at the same version. It names the revision
 * and every change of what a client can write (and of the examples) makes a new version.
 * <p>
 * The service checks the precondition while it holds the tracker's row lock, so the check and the change are one
 * step: of two requests with the same {@code If-Match}, the second sees the first's version and gets a 412.
 */
final class TrackerPrecondition {

    static final String HEADER = "If-Match";

    /** No {@code If-Match}: the change is made whatever the version (what Symbl clients send). */
    static final TrackerPrecondition NONE = new TrackerPrecondition(false, List.of());
    /** {@code If-Match: *}: any current tracker; an unknown id is a 404 anyway. */
    static final TrackerPrecondition ANY = new TrackerPrecondition(true, List.of());

    private static final int QUOTED_LENGTH = 60;

    private final boolean any;
    /** The entity tags as sent, quotes and {@code W/} included. */
    private final List<String> entityTags;

    private TrackerPrecondition(boolean any, List<String> entityTags) {
        this.any = any;
        this.entityTags = List.copyOf(entityTags);
    }

    /** The tracker's strong entity tag, quoted as the {@code ETag} header carries it. */
    static String etagOf(Tracker tracker) {
        return TrackerRevisions.etag(tracker.id(), tracker.version());
    }

    /**
     * Reads an {@code If-Match} value ({@code "*" / #entity-tag}; several header lines arrive joined by commas).
     *
     * @param value null when the header is absent
     * @throws InvalidInputException naming the header when the value is not that grammar (an unquoted version, an
     *                               empty value, {@code *} among tags)
     */
    static TrackerPrecondition parse(String value) {
        if (value == null) {
            return NONE;
        }
        if (value.strip().equals("*")) {
            return ANY;
        }
        List<String> tags = new ArrayList<>();
        int i = 0;
        int n = value.length();
        while (i < n) {
            char c = value.charAt(i);
            if (c == ' ' || c == '\t' || c == ',') {
                i++; // optional whitespace and empty list elements (RFC 9110 section 5.6.1)
                continue;
            }
            int start = i;
            if (value.startsWith("W/", i)) {
                i += 2;
            }
            if (i >= n || value.charAt(i) != '"') {
                throw malformed(value);
            }
            int close = i + 1;
            while (close < n && value.charAt(close) != '"') {
                if (!isEtagChar(value.charAt(close))) {
                    throw malformed(value);
                }
                close++;
            }
            if (close >= n) {
                throw malformed(value);
            }
            i = close + 1;
            while (i < n && (value.charAt(i) == ' ' || value.charAt(i) == '\t')) {
                i++;
            }
            if (i < n && value.charAt(i) != ',') {
                throw malformed(value);
            }
            tags.add(value.substring(start, close + 1));
        }
        if (tags.isEmpty()) {
            throw malformed(value);
        }
        return new TrackerPrecondition(false, tags);
    }

    /** etagc of RFC 9110: any visible character but the double quote, and obs-text. */
    private static boolean isEtagChar(char c) {
        return c == 0x21 || (c >= 0x23 && c <= 0x7E) || (c >= 0x80 && c <= 0xFF);
    }

    private static InvalidInputException malformed(String value) {
        String shown = value.length() > QUOTED_LENGTH ? value.substring(0, QUOTED_LENGTH) + "…" : value;
        return new InvalidInputException(HEADER, "must be * or one or more entity tags in double quotes as the ETag "
                + "header gives them (If-Match: \"5b0a0b52-….v3\"), was '" + shown + "'");
    }

    boolean isNone() {
        return !any && entityTags.isEmpty();
    }

    /**
     * Throws unless the tracker, as it is now, meets the precondition. Strong comparison (RFC 9110 section 8.8.3.2):
     * a weak tag {@code W/"…"} never matches.
     *
     * @throws StaleRevisionException naming the current version when it does not
     */
    void check(Tracker current) {
        String currentTag = etagOf(current);
        if (any || entityTags.isEmpty() || entityTags.contains(currentTag)) {
            return;
        }
        String prefix = "\"" + current.id() + ".v";
        List<String> versions = entityTags.stream()
                .filter(tag -> tag.startsWith(prefix) && tag.endsWith("\""))
                .map(tag -> tag.substring(prefix.length(), tag.length() - 1))
                .toList();
        String sent = versions.isEmpty()
                ? (entityTags.stream().allMatch(tag -> tag.startsWith("W/"))
                        ? "If-Match has only weak entity tags, which never match (RFC 9110 strong comparison)"
                        : "If-Match names no version of this tracker")
                : "If-Match names version " + String.join(", ", versions);
        // "changed since" only where the client holds an earlier version; a version it cannot have read (v99 of a
        // tracker at v9) or a weak tag is a mismatch, not a change
        boolean earlier = !versions.isEmpty() && versions.stream()
                .allMatch(version -> version.matches("[0-9]{1,18}") && Long.parseLong(version) < current.version());
        throw new StaleRevisionException((earlier ? "The tracker changed since: "
                : "If-Match does not match the tracker: ") + sent + ", it is at version "
                + current.version() + " now (ETag " + currentTag + "); nothing was changed. Read it again (GET), "
                + "apply your change to what it holds now and send its ETag", current.version(), currentTag);
    }
}

package io.opentrackers.matching;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the {@link MessageContext} of each message of a conversation, the same way for {@code /v1/match}, jobs and
 * streams: positions count the messages the client sent (not the sentences they are split into), and times are
 * each message's {@code duration}. The conversation starts where its first message with times starts, in the order
 * the messages were sent, and ends at the latest end among its messages (a message with only one of its times uses
 * it for both).
 *
 * <p>The start is the first timed message's, not the earliest start: a stream decides each message when it arrives,
 * before it can know whether a later message will carry an earlier time, and with the earliest start a message sent
 * first but timed after a later one was in a stream's first N seconds and not in those of {@code /v1/match} or a job
 * (a message timed before the first one lies before the start and is in every start window). The end needs no such
 * rule: end windows are decided only once the whole conversation is known.
 */
public final class ConversationTimeline {

    /** One message as the client sent it: its speaker's role (or null) and its times (or null). */
    public record Turn(String role, Instant start, Instant end) {

        Instant begins() {
            return start != null ? start : end;
        }

        Instant ends() {
            return end != null ? end : start;
        }

        public boolean timed() {
            return start != null || end != null;
        }
    }

    private ConversationTimeline() {
    }

    /**
     * The context of every turn.
     *
     * @param complete true when {@code turns} is the whole conversation (end windows can be decided); false while it
     *                 goes on (a stream before {@code stop_request}): positions from the end and the last end are then
     *                 unknown
     */
    public static List<MessageContext> contexts(List<Turn> turns, boolean complete) {
        Instant first = null;
        Instant last = null;
        for (Turn turn : turns) {
            if (first == null) {
                first = turn.begins();
            }
            if (turn.ends() != null && (last == null || turn.ends().isAfter(last))) {
                last = turn.ends();
            }
        }
        List<MessageContext> contexts = new ArrayList<>(turns.size());
        for (int i = 0; i < turns.size(); i++) {
            Turn turn = turns.get(i);
            Double sinceStart = turn.begins() == null ? null : seconds(first, turn.begins());
            Double untilEnd = !complete || turn.ends() == null ? null : seconds(turn.ends(), last);
            contexts.add(new MessageContext(turn.role(), i, complete ? turns.size() : -1, sinceStart, untilEnd));
        }
        return contexts;
    }

    /**
     * What a client should be told about trackers whose {@code seconds} window cannot be applied to some messages
     * because they have no times (nothing fires there), one sentence per such tracker.
     */
    public static List<String> untimedWarnings(List<TrackerDefinition> trackers, List<Turn> turns) {
        long untimed = turns.stream().filter(turn -> !turn.timed()).count();
        List<String> warnings = new ArrayList<>();
        if (untimed == 0) {
            return warnings;
        }
        for (TrackerDefinition tracker : trackers) {
            TrackerConditions.Window window = tracker.conditions().window();
            if (window != null && window.seconds() != null) {
                warnings.add("tracker '" + tracker.name() + "' (" + tracker.id() + ") only fires in the "
                        + (window.atEnd() ? "last " : "first ") + window.seconds() + " seconds, but " + untimed
                        + " of the conversation's " + turns.size() + " messages have no duration times: it did not "
                        + "fire on them");
            }
        }
        return warnings;
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e9;
    }
}

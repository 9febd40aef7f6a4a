package io.opentrackers.matching;

import java.util.List;

/**
 * When a tracker may fire at all, beyond what its vocabulary means (api.md, "Tracker fields beyond Symbl"): the
 * speaker's role, a window at the start or end of the conversation, and phrases whose sentences it must not fire on.
 * The values were checked by the tracker rules; here they are only applied.
 *
 * <p>Conditions filter a tracker's own hits after the matcher decided them; they never change which tracker the
 * classifier picks for a span or the margin between trackers. So a tracker's hits on a message depend neither on the
 * conditions of the other trackers nor on whether an end-anchored window could already be decided (streaming decides
 * those at the end), and {@code exclude} cannot cost another tracker a hit.
 *
 * @param speaker {@code "any"}, {@code "agent"} or {@code "customer"}
 * @param window  null for the whole conversation
 * @param exclude phrases whose sentences are not hits of this tracker (literally or by meaning)
 */
public record TrackerConditions(String speaker, Window window, List<String> exclude) {

    public static final String ANY = "any";
    public static final TrackerConditions NONE = new TrackerConditions(ANY, null, List.of());

    /** Why a message may not fire a tracker, as {@code reason} in explanations. */
    public static final String SPEAKER = "speaker";
    public static final String WINDOW = "window";

    public TrackerConditions {
        speaker = speaker == null ? ANY : speaker;
        exclude = exclude == null ? List.of() : List.copyOf(exclude);
    }

    /**
     * The first or last {@code seconds} (by the messages' {@code duration} times) or {@code messages} of the
     * conversation; exactly one of the two is set.
     *
     * @param anchor {@code "start"} or {@code "end"}
     */
    public record Window(String anchor, Integer seconds, Integer messages) {

        public static final String START = "start";
        public static final String END = "end";

        public boolean atEnd() {
            return END.equals(anchor);
        }

        /**
         * A message starting before the first N seconds are over is in a start window; one ending after the last
         * N seconds began is in an end window. Unknown positions or times are outside: a seconds window never
         * fires on a message without times, and an end window never fires before the conversation is complete.
         */
        boolean contains(MessageContext context) {
            if (messages != null) {
                if (context.index() < 0) {
                    return false;
                }
                return atEnd() ? context.count() > context.index() && context.count() - 1 - context.index() < messages
                        : context.index() < messages;
            }
            Double distance = atEnd() ? context.untilEnd() : context.sinceStart();
            return distance != null && distance < seconds;
        }
    }

    public boolean isNone() {
        return ANY.equals(speaker) && window == null && exclude.isEmpty();
    }

    /** Why this tracker may not fire on a message in this context ({@link #SPEAKER}, {@link #WINDOW}), or null. */
    public String blocks(MessageContext context) {
        if (!ANY.equals(speaker) && !speaker.equals(context.role())) {
            return SPEAKER;
        }
        if (window != null && !window.contains(context)) {
            return WINDOW;
        }
        return null;
    }
}

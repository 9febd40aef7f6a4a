package io.opentrackers.matching;

/**
 * A message to track: its id (unique within one matching call), its text, and where it stands in its conversation
 * (for tracker conditions).
 */
public record MessageText(String id, String text, MessageContext context) {

    public MessageText {
        context = context == null ? MessageContext.NONE : context;
    }

    /** A message with no known role or position: only trackers without speaker or window conditions can fire. */
    public MessageText(String id, String text) {
        this(id, text, MessageContext.NONE);
    }
}

package io.opentrackers.matching;

/**
 * A message to track: its id (unique within one matching call), its text, and where it stands in its conversation
 * (for tracker conditions).
 *
 * @param source the whole message {@code text} was cut from, when it is one sentence of a longer message (a stored
 *               sentence of a job or a stream), else null: the text is the whole message. The classifier reads each
 *               span in the context of its whole message (docs/matching.md, "The message as context"), so a sentence
 *               sent alone with its source is decided as it is inside the whole message.
 */
public record MessageText(String id, String text, MessageContext context, String source) {

    public MessageText {
        context = context == null ? MessageContext.NONE : context;
    }

    /** A whole message (no source) with its place in the conversation. */
    public MessageText(String id, String text, MessageContext context) {
        this(id, text, context, null);
    }

    /** A message with no known role or position: only trackers without speaker or window conditions can fire. */
    public MessageText(String id, String text) {
        this(id, text, MessageContext.NONE, null);
    }

    /** The text of the whole message: {@link #source()} when there is one, else {@link #text()}. */
    public String wholeText() {
        return source != null ? source : text;
    }
}

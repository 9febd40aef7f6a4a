package io.opentrackers.matching;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonGenerator;

/**
 * Groups hits into the Conversation API's tracker array (api.md, "Results"): one item per tracker with at
 * least one hit, one {@code matches} entry per phrase, one {@code messageRefs} entry per hit (a phrase hits a message
 * once per sentence). Order follows the order of the hits, which the detector emits in message order.
 */
public final class TrackerResultsView {

    private TrackerResultsView() {
    }

    /** {@code name} is always written: inline trackers are refused without one, and stored hits keep it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TrackerResult(@Schema(requiredMode = REQUIRED) String id,
            @Schema(requiredMode = REQUIRED) String name, @Schema(requiredMode = REQUIRED) List<PhraseMatch> matches) {
    }

    public record PhraseMatch(@Schema(example = "vocabulary", requiredMode = REQUIRED) String type,
            @Schema(requiredMode = REQUIRED) String value,
            @Schema(requiredMode = REQUIRED) List<MessageRef> messageRefs,
            @ArraySchema(arraySchema = @Schema(description = "Always empty: Symbl's references to insights, which "
                    + "this service does not produce", requiredMode = REQUIRED))
            List<InsightRef> insightRefs) {
    }

    /**
     * What Symbl put in {@code insightRefs}: a reference to an insight (a question, an action item …) that a
     * tracker's phrase matched. This service finds no insights, so the list is always empty; the type is here so that
     * a generated client gets a typed list, the one Symbl's answers filled, rather than a list of untyped objects.
     */
    @Schema(description = "Symbl's reference to an insight that a phrase matched. This service produces no insights: "
            + "`insightRefs` is always empty, and this type says what a Symbl client expects in it.")
    public record InsightRef(
            @Schema(description = "The insight's id", example = "5420651570528256", requiredMode = REQUIRED) String id,
            @Schema(description = "The insight's text", example = "How much does it cost?", requiredMode = REQUIRED)
            String text,
            @Schema(description = "Where the phrase occurs in `text`, or -1 when it matched by meaning",
                    example = "-1", requiredMode = REQUIRED) int offset,
            @Schema(description = "The kind of insight", example = "question", requiredMode = REQUIRED) String type) {
    }

    /**
     * A message reference; {@code score}, {@code start}, {@code end} and {@code from} are our extensions. {@code from}
     * is the conversation feature's speaker, which this package does not know: typed {@code Object} here, and named
     * by reference in the API document so that generated clients get the {@code Speaker} type.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MessageRef(@Schema(requiredMode = REQUIRED) String id, @Schema(requiredMode = REQUIRED) String text,
            @Schema(description = "Where `value` first occurs in `text` (ignoring case, whole words), or -1 when the "
                    + "match is by meaning only", requiredMode = REQUIRED) int offset,
            @Schema(description = "Extension: the similarity of the matched words to the phrase, 1.0 for a literal "
                    + "occurrence (4 decimals)", requiredMode = REQUIRED) double score,
            @Schema(description = "Extension: start of the matched words in `text` (inclusive character index)",
                    requiredMode = REQUIRED) int start,
            @Schema(description = "Extension: end of the matched words (exclusive)", requiredMode = REQUIRED) int end,
            @Schema(ref = "#/components/schemas/Speaker", description = "Extension: who said the message (its "
                    + "`from`); absent when it names nobody") Object from) {

        static MessageRef of(TrackerHit hit, String text, Object from) {
            return new MessageRef(hit.messageId(), text, hit.offset(), Math.round(hit.score() * 10000) / 10000.0,
                    hit.start(), hit.end(), from);
        }
    }

    /**
     * @param texts    message id to message text
     * @param speakers message id to speaker ({@code from} object), may be empty
     */
    public static List<TrackerResult> group(List<TrackerHit> hits, Map<String, String> texts,
            Map<String, ?> speakers) {
        Map<String, String> names = new LinkedHashMap<>();
        Map<String, Map<String, List<MessageRef>>> byTracker = new LinkedHashMap<>();
        for (TrackerHit hit : hits) {
            names.putIfAbsent(hit.trackerId(), hit.trackerName());
            byTracker.computeIfAbsent(hit.trackerId(), id -> new LinkedHashMap<>())
                    .computeIfAbsent(hit.phrase(), phrase -> new ArrayList<>())
                    .add(MessageRef.of(hit, texts.get(hit.messageId()), speakers.get(hit.messageId())));
        }
        List<TrackerResult> results = new ArrayList<>();
        byTracker.forEach((trackerId, phrases) -> {
            List<PhraseMatch> matches = new ArrayList<>();
            phrases.forEach((phrase, refs) -> matches.add(new PhraseMatch("vocabulary", phrase, refs, List.of())));
            results.add(new TrackerResult(trackerId, names.get(trackerId), matches));
        });
        return results;
    }

    /**
     * Writes the array {@link #group} builds, one hit at a time, so that memory does not grow with the conversation.
     * The hits must arrive in the array's order: by tracker in the order of its first hit, within it by phrase in the
     * order of the phrase's first hit, then in message order. The generator must belong to a mapper (it writes the
     * message references and speakers as {@link #group}'s records are written).
     */
    public static final class Writer {

        private final JsonGenerator out;
        private String tracker;
        private String phrase;

        public Writer(JsonGenerator out) {
            this.out = out;
            out.writeStartArray();
        }

        /**
         * @param text the message's text
         * @param from the message's speaker, or null
         */
        public void write(TrackerHit hit, String text, Object from) {
            if (!hit.trackerId().equals(tracker)) {
                if (tracker != null) {
                    endPhrase();
                    out.writeEndArray();
                    out.writeEndObject();
                }
                tracker = hit.trackerId();
                phrase = null;
                out.writeStartObject();
                out.writeStringProperty("id", hit.trackerId());
                if (hit.trackerName() != null) { // as TrackerResult's NON_NULL
                    out.writeStringProperty("name", hit.trackerName());
                }
                out.writeArrayPropertyStart("matches");
            }
            if (!hit.phrase().equals(phrase)) {
                if (phrase != null) {
                    endPhrase();
                }
                phrase = hit.phrase();
                out.writeStartObject();
                out.writeStringProperty("type", "vocabulary");
                out.writeStringProperty("value", hit.phrase());
                out.writeArrayPropertyStart("messageRefs");
            }
            out.writePOJO(MessageRef.of(hit, text, from));
        }

        private void endPhrase() {
            out.writeEndArray();
            out.writeArrayPropertyStart("insightRefs");
            out.writeEndArray();
            out.writeEndObject();
        }

        /**
         * Ends the open items and the array, and closes the generator: only once every hit was written. A writer
         * abandoned midway leaves the array unfinished, so that a client cannot take the hits written so far for all
         * of them.
         */
        public void finish() {
            if (tracker != null) {
                endPhrase();
                out.writeEndArray();
                out.writeEndObject();
            }
            out.writeEndArray();
            out.close();
        }
    }
}

package io.opentrackers.matching;

/**
 * One (message, tracker, phrase) hit with its evidence.
 *
 * @param phrase the vocabulary phrase that matched, as the user wrote it
 * @param offset index of the first case-insensitive, word-bounded occurrence of the phrase in the message text,
 *               or -1 when the match is by meaning only
 * @param score  similarity of the best span to the phrase, or of the best word window of that span (1.0 for literal
 *               occurrences)
 * @param start  start of the matched words in the message text (inclusive character index): the literal occurrence,
 *               or the span or word window the score came from
 * @param end    end of the matched words (exclusive)
 */
public record TrackerHit(String messageId, String trackerId, String trackerName, String phrase, int offset,
                         double score, int start, int end) {
}

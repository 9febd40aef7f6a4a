package io.opentrackers.conversation;

import io.opentrackers.account.AccountId;
import java.util.Map;

/**
 * Vectors the detector computed for stored sentences of one account (each sentence's own text, by the process's
 * embedding model), published synchronously inside the transaction that stores the sentences' hits, so that a
 * listener keeping them (teaching's stored sentence vectors) commits with the hits and nothing embeds those
 * sentences again.
 *
 * @param vectors by sentence id (which is also the sentence's message id)
 */
public record SentencesEmbedded(AccountId account, Map<String, float[]> vectors) {
}

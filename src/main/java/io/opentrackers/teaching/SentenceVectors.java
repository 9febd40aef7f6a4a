package io.opentrackers.teaching;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.opentrackers.account.AccountId;
import io.opentrackers.common.TextForms;
import io.opentrackers.conversation.ConversationService;
import io.opentrackers.conversation.ConversationService.AccountSentence;
import io.opentrackers.conversation.ConversationService.SentencesVersion;
import io.opentrackers.conversation.SentencesEmbedded;
import io.opentrackers.matching.EmbeddingModel;
import io.opentrackers.matching.SentenceMatrix;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Component;

/**
 * An account's stored sentences with one vector each, for suggestions. Vectors are stored once per sentence and
 * model ({@code message_vector}): the detector's own vector of each sentence a job or stream detects, kept with
 * its hits ({@link SentencesEmbedded}), else computed when suggestions first need it. The account's whole set is
 * kept in memory and reused while the account's {@link SentencesVersion} is unchanged (it changes when a conversation
 * is deleted, on whichever instance, as well as when sentences are added), so a suggestion request costs one small
 * query and one pass over the vectors.
 */
@Component
class SentenceVectors {

    private static final Logger log = LoggerFactory.getLogger(SentenceVectors.class);

    /** Sentences kept in memory across accounts (each costs about 1.6 KB: its vector and text). */
    static final long MAX_SENTENCES = 400_000;
    private static final int EMBED_BATCH = 256;

    /**
     * An account's sentences and their vectors, in the same order, with the hash of each one's
     * {@linkplain #normalise normalised} text (so a request finds the labelled ones without normalising them all).
     */
    record Sentences(SentencesVersion version, List<AccountSentence> sentences, SentenceMatrix vectors,
                     int[] textKeys) {

        Sentences(SentencesVersion version, List<AccountSentence> sentences, float[][] vectors) {
            this(version, sentences, SentenceMatrix.of(vectors),
                    sentences.stream().mapToInt(s -> normalise(s.text()).hashCode()).toArray());
        }

        /** The texts, in order (a view). */
        List<String> texts() {
            return new AbstractList<>() {
                @Override
                public String get(int index) {
                    return sentences.get(index).text();
                }

                @Override
                public int size() {
                    return sentences.size();
                }
            };
        }

        /** Positions of the sentences whose normalised text is one of {@code normalisedTexts}. */
        BitSet withTextIn(Set<String> normalisedTexts) {
            int[] keys = normalisedTexts.stream().mapToInt(String::hashCode).sorted().toArray();
            BitSet found = new BitSet(textKeys.length);
            for (int i = 0; i < textKeys.length; i++) {
                if (Arrays.binarySearch(keys, textKeys[i]) >= 0
                        && normalisedTexts.contains(normalise(sentences.get(i).text()))) {
                    found.set(i);
                }
            }
            return found;
        }
    }

    /**
     * Sentences that differ only in case, spacing or Unicode form are the same sentence to a labeller: the key
     * examples are compared by ({@link TextForms#key}).
     */
    static String normalise(String text) {
        return TextForms.key(text);
    }

    private final ConversationService conversations;
    private final MessageVectorRepository repository;
    private final EmbeddingModel model;
    private final Cache<AccountId, Sentences> cache = Caffeine.newBuilder()
            .maximumWeight(MAX_SENTENCES)
            .weigher((AccountId account, Sentences s) -> Math.max(1, s.sentences().size()))
            .build();

    SentenceVectors(ConversationService conversations, MessageVectorRepository repository, EmbeddingModel model) {
        this.conversations = conversations;
        this.repository = repository;
        this.model = model;
    }

    Sentences of(AccountId account) {
        // read before the sentences: a change in between leaves this version behind, and the next request reloads
        SentencesVersion version = conversations.sentencesVersion(account);
        Sentences cached = cache.getIfPresent(account);
        if (cached != null && cached.version().equals(version)) {
            return cached;
        }
        List<AccountSentence> sentences = conversations.accountSentences(account);
        Map<String, float[]> known = new HashMap<>();
        if (cached != null) {
            for (int i = 0; i < cached.sentences().size(); i++) {
                known.put(cached.sentences().get(i).messageId(), cached.vectors().row(i));
            }
        } else {
            known.putAll(repository.load(account, model.id()));
        }
        List<AccountSentence> missing = sentences.stream().filter(s -> !known.containsKey(s.messageId())).toList();
        if (cached != null && !missing.isEmpty()) {
            // sentences stored since: most have the vector their detection (job or stream) stored
            known.putAll(repository.load(account, model.id(),
                    missing.stream().map(AccountSentence::messageId).toList()));
            missing = missing.stream().filter(s -> !known.containsKey(s.messageId())).toList();
        }
        for (int from = 0; from < missing.size(); from += EMBED_BATCH) {
            List<AccountSentence> slice = missing.subList(from, Math.min(missing.size(), from + EMBED_BATCH));
            float[][] vectors = model.embed(slice.stream().map(AccountSentence::text).toList());
            List<String> ids = new ArrayList<>(slice.size());
            for (int i = 0; i < slice.size(); i++) {
                known.put(slice.get(i).messageId(), vectors[i]);
                ids.add(slice.get(i).messageId());
            }
            try {
                repository.store(account, model.id(), ids, vectors);
            } catch (DataIntegrityViolationException | TransientDataAccessException e) {
                // a conversation of the slice was deleted since its sentences were read (or is being deleted, and
                // the two statements met in a deadlock): the version has moved on, so the next request reads the
                // sentences again and computes what is still missing; these vectors are only a saving
                log.debug("Sentence vectors of account {} not kept: a conversation was deleted meanwhile", account, e);
            }
        }
        float[][] vectors = sentences.stream().map(s -> known.get(s.messageId())).toArray(float[][]::new);
        Sentences fresh = new Sentences(version, sentences, vectors);
        cache.put(account, fresh);
        return fresh;
    }

    /** Drops what is kept in memory of a deleted account's sentences. */
    void forget(AccountId account) {
        cache.invalidate(account);
    }

    /** Keeps the vectors a job's or stream's detection computed, in the transaction that stores the sentences' hits. */
    @EventListener
    void sentencesEmbedded(SentencesEmbedded event) {
        // in id order, so that two writers of overlapping sentences take the rows' locks in the same order
        List<String> ids = event.vectors().keySet().stream().sorted().toList();
        repository.store(event.account(), model.id(), ids,
                ids.stream().map(event.vectors()::get).toArray(float[][]::new));
    }
}

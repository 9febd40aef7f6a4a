package io.opentrackers.teaching;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.opentrackers.account.AccountId;
import io.opentrackers.conversation.ConversationService;
import io.opentrackers.conversation.ConversationService.AccountSentence;
import io.opentrackers.matching.EmbeddingModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * An account's stored sentences with one vector each, for suggestions. Vectors are computed once per sentence and
 * model, when suggestions first need them, and stored ({@code message_vector}); the account's whole set is kept in
 * memory and reused while the account's sentence count is unchanged (stored sentences are only ever added), so a
 * suggestion request costs one count query and one pass over the vectors.
 */
@Component
class SentenceVectors {

    /** Sentences kept in memory across accounts (each costs about 1.6 KB: its vector and text). */
    static final long MAX_SENTENCES = 400_000;
    private static final int EMBED_BATCH = 256;

    /** An account's sentences and their vectors, in the same order. */
    record Sentences(int count, List<AccountSentence> sentences, float[][] vectors) {
    }

    private final ConversationService conversations;
    private final MessageVectorRepository repository;
    private final EmbeddingModel model;
    private final Cache<AccountId, Sentences> cache = Caffeine.newBuilder()
            .maximumWeight(MAX_SENTENCES)
            .weigher((AccountId account, Sentences s) -> Math.max(1, s.count()))
            .build();

    SentenceVectors(ConversationService conversations, MessageVectorRepository repository, EmbeddingModel model) {
        this.conversations = conversations;
        this.repository = repository;
        this.model = model;
    }

    Sentences of(AccountId account) {
        int count = conversations.sentenceCount(account);
        Sentences cached = cache.getIfPresent(account);
        if (cached != null && cached.count() == count) {
            return cached;
        }
        List<AccountSentence> sentences = conversations.accountSentences(account);
        Map<String, float[]> known = new HashMap<>();
        if (cached != null) {
            for (int i = 0; i < cached.sentences().size(); i++) {
                known.put(cached.sentences().get(i).messageId(), cached.vectors()[i]);
            }
        } else {
            known.putAll(repository.load(account, model.id()));
        }
        List<AccountSentence> missing = sentences.stream().filter(s -> !known.containsKey(s.messageId())).toList();
        for (int from = 0; from < missing.size(); from += EMBED_BATCH) {
            List<AccountSentence> slice = missing.subList(from, Math.min(missing.size(), from + EMBED_BATCH));
            float[][] vectors = model.embed(slice.stream().map(AccountSentence::text).toList());
            List<String> ids = new ArrayList<>(slice.size());
            for (int i = 0; i < slice.size(); i++) {
                known.put(slice.get(i).messageId(), vectors[i]);
                ids.add(slice.get(i).messageId());
            }
            repository.store(account, model.id(), ids, vectors);
        }
        float[][] vectors = sentences.stream().map(s -> known.get(s.messageId())).toArray(float[][]::new);
        Sentences fresh = new Sentences(sentences.size(), sentences, vectors);
        cache.put(account, fresh);
        return fresh;
    }
}

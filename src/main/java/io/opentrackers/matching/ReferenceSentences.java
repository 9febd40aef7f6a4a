package io.opentrackers.matching;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Everyday conversational sentences about nothing a tracker is meant to track (greetings, audio trouble, holding,
 * small talk, thanks …), shipped as {@code matching/reference-sentences.txt}: evidence for {@link ThresholdCalibration}
 * that every account has, however few trackers it holds.
 *
 * <p>Their vectors are computed once per process and model id (the sentences never change within a build, and a
 * model id names fixed weights), whoever asks first: the service's index builder or an evaluation command.
 */
public final class ReferenceSentences {

    private static final String RESOURCE = "/matching/reference-sentences.txt";
    private static final List<String> TEXTS = read();
    private static final String FINGERPRINT = fingerprint(TEXTS);
    private static final Map<String, Embedded> BY_MODEL = new ConcurrentHashMap<>();

    /** The vectors of the sentences under one model, and what embedding them cost when it was done. */
    public record Embedded(String modelId, float[][] vectors, long embeddingNanos) {
    }

    private ReferenceSentences() {
    }

    /** The sentences, in file order. */
    public static List<String> texts() {
        return TEXTS;
    }

    /** A short hash of the sentences: changes when the file does, so stored calibrations can tell. */
    public static String fingerprint() {
        return FINGERPRINT;
    }

    /** The sentences embedded by {@code model}, computed on the first call for its id and kept for the process. */
    public static Embedded of(EmbeddingModel model) {
        return BY_MODEL.computeIfAbsent(model.id(), id -> {
            long started = System.nanoTime();
            float[][] vectors = model.embed(TEXTS);
            return new Embedded(id, vectors, System.nanoTime() - started);
        });
    }

    private static List<String> read() {
        try (InputStream in = ReferenceSentences.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            List<String> texts = new ArrayList<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String text = line.strip();
                if (!text.isEmpty() && !text.startsWith("#")) {
                    texts.add(text);
                }
            }
            return List.copyOf(texts);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String fingerprint(List<String> texts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String text : texts) {
                sha.update(text.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) '\n');
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

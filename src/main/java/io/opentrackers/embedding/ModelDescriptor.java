package io.opentrackers.embedding;

import io.opentrackers.matching.MatchingPolicy;
import io.opentrackers.matching.PolicyOverrides;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * How to use an encoder: its id (persisted next to stored vectors, so a change of model re-embeds once), how token
 * vectors become one sentence vector, what goes before every text, how many tokens are kept, and optionally the
 * matching policy it was calibrated for.
 *
 * <p>A model folder ({@code trackers.embedding.model-dir}) holds {@code model.onnx}, {@code tokenizer.json} and
 * {@value #FILE}:
 * <pre>{"id": "bge-base-en-v1.5", "pooling": "cls", "prefix": "", "maxTokens": 256,
 *  "calibration": {"aggregation": "classifier", "threshold": 0.8}}</pre>
 *
 * @param calibration the matching policy's values the model was calibrated with ({@code trackers.matching.*} names:
 *                    {@link PolicyOverrides#NAMES}); what is not given stays
 *                    at the policy for a model without calibration (docs/models.md)
 */
public record ModelDescriptor(String id, Pooling pooling, String prefix, int maxTokens, PolicyOverrides calibration) {

    public static final String FILE = "opentrackers-model.json";
    public static final String MODEL_FILE = "model.onnx";
    public static final String TOKENIZER_FILE = "tokenizer.json";
    static final int DEFAULT_MAX_TOKENS = 256;

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Set<String> FIELDS = Set.of("id", "pooling", "prefix", "maxTokens", "calibration");

    public enum Pooling {
        /** The first token's vector ([CLS]), as bge models are trained. */
        CLS,
        /** The mean of the token vectors (padding excluded), as sentence-transformers models are trained. */
        MEAN
    }

    public ModelDescriptor {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("id must be 1-64 letters, digits, '.', '_' or '-', starting with a"
                    + " letter or digit, was " + (id == null ? "missing" : "'" + id + "'"));
        }
        if (pooling == null) {
            throw new IllegalArgumentException("pooling must be \"cls\" or \"mean\"");
        }
        if (maxTokens < 8 || maxTokens > 8192) {
            throw new IllegalArgumentException("maxTokens must be 8..8192, was " + maxTokens);
        }
        prefix = prefix == null ? "" : prefix;
        calibration = calibration == null ? PolicyOverrides.NONE : calibration;
        // a calibration that makes no valid policy is refused here, at start-up, not at the first match
        calibration.applyTo(MatchingPolicy.calibratedFor(id));
    }

    /**
     * Reads and checks a model folder: the three files exist and the descriptor is complete and valid.
     *
     * @throws IllegalArgumentException naming the folder, the file and what is wrong with it
     */
    public static ModelDescriptor readFolder(Path folder) {
        List<String> missing = new ArrayList<>();
        for (String file : List.of(MODEL_FILE, TOKENIZER_FILE, FILE)) {
            if (!Files.isRegularFile(folder.resolve(file))) {
                missing.add(file);
            }
        }
        if (!Files.isDirectory(folder) || !missing.isEmpty()) {
            throw new IllegalArgumentException("trackers.embedding.model-dir " + folder.toAbsolutePath() + ": "
                    + (Files.isDirectory(folder) ? "missing " + String.join(", ", missing) : "not a directory")
                    + " (a model folder holds " + MODEL_FILE + ", " + TOKENIZER_FILE + " and " + FILE
                    + "; docs/models.md)");
        }
        Path file = folder.resolve(FILE);
        try {
            JsonNode json = JsonMapper.builder().build().readTree(file.toFile());
            if (!json.isObject()) {
                throw new IllegalArgumentException("must be a JSON object");
            }
            for (String name : json.propertyNames()) {
                if (!FIELDS.contains(name)) {
                    throw new IllegalArgumentException("unknown field '" + name + "' (known: " + FIELDS + ")");
                }
            }
            JsonNode calibration = json.path("calibration");
            if (!calibration.isMissingNode() && !calibration.isObject()) {
                throw new IllegalArgumentException("calibration must be an object");
            }
            for (String name : calibration.isObject() ? calibration.propertyNames() : List.<String>of()) {
                if (!PolicyOverrides.NAMES.contains(name)) {
                    throw new IllegalArgumentException("calibration: unknown field '" + name + "' (known: "
                            + new java.util.TreeSet<>(PolicyOverrides.NAMES) + ")");
                }
            }
            return new ModelDescriptor(text(json, "id"), pooling(text(json, "pooling")), text(json, "prefix"),
                    json.has("maxTokens") ? whole(json.get("maxTokens")) : DEFAULT_MAX_TOKENS,
                    calibration.isMissingNode() ? null : PolicyOverrides.parse(name -> {
                        JsonNode value = calibration.get(name);
                        return value == null || value.isNull() ? null : value.asString();
                    }).checked("calibration."));
        } catch (JacksonException e) {
            throw invalid(file, "not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ")"));
        } catch (IllegalArgumentException e) {
            throw invalid(file, e.getMessage());
        }
    }

    /**
     * Without the reason's exception as its cause: Spring Boot's start-up summary prints the innermost cause alone, so
     * a cause here hid the property and the file (the summary said only {@code must be a JSON object} or {@code
     * unknown field 'poolng'}, and for JSON that does not parse a location in "REDACTED").
     */
    private static IllegalArgumentException invalid(Path file, String reason) {
        return new IllegalArgumentException("trackers.embedding.model-dir: " + file.toAbsolutePath() + ": " + reason);
    }

    private static String text(JsonNode json, String name) {
        JsonNode value = json.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw new IllegalArgumentException(name + " must be a string");
        }
        return value.asString();
    }

    private static int whole(JsonNode value) {
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new IllegalArgumentException("maxTokens must be a whole number");
        }
        return value.asInt();
    }

    private static Pooling pooling(String text) {
        if (text == null) {
            return null;
        }
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "cls" -> Pooling.CLS;
            case "mean" -> Pooling.MEAN;
            default -> throw new IllegalArgumentException("pooling must be \"cls\" or \"mean\", was '" + text + "'");
        };
    }
}

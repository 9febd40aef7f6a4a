package io.opentrackers.evaluation;

import io.opentrackers.matching.EmbeddingModel;
import io.opentrackers.embedding.ModelSpec;
import io.opentrackers.embedding.OnnxEmbeddingModel;
import io.opentrackers.matching.Aggregation;
import io.opentrackers.matching.EmbeddedMessages;
import io.opentrackers.matching.MatchingPolicy;
import io.opentrackers.matching.PolicyOverrides;
import io.opentrackers.matching.TrackerDefinition;
import io.opentrackers.matching.TrackerHit;
import io.opentrackers.matching.TrackerMatcher;
import io.opentrackers.matching.VocabularyIndex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Measures matching quality on a folder in the ../shared/data format with the service's own engine (no database:
 * vocabularies are embedded directly). Usage:
 *
 * <pre>
 * EvaluateCommand FOLDER [--trackers trackers.json] [--speaker customer] [--model bge-small-en-v15-q]
 *                 [--aggregation MAX] [--threshold 0.55] [--margin 0.05] [--min-probability 0.7]
 *                 [--uncertainty-penalty 0.1] [--report target/eval.json]
 *                 [--sweep [--aggregations MAX,CENTROID] [--margins 0,0.05] [--probabilities 0,0.7]
 *                          [--penalties 0,0.1]]
 * </pre>
 *
 * The policy flags are {@link PolicyOverrides} of the model's calibrated policy, read as the service reads
 * {@code trackers.matching.*}. {@code --sweep} prints the scores of every aggregation over a grid of thresholds and margins (and, for CLASSIFIER,
 * probability cuts and uncertainty penalties), used to calibrate on one data set and pick the policy; see
 * docs/matching.md.
 */
public final class EvaluateCommand {

    private EvaluateCommand() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        String folder = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--sweep")) {
                options.put("sweep", "true");
            } else if (args[i].startsWith("--") && i + 1 < args.length) {
                options.put(args[i].substring(2), args[++i]);
            } else if (folder == null) {
                folder = args[i];
            } else {
                usage("unexpected argument " + args[i]);
            }
        }
        if (folder == null) {
            usage("missing data folder");
        }
        String modelId = options.getOrDefault("model", "bge-small-en-v15-q");
        MatchingPolicy policy = PolicyOverrides.parse(options::get).applyTo(MatchingPolicy.calibratedFor(modelId));
        String trackersFile = options.getOrDefault("trackers", "trackers.json");
        DataSet data = DataSet.load(Path.of(folder), trackersFile, options.get("speaker"));
        Path workDir = Path.of(System.getProperty("java.io.tmpdir"), "opentrackers-model");
        try (OnnxEmbeddingModel model = new OnnxEmbeddingModel(ModelSpec.byId(modelId), workDir, 32, true)) {
            long started = System.nanoTime();
            VocabularyIndex index = index(model, data.trackers());
            TrackerMatcher matcher = new TrackerMatcher(model, policy);
            EmbeddedMessages embedded = matcher.embed(data.messages());
            double seconds = (System.nanoTime() - started) / 1e9;
            if (options.containsKey("sweep")) {
                sweep(index, embedded, policy, data, options);
            }
            List<TrackerHit> hits = TrackerMatcher.match(index, embedded, policy);
            Scores scores = Scores.of(data.labels(), hits);
            System.out.printf(Locale.ROOT, "%s (%s, %d trackers) model %s, %s threshold %.3f margin %.3f"
                    + " min-probability %.2f uncertainty-penalty %.3f%n", folder, trackersFile,
                    data.trackers().size(), modelId, policy.aggregation(), policy.threshold(), policy.margin(),
                    policy.minProbability(), policy.uncertaintyPenalty());
            System.out.println(scores.summary());
            System.out.printf(Locale.ROOT, "embedded %d phrases + %d messages in %.1f s%n", index.phraseCount(),
                    data.messages().size(), seconds);
            if (options.containsKey("report")) {
                Path report = Path.of(options.get("report"));
                if (report.toAbsolutePath().getParent() != null) {
                    Files.createDirectories(report.toAbsolutePath().getParent());
                }
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("dataSet", folder);
                json.put("trackers", trackersFile);
                json.put("speaker", options.get("speaker"));
                json.put("model", modelId);
                json.put("policy", policy);
                json.put("scores", scores);
                JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build()
                        .writeValue(report.toFile(), json);
                System.out.println("report written to " + report);
            }
        }
    }

    static VocabularyIndex index(EmbeddingModel model, List<TrackerDefinition> trackers) {
        List<String> phrases = trackers.stream().flatMap(t -> t.vocabulary().stream()).toList();
        float[][] vectors = model.embed(phrases);
        List<VocabularyIndex.EmbeddedTracker> embedded = new ArrayList<>();
        int p = 0;
        for (TrackerDefinition tracker : trackers) {
            int n = tracker.vocabulary().size();
            embedded.add(new VocabularyIndex.EmbeddedTracker(tracker, java.util.Arrays.copyOfRange(vectors, p, p + n)));
            p += n;
        }
        return new VocabularyIndex(embedded);
    }

    private static void sweep(VocabularyIndex index, EmbeddedMessages embedded, MatchingPolicy base, DataSet data,
            Map<String, String> options) {
        List<Aggregation> aggregations = java.util.Arrays.stream(
                options.getOrDefault("aggregations", "MAX,TOP2_MEAN,TOP3_MEAN,CENTROID,MAX_CENTROID,CLASSIFIER")
                        .split(","))
                .map(name -> Aggregation.valueOf(name.trim().toUpperCase(Locale.ROOT))).toList();
        double[] margins = java.util.Arrays.stream(options.getOrDefault("margins", "0,0.01,0.03,0.05,1").split(","))
                .mapToDouble(Double::parseDouble).toArray();
        double[] probabilities = java.util.Arrays.stream(options.getOrDefault("probabilities",
                String.valueOf(base.minProbability())).split(",")).mapToDouble(Double::parseDouble).toArray();
        double[] penalties = java.util.Arrays.stream(options.getOrDefault("penalties",
                String.valueOf(base.uncertaintyPenalty())).split(",")).mapToDouble(Double::parseDouble).toArray();
        System.out.println("aggregation threshold margin minProbability uncertaintyPenalty"
                + " | microF1 macroF1 inScopeF1 rejection");
        for (Aggregation aggregation : aggregations) {
            for (double probability : probabilities) {
                for (double penalty : penalties) {
                    for (double margin : margins) {
                        sweepThresholds(index, embedded, data, new MatchingPolicy(aggregation, base.threshold(),
                                margin, base.spread(), probability, penalty));
                    }
                }
            }
        }
    }

    /** One line per threshold around the policy's own (±0.25, step 0.02), then the line with the best micro-F1. */
    private static void sweepThresholds(VocabularyIndex index, EmbeddedMessages embedded, DataSet data,
            MatchingPolicy base) {
        double bestF1 = -1;
        String bestLine = "";
        for (double threshold = Math.max(-1, base.threshold() - 0.25);
                threshold <= Math.min(1, base.threshold() + 0.25); threshold += 0.02) {
            MatchingPolicy policy = base.withThreshold(threshold);
            Scores s = Scores.of(data.labels(), TrackerMatcher.match(index, embedded, policy));
            String line = String.format(Locale.ROOT, "%-12s %.3f %.2f %.2f %.3f | %.3f %.3f %.3f %s",
                    policy.aggregation(), threshold, policy.margin(), policy.minProbability(),
                    policy.uncertaintyPenalty(), s.f1(), s.macroF1(), s.inScopeF1(), s.rejection());
            System.out.println(line);
            if (s.f1() > bestF1) {
                bestF1 = s.f1();
                bestLine = line;
            }
        }
        System.out.println("BEST " + bestLine);
    }

    private static void usage(String problem) {
        System.err.println(problem + "\nusage: EvaluateCommand FOLDER [--trackers FILE] [--speaker NAME] [--model ID]"
                + " [--aggregation MAX|TOP2_MEAN|TOP3_MEAN|CENTROID|MAX_CENTROID|CLASSIFIER] [--threshold T]"
                + " [--margin M] [--min-probability P] [--uncertainty-penalty U] [--report FILE]"
                + " [--sweep [--aggregations A,B] [--margins 0,0.05] [--probabilities 0,0.7] [--penalties 0,0.1]]");
        System.exit(2);
    }
}

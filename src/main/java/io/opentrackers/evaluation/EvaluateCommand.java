package io.opentrackers.evaluation;

import io.opentrackers.embedding.OnnxEmbeddingModel;
import io.opentrackers.embedding.OnnxSimilarityKernel;
import io.opentrackers.matching.Aggregation;
import io.opentrackers.matching.EmbeddedMessages;
import io.opentrackers.matching.EmbeddingModel;
import io.opentrackers.matching.MatchingPolicy;
import io.opentrackers.matching.ReferenceSentences;
import io.opentrackers.matching.ThresholdCalibration;
import io.opentrackers.matching.TrackerDefinition;
import io.opentrackers.matching.TrackerHit;
import io.opentrackers.matching.TrackerMatcher;
import io.opentrackers.matching.VocabularyIndex;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code evaluate}: measures matching quality on a dataSet.folder in the ../shared/data format with the service's own engine
 * (no database: vocabularies are embedded directly). The policy flags ({@link MatchingOptions}) override the
 * model's calibrated policy as {@code trackers.matching.*} does. {@code --sweep} prints the scores of every
 * aggregation over a grid of thresholds and margins (and, for CLASSIFIER, probability cuts and uncertainty
 * penalties), used to calibrate on one data set and pick the policy; see docs/matching.md.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Precision, recall, F1, macro F1 and out-of-scope rejection of the matching engine on a data set.")
public final class EvaluateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DataSetOptions dataSet;

    @Mixin
    MatchingOptions matching;

    @Option(names = "--report", paramLabel = "FILE", description = "also write the scores as JSON here")
    Path report;

    @Option(names = "--mistakes", paramLabel = "FILE",
            description = "also write every false hit and missed pair here, one JSON object per line (message,"
                    + " labels, tracker, and the phrase, score and words of a false hit)")
    private Path mistakes;

    @Option(names = "--dump", paramLabel = "DIR",
            description = "also write the phrase and span vectors, the labels and the literal hits here (float32"
                    + " little-endian + JSON), to study policies offline without embedding again")
    Path dump;

    @Option(names = "--reference-evidence", paramLabel = "RULE",
            description = "how the reference sentences join each tracker's calibration evidence: OTHER_TRACKERS (not at"
                    + " all), ALWAYS or COMPLETE (only for trackers with few other phrases); default: the service's")
    ThresholdCalibration.Rule referenceEvidence;

    @Option(names = "--reference-rules", split = ",", paramLabel = "RULE",
            description = "sweep: evidence rules to try with each of --quantiles (default: the chosen one only)")
    List<ThresholdCalibration.Rule> referenceRules;

    @Option(names = "--vector-cache", paramLabel = "FILE",
            description = "keep every embedded text's vector in this file between runs (same model only)")
    Path vectorCache;

    @Option(names = "--alone", description = "also score each tracker matched alone (an account or call with one"
            + " tracker), all their hits together")
    boolean alone;

    @Option(names = "--sweep", description = "print the scores over a grid of policies, then the chosen policy's")
    boolean sweep;

    @Option(names = "--aggregations", split = ",", paramLabel = "A",
            defaultValue = "MAX,TOP2_MEAN,TOP3_MEAN,CENTROID,MAX_CENTROID,CLASSIFIER",
            description = "sweep: aggregations to try (default: ${DEFAULT-VALUE})")
    List<Aggregation> aggregations;

    @Option(names = "--margins", split = ",", paramLabel = "M", defaultValue = "0,0.01,0.03,0.05,1",
            description = "sweep: margins to try (default: ${DEFAULT-VALUE})")
    double[] margins;

    @Option(names = "--probabilities", split = ",", paramLabel = "P",
            description = "sweep: minimum probabilities to try (default: the policy's)")
    double[] probabilities;

    @Option(names = "--penalties", split = ",", paramLabel = "U",
            description = "sweep: uncertainty penalties to try (default: the policy's)")
    double[] penalties;

    @Option(names = "--quantiles", split = ",", paramLabel = "Q",
            description = "sweep: calibration quantiles to try (per-tracker thresholds from the tracker set), printed"
                    + " before the threshold sweeps")
    double[] quantiles;

    EvaluateCommand() {
    }

    /** The {@code exec:java} entry point of the source tree; the jar's is {@code evaluate}. */
    public static void main(String[] args) {
        OfflineCommands.runAlone(new EvaluateCommand(), args);
    }

    @Override
    public Integer call() throws Exception {
        checkCanWrite(report, "--report");
        checkCanWrite(mistakes, "--mistakes");
        MatchingPolicy policy = matching.policy();
        String modelId = matching.modelId();
        DataSet data = dataSet.load();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path workDir = Path.of(System.getProperty("java.io.tmpdir"), "opentrackers-model");
        try (OnnxEmbeddingModel onnx = matching.load(workDir)) {
            EmbeddingModel model = vectorCache == null ? onnx : new VectorFileCache(onnx, vectorCache);
            long started = System.nanoTime();
            List<String> phrases = data.trackers().stream().flatMap(t -> t.vocabulary().stream()).toList();
            // as the service reads them: a phrase the model cannot read has no meaning
            float[][] phraseVectors = model.meaning(phrases,
                    new ProgressReportingModel(model, "phrases", err).embed(phrases));
            ThresholdCalibration.Rule rule = referenceEvidence != null ? referenceEvidence
                    : ThresholdCalibration.DEFAULT_RULE;
            ReferenceSentences.Embedded reference = ReferenceSentences.of(model);
            out.printf(Locale.ROOT, "reference sentences: %d embedded in %.2f s%n", reference.vectors().length,
                    reference.embeddingNanos() / 1e9);
            List<VocabularyIndex.EmbeddedTracker> embeddedTrackers =
                    VocabularyIndex.EmbeddedTracker.of(data.trackers(), phraseVectors);
            VocabularyIndex index = new VocabularyIndex(embeddedTrackers, OnnxSimilarityKernel.serviceDefault(),
                    ThresholdCalibration.Evidence.of(model, rule));
            TrackerMatcher matcher = new TrackerMatcher(new ProgressReportingModel(model, "message spans", err),
                    policy);
            EmbeddedMessages embedded = matcher.embed(data.messages());
            double seconds = (System.nanoTime() - started) / 1e9;
            if (dump != null) {
                Dump.write(dump, data, phraseVectors, index, embedded);
            }
            if (sweep) {
                for (ThresholdCalibration.Rule other : referenceRules != null ? referenceRules : List.of(rule)) {
                    out.println("reference evidence " + other);
                    VocabularyIndex swept = other == rule ? index : new VocabularyIndex(embeddedTrackers,
                            OnnxSimilarityKernel.serviceDefault(), ThresholdCalibration.Evidence.of(model, other));
                    sweep(out, swept, embedded, policy, data, other == rule);
                }
            }
            List<TrackerHit> hits = TrackerMatcher.match(index, embedded, policy);
            Scores scores = Scores.of(data.labels(), hits);
            out.printf(Locale.ROOT, "%s (%s, %d trackers) model %s, %s threshold %.3f margin %.3f"
                    + " min-probability %.2f uncertainty-penalty %.3f%s calibration-quantile %.3f"
                    + " reference-evidence %s%n", dataSet.folder,
                    dataSet.trackersFile, data.trackers().size(), modelId, policy.aggregation(), policy.threshold(),
                    policy.margin(), policy.minProbability(), policy.uncertaintyPenalty(),
                    policy.penaltyUnit() == MatchingPolicy.PenaltyUnit.EVIDENCE_SPREAD ? " evidence spreads" : "",
                    policy.calibrationQuantile(), rule);
            double[] thresholds = index.thresholds(policy);
            out.printf(Locale.ROOT, "per-tracker thresholds: min %.3f median %.3f max %.3f%n",
                    java.util.Arrays.stream(thresholds).min().orElse(Double.NaN),
                    java.util.Arrays.stream(thresholds).sorted().skip(thresholds.length / 2).findFirst()
                            .orElse(Double.NaN),
                    java.util.Arrays.stream(thresholds).max().orElse(Double.NaN));
            out.println(scores.summary());
            if (alone) {
                List<TrackerHit> aloneHits = new ArrayList<>();
                for (VocabularyIndex.EmbeddedTracker tracker : embeddedTrackers) {
                    VocabularyIndex trackerAlone = new VocabularyIndex(List.of(tracker),
                            OnnxSimilarityKernel.serviceDefault(), ThresholdCalibration.Evidence.of(model, rule));
                    aloneHits.addAll(TrackerMatcher.match(trackerAlone, embedded, policy));
                }
                out.println("each tracker alone: " + Scores.of(data.labels(), aloneHits).summary());
            }
            out.printf(Locale.ROOT, "embedded %d phrases + %d messages in %.1f s%n", index.phraseCount(),
                    data.messages().size(), seconds);
            if (mistakes != null) {
                writeMistakes(Mistakes.of(data.messages(), data.labels(), hits));
                out.println("mistakes written to " + mistakes);
            }
            if (report != null) {
                if (report.toAbsolutePath().getParent() != null) {
                    Files.createDirectories(report.toAbsolutePath().getParent());
                }
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("dataSet", dataSet.folder.toString());
                json.put("trackers", dataSet.trackersFile);
                json.put("speaker", dataSet.speaker);
                json.put("model", modelId);
                json.put("policy", policy);
                json.put("referenceEvidence", rule);
                json.put("scores", scores);
                JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build()
                        .writeValue(report.toFile(), json);
                out.println("report written to " + report);
            }
        }
        out.flush();
        return 0;
    }

    /**
     * Refuses an output file that could not be written before the run rather than after it: a --report naming a
     * folder, or a path under a file, ended a whole evaluation in a stack trace, its figures written nowhere.
     */
    private void checkCanWrite(Path file, String option) {
        if (file == null) {
            return;
        }
        if (Files.isDirectory(file)) {
            throw new ParameterException(spec.commandLine(), option + " " + file + " is a directory; name a file");
        }
        Path existing = file.toAbsolutePath().getParent();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent(); // the folders up to the file are made when it is written
        }
        if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
            throw new ParameterException(spec.commandLine(), option + " " + file + " cannot be written: " + existing
                    + " is not a folder this user may write in");
        }
    }

    private void writeMistakes(List<Mistakes.Mistake> list) throws java.io.IOException {
        if (mistakes.toAbsolutePath().getParent() != null) {
            Files.createDirectories(mistakes.toAbsolutePath().getParent());
        }
        JsonMapper json = JsonMapper.builder().build();
        try (var writer = Files.newBufferedWriter(mistakes)) {
            for (Mistakes.Mistake mistake : list) {
                writer.write(json.writeValueAsString(mistake));
                writer.newLine();
            }
        }
    }

    private void sweep(PrintWriter out, VocabularyIndex index, EmbeddedMessages embedded, MatchingPolicy base,
            DataSet data, boolean withThresholds) {
        double[] probabilityCuts = probabilities != null ? probabilities : new double[] {base.minProbability()};
        double[] penaltyValues = penalties != null ? penalties : new double[] {base.uncertaintyPenalty()};
        out.println("aggregation threshold margin minProbability uncertaintyPenalty"
                + " | microF1 macroF1 inScopeF1 rejection");
        for (double quantile : quantiles != null ? quantiles : new double[0]) {
            MatchingPolicy policy = base.withCalibrationQuantile(quantile);
            Scores s = Scores.of(data.labels(), TrackerMatcher.match(index, embedded, policy));
            out.println(String.format(Locale.ROOT, "%-12s quantile %.3f %.2f %.2f %.3f | %.3f %.3f %.3f %s",
                    policy.aggregation(), quantile, policy.margin(), policy.minProbability(),
                    policy.uncertaintyPenalty(), s.f1(), s.macroF1(), s.inScopeF1(), s.rejectionFigure()));
        }
        if (!withThresholds) {
            return;
        }
        for (Aggregation aggregation : aggregations) {
            for (double probability : probabilityCuts) {
                for (double penalty : penaltyValues) {
                    for (double margin : margins) {
                        sweepThresholds(out, index, embedded, data, new MatchingPolicy(aggregation, base.threshold(),
                                margin, base.spread(), probability, penalty));
                    }
                }
            }
        }
    }

    /** One line per threshold around the policy's own (±0.25, step 0.02), then the line with the best micro-F1. */
    private static void sweepThresholds(PrintWriter out, VocabularyIndex index, EmbeddedMessages embedded,
            DataSet data, MatchingPolicy base) {
        double bestF1 = -1;
        String bestLine = "";
        for (double threshold = Math.max(-1, base.threshold() - 0.25);
                threshold <= Math.min(1, base.threshold() + 0.25); threshold += 0.02) {
            MatchingPolicy policy = base.withThreshold(threshold);
            Scores s = Scores.of(data.labels(), TrackerMatcher.match(index, embedded, policy));
            String line = String.format(Locale.ROOT, "%-12s %.3f %.2f %.2f %.3f | %.3f %.3f %.3f %s",
                    policy.aggregation(), threshold, policy.margin(), policy.minProbability(),
                    policy.uncertaintyPenalty(), s.f1(), s.macroF1(), s.inScopeF1(), s.rejectionFigure());
            out.println(line);
            if (s.f1() > bestF1) {
                bestF1 = s.f1();
                bestLine = line;
            }
        }
        out.println("BEST " + bestLine);
    }
}

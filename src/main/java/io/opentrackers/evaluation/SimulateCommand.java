package io.opentrackers.evaluation;

import io.opentrackers.embedding.OnnxEmbeddingModel;
import io.opentrackers.embedding.OnnxSimilarityKernel;
import io.opentrackers.matching.EmbeddedMessages;
import io.opentrackers.matching.EmbeddingModel;
import io.opentrackers.matching.LabelledExample;
import io.opentrackers.matching.MatchingPolicy;
import io.opentrackers.matching.MessageText;
import io.opentrackers.matching.SentenceMatrix;
import io.opentrackers.matching.SuggestionPicker;
import io.opentrackers.matching.ThresholdCalibration;
import io.opentrackers.matching.TrackerDefinition;
import io.opentrackers.matching.TrackerHit;
import io.opentrackers.matching.TrackerMatcher;
import io.opentrackers.matching.VocabularyIndex.EmbeddedTracker;
import io.opentrackers.matching.VocabularyIndex;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code simulate}: replays the teaching loop of the service on a data set in the ../shared/data format. A history
 * (half of the conversations, or a labelled CSV such as Banking77's train split) plays the account's stored
 * sentences and the rest is the test set; each round asks for K suggestions per tracker
 * ({@link SuggestionPicker}, as {@code GET …/suggestions} does), labels them from the gold labels (as a user
 * would), adds them as examples and scores the test set with the decision with examples ({@link TrackerMatcher},
 * as {@code /v1/match} does). Round 0 is the tracker set without examples. History sentences are whole messages
 * (turns), embedded once, as the service embeds a stored sentence once.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Replay the teaching loop (suggestions labelled from the gold labels) and print F1 and rejection"
                + " after each round.")
public final class SimulateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DataSetOptions dataSet;

    @Option(names = "--history", paramLabel = "CSV",
            description = "utterance sets: the history as a CSV file text,category (e.g. Banking77's raw/train.csv);"
                    + " a category that is no tracker means no tracker should fire. Conversation sets without it use"
                    + " every other conversation as history and the rest as test.")
    Path history;

    @Option(names = "--rounds", defaultValue = "2", paramLabel = "N", description = "rounds (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--per-round", defaultValue = "25", paramLabel = "K",
            description = "suggestions labelled per tracker and round (default: ${DEFAULT-VALUE})")
    int perRound;

    @Option(names = "--vector-cache", paramLabel = "FILE",
            description = "keep the texts' vectors in this file between runs (embeds each text once)")
    Path vectorCache;

    @Option(names = "--validation",
            description = "choose designs without the test set: carve a validation set from the history (every other"
                    + " history conversation, or every other history line) and score it instead; the test set is"
                    + " not read")
    boolean validation;

    @Option(names = "--dump", paramLabel = "DIR",
            description = "also write the vectors (phrases, history sentences, scored spans), the labels, the literal"
                    + " hits, the thresholds and each round's labelled suggestions here (float32 little-endian +"
                    + " JSON), to study decisions with examples offline")
    Path dump;

    @Mixin
    MatchingOptions matching;

    SimulateCommand() {
    }

    /** The {@code exec:java} entry point of the source tree; the jar's is {@code simulate}. */
    public static void main(String[] args) {
        OfflineCommands.runAlone(new SimulateCommand(), args);
    }

    /** One labelled sentence of the history or the test set. */
    record Labelled(MessageText message, Set<String> labels) {
    }

    @Override
    public Integer call() throws Exception {
        if (rounds < 0 || perRound < 1 || perRound > 100) {
            throw new ParameterException(spec.commandLine(), "--rounds must be >= 0 and --per-round 1-100");
        }
        if (history != null && !Files.isRegularFile(history)) {
            throw new ParameterException(spec.commandLine(), "--history " + history + " is not a file");
        }
        MatchingPolicy policy = matching.policy();
        DataSet data = dataSet.load();
        List<Labelled> historySet = new ArrayList<>();
        List<Labelled> testSet = new ArrayList<>();
        split(data, historySet, testSet);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path workDir = Path.of(System.getProperty("java.io.tmpdir"), "opentrackers-model");
        try (OnnxEmbeddingModel onnx = matching.load(workDir)) {
            EmbeddingModel model = new ProgressReportingModel(onnx, "texts", err);
            if (vectorCache != null) {
                model = new VectorFileCache(model, vectorCache);
            }
            out.printf(Locale.ROOT, "%s (%s, %d trackers): history %d sentences, %s %d messages, %d rounds of %d"
                    + " suggestions per tracker%n", dataSet.folder, dataSet.trackersFile, data.trackers().size(),
                    historySet.size(),
                    validation ? "validation (from the history)" : "test", testSet.size(), rounds, perRound);
            out.flush();
            SimulationDump dumped = dump == null ? null : new SimulationDump(dump);
            run(model, policy, data.trackers(), historySet, testSet, out, dumped);
            if (dumped != null) {
                dumped.write();
            }
        }
        out.flush();
        return 0;
    }

    /** The loop itself, on any model (tests use a small stand-in). */
    void run(EmbeddingModel model, MatchingPolicy policy, List<TrackerDefinition> trackers, List<Labelled> historySet,
            List<Labelled> testSet, PrintWriter out) {
        run(model, policy, trackers, historySet, testSet, out, null);
    }

    private void run(EmbeddingModel model, MatchingPolicy policy, List<TrackerDefinition> trackers,
            List<Labelled> historySet, List<Labelled> testSet, PrintWriter out, SimulationDump dumped) {
        List<String> phrases = trackers.stream().flatMap(t -> t.vocabulary().stream()).toList();
        float[][] phraseVectors = model.meaning(phrases, model.embed(phrases)); // as the service reads them
        List<MessageText> historyTexts = historySet.stream().map(Labelled::message).toList();
        float[][] historyVectors = model.embed(historyTexts.stream().map(MessageText::text).toList());
        SentenceMatrix historyMatrix = SentenceMatrix.of(historyVectors);
        TrackerMatcher matcher = new TrackerMatcher(model, policy);
        EmbeddedMessages test = matcher.embed(testSet.stream().map(Labelled::message).toList());
        // the service's calibration evidence (the reference sentences), so that thresholds are the service's
        ThresholdCalibration.Evidence evidence = ThresholdCalibration.Evidence.forPolicy(policy, model);
        Map<String, Set<String>> testLabels = new LinkedHashMap<>();
        testSet.forEach(l -> testLabels.put(l.message().id(), l.labels()));

        int count = trackers.size();
        List<List<Integer>> labelledRows = new ArrayList<>(); // per tracker: history rows labelled, in order
        List<List<LabelledExample>> examples = new ArrayList<>();
        for (int t = 0; t < count; t++) {
            labelledRows.add(new ArrayList<>());
            examples.add(new ArrayList<>());
        }
        out.println("round examples positives negatives refitMs | microF1 macroF1 inScopeF1 rejection");
        for (int round = 0; round <= rounds; round++) {
            if (round > 0) {
                VocabularyIndex current = index(trackers, phraseVectors, historyVectors, labelledRows, examples, evidence);
                List<List<Integer>> picked = new ArrayList<>();
                for (int t = 0; t < count; t++) {
                    picked.add(suggest(current, t, policy, historyTexts, historyVectors, historyMatrix, phraseVectors,
                            labelledRows.get(t), examples.get(t)));
                }
                for (int t = 0; t < count; t++) {
                    for (int row : picked.get(t)) {
                        labelledRows.get(t).add(row);
                        examples.get(t).add(new LabelledExample(historyTexts.get(row).text(),
                                historySet.get(row).labels().contains(trackers.get(t).id())));
                    }
                }
                current.release();
            }
            long started = System.nanoTime();
            VocabularyIndex index = index(trackers, phraseVectors, historyVectors, labelledRows, examples, evidence);
            if (dumped != null) {
                if (round == 0) {
                    dumped.start(trackers, index.thresholds(policy), policy, phraseVectors, historySet, historyVectors,
                            test, testLabels, index);
                }
                dumped.round(labelledRows, examples);
            }
            index.prepare(policy);
            double refitMs = (System.nanoTime() - started) / 1e6;
            List<TrackerHit> hits = TrackerMatcher.match(index, test, policy);
            if (dumped != null) {
                dumped.predicted(hits);
            }
            Scores scores = Scores.of(testLabels, hits);
            index.release();
            int total = examples.stream().mapToInt(List::size).sum();
            int positives = (int) examples.stream().flatMap(List::stream).filter(LabelledExample::match).count();
            out.printf(Locale.ROOT, "%d %d %d %d %.0f | %.3f %.3f %.3f %s%n", round, total, positives,
                    total - positives, refitMs, scores.f1(), scores.macroF1(), scores.inScopeF1(),
                    scores.rejectionFigure());
            out.flush();
        }
    }

    /** K suggestions for tracker t, by the service's own choice; returns history rows. */
    private List<Integer> suggest(VocabularyIndex index, int t, MatchingPolicy policy, List<MessageText> historyTexts,
            float[][] historyVectors, SentenceMatrix historyMatrix, float[][] phraseVectors, List<Integer> labelled,
            List<LabelledExample> examples) {
        BitSet excluded = new BitSet(historyTexts.size());
        labelled.forEach(excluded::set);
        List<float[]> references = new ArrayList<>(Arrays.asList(phraseVectorsOf(index, t, phraseVectors)));
        float[][] labelledVectors = new float[labelled.size()][];
        for (int i = 0; i < labelled.size(); i++) {
            labelledVectors[i] = historyVectors[labelled.get(i)];
            if (examples.get(i).match()) {
                references.add(labelledVectors[i]);
            }
        }
        return SuggestionPicker.pick(index, t, policy, historyTexts.stream().map(MessageText::text).toList(),
                historyMatrix, excluded, references.toArray(new float[0][]), labelledVectors, perRound).stream()
                .map(SuggestionPicker.Suggestion::candidate).toList();
    }

    private static float[][] phraseVectorsOf(VocabularyIndex index, int t, float[][] phraseVectors) {
        int start = 0;
        for (int k = 0; k < t; k++) {
            start += index.trackers().get(k).vocabulary().size();
        }
        return Arrays.copyOfRange(phraseVectors, start, start + index.trackers().get(t).vocabulary().size());
    }

    private static VocabularyIndex index(List<TrackerDefinition> trackers, float[][] phraseVectors,
            float[][] historyVectors, List<List<Integer>> labelledRows, List<List<LabelledExample>> examples,
            ThresholdCalibration.Evidence evidence) {
        List<EmbeddedTracker> embedded = new ArrayList<>();
        int p = 0;
        for (int t = 0; t < trackers.size(); t++) {
            TrackerDefinition base = trackers.get(t);
            TrackerDefinition taught = base.withExamples(examples.get(t));
            int n = base.vocabulary().size();
            float[][] exampleVectors = labelledRows.get(t).stream().map(row -> historyVectors[row])
                    .toArray(float[][]::new);
            embedded.add(new EmbeddedTracker(taught, Arrays.copyOfRange(phraseVectors, p, p + n), null,
                    exampleVectors));
            p += n;
        }
        return new VocabularyIndex(embedded, OnnxSimilarityKernel.serviceDefault(), evidence);
    }

    /** History and test: the CSV (all of the data set's messages are the test), or alternate conversations. */
    private void split(DataSet data, List<Labelled> historySet, List<Labelled> testSet) throws IOException {
        Set<String> trackerNames = new HashSet<>();
        data.trackers().forEach(t -> trackerNames.add(t.id()));
        if (history != null) {
            List<String> lines = DataSetReader.text(history).lines().toList();
            int validationRows = 0;
            for (int i = 1; i < lines.size(); i++) {
                String line = lines.get(i);
                int comma = line.lastIndexOf(',');
                if (line.isBlank() || comma < 0) {
                    continue;
                }
                String text = unquote(line.substring(0, comma));
                String category = line.substring(comma + 1).trim();
                Labelled labelled = new Labelled(new MessageText("history-" + i, text),
                        trackerNames.contains(category) ? Set.of(category) : Set.of());
                // validation: every other line (the file is sorted by category, so both halves keep every one)
                (validation && validationRows++ % 2 == 1 ? testSet : historySet).add(labelled);
            }
            if (!validation) {
                data.messages().forEach(m -> testSet.add(new Labelled(m, data.labels().get(m.id()))));
            }
            return;
        }
        if (data.conversations().isEmpty()) {
            throw new ParameterException(spec.commandLine(), "an utterance set needs --history CSV");
        }
        Set<String> historyIds = new HashSet<>();
        Set<String> validationIds = new HashSet<>();
        // the conversations as the data set read them, so that the split sees the same file the scores do
        for (int index = 0; index < data.conversations().size(); index++) {
            // history: conversations 0, 2, 4, …; with --validation, 2, 6, 10, … of them are scored instead
            Set<String> side = index % 2 == 1 ? null : validation && index % 4 == 2 ? validationIds : historyIds;
            if (side != null) {
                side.addAll(data.conversations().get(index));
            }
        }
        for (MessageText message : data.messages()) {
            Labelled labelled = new Labelled(message, data.labels().get(message.id()));
            if (historyIds.contains(message.id())) {
                historySet.add(labelled);
            } else if (!validation || validationIds.contains(message.id())) {
                testSet.add(labelled);
            }
        }
    }

    private static String unquote(String field) {
        String f = field.trim();
        if (f.length() >= 2 && f.startsWith("\"") && f.endsWith("\"")) {
            return f.substring(1, f.length() - 1).replace("\"\"", "\"");
        }
        return f;
    }
}

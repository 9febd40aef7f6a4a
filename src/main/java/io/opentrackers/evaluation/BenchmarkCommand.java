package io.opentrackers.evaluation;

import io.opentrackers.embedding.OnnxEmbeddingModel;
import io.opentrackers.embedding.OnnxSimilarityKernel;
import io.opentrackers.matching.MatchingPolicy;
import io.opentrackers.matching.MessageText;
import io.opentrackers.matching.SimilarityKernel;
import io.opentrackers.matching.TrackerDefinition;
import io.opentrackers.matching.TrackerHit;
import io.opentrackers.matching.ThresholdCalibration;
import io.opentrackers.matching.TrackerMatcher;
import io.opentrackers.matching.VocabularyIndex;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code benchmark}: throughput of the raw model and of the full matching path against 500 trackers x 50 phrases,
 * in one run. It takes the policy flags of {@code evaluate} ({@link MatchingOptions}), since the aggregation decides
 * how much work scoring does. Messages are the folder's texts; the vocabularies are synthesised from its tracker
 * phrases (each phrase with a few spoken-style prefixes and suffixes) so that every phrase is distinct and realistic
 * in length.
 */
@Command(name = "benchmark", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Raw model vs full matching path against many trackers, with the process's RSS.")
public final class BenchmarkCommand implements Callable<Integer> {

    private static final String[] PREFIXES = {"", "hi ", "so ", "please ", "well ", "I think "};
    private static final String[] SUFFIXES = {"", " please", " today", " right now", " thanks", " again"};

    /** Messages per matcher call of a job: the default of trackers.jobs.batch-size. */
    private static final int JOB_BATCH = 256;

    private static final int ROUNDS = 3;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", defaultValue = "../shared/data/banking77", paramLabel = "FOLDER",
            description = "data set whose messages and tracker phrases are used (default: ${DEFAULT-VALUE})")
    Path folder;

    @Option(names = "--messages", defaultValue = "1500", paramLabel = "N",
            description = "messages to match, at most the folder's (default: ${DEFAULT-VALUE})")
    int messageCount;

    @Option(names = "--trackers", defaultValue = "500", paramLabel = "N",
            description = "synthesised trackers (default: ${DEFAULT-VALUE})")
    int trackerCount;

    @Option(names = "--phrases", defaultValue = "50", paramLabel = "N",
            description = "phrases per synthesised tracker (default: ${DEFAULT-VALUE})")
    int phrasesPerTracker;

    @Mixin
    MatchingOptions matching;

    BenchmarkCommand() {
    }

    /** The {@code exec:java} entry point of the source tree; the jar's is {@code benchmark}. */
    public static void main(String[] args) {
        OfflineCommands.runAlone(new BenchmarkCommand(), args);
    }

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(folder)) {
            throw new ParameterException(spec.commandLine(), "FOLDER " + folder + " is not a directory");
        }
        if (messageCount < 1 || trackerCount < 1 || phrasesPerTracker < 1) {
            throw new ParameterException(spec.commandLine(), "--messages, --trackers and --phrases must be at least 1");
        }
        String modelId = matching.modelId();
        MatchingPolicy policy = matching.policy();
        DataSet data = DataSet.load(folder, "trackers.json", null);
        PrintWriter out = spec.commandLine().getOut();
        List<String> texts = data.messages().stream().map(MessageText::text).limit(messageCount).toList();
        out.printf(Locale.ROOT, "model %s, %d messages from %s, %d cores, java %s%n", modelId, texts.size(),
                folder, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        out.println("policy " + policy);
        out.printf(Locale.ROOT, "RSS before loading the model: %d MiB%n", rssMiB());

        Path workDir = Path.of(System.getProperty("java.io.tmpdir"), "opentrackers-model");
        try (OnnxEmbeddingModel model = matching.load(workDir)) {
            out.printf(Locale.ROOT, "RSS with the model loaded: %d MiB%n", rssMiB());
            model.embed(texts.subList(0, Math.min(200, texts.size()))); // warm-up (JIT, ONNX Runtime arenas)

            // what varies is how many threads embed one call's texts (runs of up to --batch-texts texts each)
            out.printf(Locale.ROOT, "raw model, up to %d texts a run, 1 intra-op thread, one call with all texts:%n",
                    model.batchTexts());
            List<String> sample = texts.subList(0, Math.min(600, texts.size()));
            for (int threads = 1; threads <= Math.max(2, matching.threads); threads++) {
                try (OnnxEmbeddingModel variant = matching.withThreads(threads).load(workDir)) {
                    variant.embed(sample.subList(0, Math.min(64, sample.size())));
                    double rate = rate(() -> variant.embed(sample), sample.size());
                    out.printf(Locale.ROOT, "  %d thread%s: %6.1f sentences/s%n", threads, threads == 1 ? " " : "s",
                            rate);
                }
            }

            List<TrackerDefinition> trackers = synthesise(data, trackerCount, phrasesPerTracker);
            long started = System.nanoTime();
            List<String> phrases = trackers.stream().flatMap(t -> t.vocabulary().stream()).toList();
            // the one long step before the first figure: phrases are embedded in slices with a progress line
            List<VocabularyIndex.EmbeddedTracker> embedded = VocabularyIndex.EmbeddedTracker.of(trackers,
                    new ProgressReportingModel(model, "phrases", spec.commandLine().getErr()).embed(phrases));
            double embedSeconds = (System.nanoTime() - started) / 1e9;
            started = System.nanoTime();
            VocabularyIndex index = new VocabularyIndex(embedded, OnnxSimilarityKernel.serviceDefault(),
                    ThresholdCalibration.Evidence.forPolicy(policy, model));
            out.printf(Locale.ROOT, "embedded %d trackers x %d phrases in %.1f s, indexed in %.2f s; RSS %d MiB%n",
                    trackerCount, phrasesPerTracker, embedSeconds, (System.nanoTime() - started) / 1e9, rssMiB());

            TrackerMatcher matcher = new TrackerMatcher(model, policy);
            List<MessageText> messages = new ArrayList<>();
            for (int i = 0; i < texts.size(); i++) {
                messages.add(new MessageText("m" + i, texts.get(i)));
            }
            matcher.match(index, messages.subList(0, Math.min(100, messages.size()))); // warm-up
            int[] hits = new int[1];
            // the service's path: split into spans, embed (batched, sorted), score against 25,000 phrases, decide;
            // messages per matcher call: one (a quiet stream), as a job passes them (trackers.jobs.batch-size), all
            int[] chunks = {1, 64, JOB_BATCH, messages.size()};
            double[] chunkRates = new double[chunks.length];
            for (int c = 0; c < chunks.length; c++) {
                int chunk = chunks[c];
                hits[0] = 0;
                chunkRates[c] = rate(() -> {
                    for (int from = 0; from < messages.size(); from += chunk) {
                        hits[0] += matcher.match(index, messages.subList(from,
                                Math.min(messages.size(), from + chunk))).size();
                    }
                }, messages.size());
                out.printf(Locale.ROOT, "  matching path, %4d messages per call: %6.1f messages/s%n", chunk,
                        chunkRates[c]);
            }
            // the headline pair, alternated over three rounds so that a noisy moment hits both sides; medians
            double[] raws = new double[ROUNDS];
            double[] matchings = new double[ROUNDS];
            for (int round = 0; round < ROUNDS; round++) {
                raws[round] = rate(() -> model.embed(texts), texts.size());
                matchings[round] = rate(() -> {
                    for (int from = 0; from < messages.size(); from += JOB_BATCH) {
                        matcher.match(index, messages.subList(from, Math.min(messages.size(), from + JOB_BATCH)));
                    }
                }, messages.size());
                out.printf(Locale.ROOT, "  round %d: raw model %6.1f sentences/s, matching path %6.1f messages/s,"
                        + " ratio %.2f%n", round + 1, raws[round], matchings[round], matchings[round] / raws[round]);
            }
            double raw = median(raws);
            double matching = median(matchings);
            var embeddedMessages = matcher.embed(messages);
            double scoringOnly = rate(() -> TrackerMatcher.match(index, embeddedMessages, matcher.policy()),
                    messages.size());
            out.printf(Locale.ROOT, "scoring and deciding alone (spans already embedded): %.1f messages/s%n",
                    scoringOnly);
            out.printf(Locale.ROOT, "raw model (one call with all texts): %.1f sentences/s (median)%n", raw);
            out.printf(Locale.ROOT, "matching path vs %d x %d phrases, %d messages per call: %.1f messages/s"
                    + " (median, %d hits)%n", trackerCount, phrasesPerTracker, JOB_BATCH, matching, hits[0]);
            out.printf(Locale.ROOT, "ratio matching / raw: %.2f%n", matching / raw);
            out.printf(Locale.ROOT, "RSS with %d x %d loaded: %d MiB (heap used %d MiB)%n", trackerCount,
                    phrasesPerTracker, rssMiB(),
                    (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
            // last, so that the portable copy of the matrix it builds does not count in the RSS above
            compareKernels(out, embedded, model.embed(texts.subList(0, Math.min(256, texts.size()))));
        }
        return 0;
    }

    /** Span vectors scored per second by each kernel against the whole vocabulary, alone and in blocks. */
    private static void compareKernels(PrintWriter out, List<VocabularyIndex.EmbeddedTracker> embedded,
            float[][] spans) {
        List<float[]> rowList = new ArrayList<>();
        embedded.forEach(e -> rowList.addAll(List.of(e.phraseVectors())));
        float[][] rows = rowList.toArray(new float[0][]);
        int dimension = rows[0].length;
        SimilarityKernel.PreparedMatrix portable = SimilarityKernel.portable().prepare(rows, dimension);
        long preparing = System.nanoTime();
        SimilarityKernel.PreparedMatrix onnx = new OnnxSimilarityKernel(1).prepare(rows, dimension);
        out.printf(Locale.ROOT, "scoring kernels, spans/s against %d rows x %d dims (1 thread; ONNX Runtime"
                + " prepared in %.1f ms):%n", rows.length, dimension, (System.nanoTime() - preparing) / 1e6);
        for (int block : new int[] {1, 2, 4, 32, 256}) {
            double portableRate = kernelRate(portable, spans, block, rows.length);
            double onnxRate = kernelRate(onnx, spans, block, rows.length);
            out.printf(Locale.ROOT, "  block %2d: portable Java %7.1f   ONNX Runtime %7.1f   ratio %.1fx%n",
                    block, portableRate, onnxRate, onnxRate / portableRate);
        }
        onnx.release();
    }

    private static double kernelRate(SimilarityKernel.PreparedMatrix matrix, float[][] spans, int block, int rows) {
        float[][] out = new float[block][rows];
        Runnable pass = () -> {
            for (int from = 0; from + block <= spans.length; from += block) {
                matrix.multiply(java.util.Arrays.copyOfRange(spans, from, from + block), out);
            }
        };
        pass.run(); // warm-up
        return rate(pass, spans.length / block * block);
    }

    static List<TrackerDefinition> synthesise(DataSet data, int trackerCount, int phrasesPerTracker) {
        List<String> base = data.trackers().stream().flatMap(t -> t.vocabulary().stream()).distinct().toList();
        List<TrackerDefinition> trackers = new ArrayList<>();
        int n = 0;
        for (int t = 0; t < trackerCount; t++) {
            List<String> vocabulary = new ArrayList<>();
            for (int p = 0; p < phrasesPerTracker; p++, n++) {
                int variant = n / base.size();
                vocabulary.add(PREFIXES[variant % PREFIXES.length] + base.get(n % base.size())
                        + SUFFIXES[(variant / PREFIXES.length) % SUFFIXES.length]);
            }
            trackers.add(new TrackerDefinition("t" + t, "tracker " + t, vocabulary, null, 1));
        }
        return trackers;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static double rate(Runnable work, int items) {
        long started = System.nanoTime();
        work.run();
        return items / ((System.nanoTime() - started) / 1e9);
    }

    static long rssMiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }
}

package io.opentrackers.embedding;

import io.opentrackers.matching.EmbeddingModel;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.IntStream;

/**
 * Runs a BERT-style sentence encoder in-process: Hugging Face tokenizer (DJL bindings) + ONNX Runtime session +
 * explicit pooling and L2 normalisation. Thread-safe: the session and the tokenizer may be shared by callers.
 */
public final class OnnxEmbeddingModel implements EmbeddingModel, AutoCloseable {

    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;


    private static final String INPUT_IDS = "input_ids";
    private static final String ATTENTION_MASK = "attention_mask";
    private static final String TOKEN_TYPE_IDS = "token_type_ids";

    private final ModelSpec spec;
    private final int maxBatchSize;
    private final boolean sortByLength;
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final Set<String> inputNames;
    private final int dimension;
    private volatile RunObserver runObserver = RunObserver.NONE;

    /**
     * @param workDir      writable directory for the model file and the native libraries (reused across starts)
     * @param maxBatchSize largest number of texts per session run; bounds memory (activations grow with it)
     * @param sortByLength batch texts of similar length together so padding wastes little work
     */
    public OnnxEmbeddingModel(ModelSpec spec, Path workDir, int maxBatchSize, boolean sortByLength) {
        this(spec, workDir, maxBatchSize, sortByLength, 1);
    }

    /** @param intraOpThreads threads ONNX Runtime may use inside one run */
    public OnnxEmbeddingModel(ModelSpec spec, Path workDir, int maxBatchSize, boolean sortByLength,
            int intraOpThreads) {
        this.spec = spec;
        this.maxBatchSize = maxBatchSize;
        this.sortByLength = sortByLength;
        try {
            Files.createDirectories(workDir);
            prepareNativeLibraries(workDir);
            // Loading from a file path keeps the weights out of the Java heap (a byte[] copy costs ~180 MiB more).
            Path modelFile = copyResource(spec.modelResource, workDir.resolve(spec.id() + ".onnx"));
            environment = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            // One intra-op thread per run by default: callers parallelise across runs, which was faster and steadier
            // than several threads inside one run on small batches.
            options.setIntraOpNumThreads(intraOpThreads);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = environment.createSession(modelFile.toString(), options);
            inputNames = session.getInputNames();
            try (InputStream in = resource(spec.tokenizerResource)) {
                // no padding: embed() groups texts of similar length and pads each group itself (the MiniLM
                // tokenizer.json alone would pad everything to 128)
                tokenizer = HuggingFaceTokenizer.newInstance(in, Map.of(
                        "padding", "false", "truncation", "true", "maxLength", "256"));
            }
            dimension = embed(List.of("dimension probe"))[0].length;
        } catch (IOException e) {
            throw new EmbeddingModelException("cannot prepare model " + spec.id() + " in " + workDir, e);
        } catch (OrtException e) {
            throw new EmbeddingModelException("cannot load model " + spec.id(), e);
        }
    }

    @Override
    public String id() {
        return spec.id();
    }

    @Override
    public int dimension() {
        return dimension;
    }

    /** Who is told about each model run (the service's metrics). */
    void observeRuns(RunObserver observer) {
        runObserver = observer;
    }

    @Override
    public float[][] embed(List<String> texts) {
        // the whole call holds the read lock so that close() cannot free the native tokenizer or session under
        // it (that crashed the JVM when a context closed while the vocabulary warm-up was embedding)
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new EmbeddingModelException("model " + spec.id() + " is closed", null);
            }
            return embedOpen(texts);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private float[][] embedOpen(List<String> texts) {
        float[][] vectors = new float[texts.size()][];
        if (texts.isEmpty()) {
            return vectors;
        }
        Encoding[] encodings = tokenizer.batchEncode(spec.textPrefix.isEmpty() ? texts
                : texts.stream().map(text -> spec.textPrefix + text).toList());
        Integer[] order = IntStream.range(0, texts.size()).boxed().toArray(Integer[]::new);
        int[] runEnds;
        if (sortByLength) {
            Arrays.sort(order, Comparator.comparingInt(i -> encodings[i].getIds().length));
            runEnds = cheapestRuns(Arrays.stream(order).mapToInt(i -> encodings[i].getIds().length).toArray(),
                    maxBatchSize);
        } else {
            runEnds = IntStream.rangeClosed(1, (order.length + maxBatchSize - 1) / maxBatchSize)
                    .map(run -> Math.min(run * maxBatchSize, order.length)).toArray();
        }
        int start = 0;
        for (int end : runEnds) {
            Encoding[] run = new Encoding[end - start];
            for (int k = start; k < end; k++) {
                run[k - start] = encodings[order[k]];
            }
            float[][] embedded = embedOpenBatch(run);
            for (int k = start; k < end; k++) {
                vectors[order[k]] = embedded[k - start];
            }
            start = end;
        }
        return vectors;
    }

    /**
     * What one model run costs beyond its tokens, in padded tokens: bge-small int8 on this project's 2-core
     * machine took 2.5 ms for a 2-token text against ~0.3-0.4 ms per further token and row (the run streams all
     * 21 MB of weights however few rows it has), so a run is worth about 7 rows-tokens of padding.
     */
    static final int RUN_COST_IN_TOKENS = 7;

    /**
     * Splits texts sorted by token length into runs (returned as exclusive end indexes) so that the estimated cost
     * (per run: {@link #RUN_COST_IN_TOKENS} plus rows x longest length) is smallest, with at most {@code maxRows}
     * per run. Every text in a run costs as much as the run's longest, so one long text must not drag short
     * ones along; but each extra run costs a pass over the weights, so two short sentences of one message of
     * different length still go together.
     */
    static int[] cheapestRuns(int[] sortedLengths, int maxRows) {
        int n = sortedLengths.length;
        long[] best = new long[n + 1];
        int[] cutBefore = new int[n + 1];
        for (int end = 1; end <= n; end++) {
            best[end] = Long.MAX_VALUE;
            for (int start = Math.max(0, end - maxRows); start < end; start++) {
                long cost = best[start] + RUN_COST_IN_TOKENS + (long) (end - start) * sortedLengths[end - 1];
                if (cost < best[end]) {
                    best[end] = cost;
                    cutBefore[end] = start;
                }
            }
        }
        ArrayDeque<Integer> ends = new ArrayDeque<>();
        for (int end = n; end > 0; end = cutBefore[end]) {
            ends.addFirst(end);
        }
        return ends.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Runs the model on texts tokenized without padding; they are padded here to the batch's longest. */
    private float[][] embedOpenBatch(Encoding[] encodings) {
        int rows = encodings.length;
        int length = 0;
        for (Encoding encoding : encodings) {
            length = Math.max(length, encoding.getIds().length);
        }
        long[][] ids = new long[rows][length];
        long[][] mask = new long[rows][length];
        for (int r = 0; r < rows; r++) {
            long[] rowIds = encodings[r].getIds();
            long[] rowMask = encodings[r].getAttentionMask();
            // padding positions keep id 0 and mask 0: masked out of attention and pooling, their id is irrelevant
            System.arraycopy(rowIds, 0, ids[r], 0, rowIds.length);
            System.arraycopy(rowMask, 0, mask[r], 0, rowMask.length);
        }
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put(INPUT_IDS, OnnxTensor.createTensor(environment, ids));
            inputs.put(ATTENTION_MASK, OnnxTensor.createTensor(environment, mask));
            if (inputNames.contains(TOKEN_TYPE_IDS)) {
                inputs.put(TOKEN_TYPE_IDS, OnnxTensor.createTensor(environment, new long[rows][length]));
            }
            long started = System.nanoTime();
            try (OrtSession.Result result = session.run(inputs)) {
                runObserver.ran(rows, length, System.nanoTime() - started);
                float[][][] hidden = (float[][][]) result.get(0).getValue();
                float[][] pooled = new float[rows][];
                for (int r = 0; r < rows; r++) {
                    pooled[r] = normalise(spec.pooling == ModelSpec.Pooling.CLS ? hidden[r][0].clone()
                            : meanPool(hidden[r], mask[r]));
                }
                return pooled;
            }
        } catch (OrtException e) {
            throw new EmbeddingModelException("model " + spec.id() + " failed on a batch of " + rows, e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private static float[] meanPool(float[][] tokens, long[] mask) {
        float[] sum = new float[tokens[0].length];
        int count = 0;
        for (int t = 0; t < tokens.length; t++) {
            if (mask[t] == 0) {
                continue;
            }
            count++;
            for (int d = 0; d < sum.length; d++) {
                sum[d] += tokens[t][d];
            }
        }
        for (int d = 0; d < sum.length; d++) {
            sum[d] /= Math.max(1, count);
        }
        return sum;
    }

    static float[] normalise(float[] vector) {
        double norm = 0;
        for (float v : vector) {
            norm += v * v;
        }
        float scale = norm == 0 ? 0 : (float) (1 / Math.sqrt(norm));
        for (int d = 0; d < vector.length; d++) {
            vector[d] *= scale;
        }
        return vector;
    }

    /**
     * Both native runtimes unpack themselves to a fresh temp folder by default (ONNX Runtime leaves one behind at
     * every start, DJL writes to ~/.djl.ai); pointing them at our work directory keeps the file system clean and
     * works on read-only home directories.
     */
    private static synchronized void prepareNativeLibraries(Path workDir) throws IOException {
        if (System.getProperty("DJL_CACHE_DIR") == null) {
            System.setProperty("DJL_CACHE_DIR", workDir.resolve("djl").toString());
        }
        if (System.getProperty("onnxruntime.native.path") != null) {
            return;
        }
        String platform = platform();
        if (platform == null) {
            return; // let ONNX Runtime find its own libraries
        }
        Path nativeDir = Files.createDirectories(workDir.resolve("onnxruntime-" + platform));
        for (String library : List.of("onnxruntime", "onnxruntime4j_jni")) {
            String name = System.mapLibraryName(library);
            String path = "/ai/onnxruntime/native/" + platform + "/" + name;
            if (OnnxEmbeddingModel.class.getResource(path) == null) {
                return;
            }
            copyResource(path, nativeDir.resolve(name));
        }
        System.setProperty("onnxruntime.native.path", nativeDir.toString());
    }

    private static String platform() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String osName = os.contains("linux") ? "linux" : os.contains("mac") ? "osx" : os.contains("win") ? "win" : null;
        String archName = arch.equals("amd64") || arch.equals("x86_64") ? "x64"
                : arch.equals("aarch64") || arch.equals("arm64") ? "aarch64" : null;
        return osName == null || archName == null ? null : osName + "-" + archName;
    }

    /** Copies a classpath resource unless an identical-size copy is already there (a restart reuses it). */
    private static Path copyResource(String resource, Path target) throws IOException {
        try (InputStream in = resource(resource)) {
            long size = OnnxEmbeddingModel.class.getResource(resource).openConnection().getContentLengthLong();
            if (Files.exists(target) && size > 0 && Files.size(target) == size) {
                return target;
            }
            Path partial = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        }
    }

    private static InputStream resource(String resource) {
        InputStream in = OnnxEmbeddingModel.class.getResourceAsStream(resource);
        if (in == null) {
            throw new UncheckedIOException(new IOException("resource " + resource
                    + " not on the classpath; is its dev.langchain4j embeddings jar a dependency?"));
        }
        return in;
    }

    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            closed = true;
            tokenizer.close();
            session.close();
        } catch (OrtException e) {
            throw new EmbeddingModelException("could not release model " + spec.id(), e);
        } finally {
            lifecycle.writeLock().unlock();
        }
    }
}

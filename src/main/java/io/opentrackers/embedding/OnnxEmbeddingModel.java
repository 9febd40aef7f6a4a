package io.opentrackers.embedding;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.opentrackers.embedding.FixedActivationScales.Observed;
import io.opentrackers.embedding.FixedActivationScales.Quantisation;
import io.opentrackers.embedding.FixedActivationScales.Range;
import io.opentrackers.embedding.ModelDescriptor.Pooling;
import io.opentrackers.matching.EmbeddingModel;
import io.opentrackers.matching.ReferenceSentences;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a BERT-style sentence encoder in-process: Hugging Face tokenizer (DJL bindings) + ONNX Runtime session +
 * explicit pooling and L2 normalisation. Thread-safe: the session and the tokenizer are shared by callers.
 *
 * <p><b>A text's vector never depends on what shares its run.</b> The int8 models quantise activations per run
 * (DynamicQuantizeLinear over the whole input), so a text embedded beside others got a slightly different vector
 * than alone, and a message's scores depended on what shared its request. Such a graph is given fixed activation
 * scales at load time ({@link FixedActivationScales}); then a run's rows are independent, which the model checks
 * on sample texts before it puts several texts in one run (sorted by length, padded). A graph that fails the check,
 * or has no per-run quantisation (a float graph, whose padded batches differ in rounding), embeds every text in its
 * own run. Either way the same text always gets the same vector, bit for bit, and after a restart. What each way
 * costs is measured in docs/performance.md ("Determinism", "Fixed activation scales").
 *
 * <p><b>Both cores on one call.</b> The runs of one call are made by the calling thread and, when they are free,
 * by a small pool shared by all callers ({@code threads - 1} helpers, one intra-op thread each): a job's batch uses
 * both cores, while a busy pool never makes a caller wait (it then makes its runs alone).
 */
public final class OnnxEmbeddingModel implements EmbeddingModel, AutoCloseable {

    /** Texts per run by default: 16 and 32 were equally fast on short texts, 64 slower (docs/performance.md). */
    public static final int DEFAULT_BATCH_TEXTS = 32;

    private static final Logger log = LoggerFactory.getLogger(OnnxEmbeddingModel.class);
    private static final String INPUT_IDS = "input_ids";
    private static final String ATTENTION_MASK = "attention_mask";
    private static final String TOKEN_TYPE_IDS = "token_type_ids";
    private static final Set<String> FED_INPUTS = Set.of(INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS);
    /** Token-vector outputs by the names Hugging Face exporters give them, in order of preference. */
    private static final List<String> TOKEN_OUTPUTS = List.of("last_hidden_state", "token_embeddings");
    /** Texts of the row-independence check: enough lengths to pad every one of them. */
    private static final int CHECKED_TEXTS = 48;

    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    private final ModelDescriptor descriptor;
    private final Path modelFile;
    private final Path tokenizerFile;
    private final OrtEnvironment environment;
    private final HuggingFaceTokenizer tokenizer;
    /** The token the tokenizer gives a piece it does not know ({@code [UNK]}), or null when it has none. */
    private final String unknownToken;
    private final Map<String, OnnxJavaType> inputTypes = new HashMap<>();
    private final String vectorsId;
    private final OrtSession session;
    private final String output;
    private final ThreadPoolExecutor helpers;
    private final int batchTexts;
    private final int dimension;
    private volatile RunObserver runObserver = RunObserver.NONE;

    /**
     * A model shipped in a jar.
     *
     * @param workDir        writable directory for the model file and the native libraries (reused across starts)
     * @param threads        threads that may embed the texts of one call (the caller and {@code threads - 1}
     *                       shared helpers)
     * @param intraOpThreads threads ONNX Runtime may use inside one run
     * @param batchTexts     texts one run may hold when the graph's rows are independent (1: every text alone)
     */
    public static OnnxEmbeddingModel builtIn(ModelSpec spec, Path workDir, int threads, int intraOpThreads,
            int batchTexts) {
        try {
            Files.createDirectories(workDir);
            // Loading from a file path keeps the weights out of the Java heap (a byte[] copy costs ~180 MiB more).
            Path modelFile = copyResource(spec.modelResource(), workDir.resolve(spec.id() + ".onnx"));
            Path tokenizerFile = copyResource(spec.tokenizerResource(), workDir.resolve(spec.id() + "-tokenizer.json"));
            return new OnnxEmbeddingModel(spec.descriptor(), modelFile, tokenizerFile, workDir, threads,
                    intraOpThreads, batchTexts);
        } catch (IOException e) {
            throw new EmbeddingModelException("cannot prepare model " + spec.id() + " in " + workDir, e);
        }
    }

    /** A model folder: {@code model.onnx}, {@code tokenizer.json} and the descriptor ({@link ModelDescriptor}). */
    public static OnnxEmbeddingModel fromFolder(Path folder, Path workDir, int threads, int intraOpThreads,
            int batchTexts) {
        ModelDescriptor descriptor = ModelDescriptor.readFolder(folder);
        return new OnnxEmbeddingModel(descriptor, folder.resolve(ModelDescriptor.MODEL_FILE),
                folder.resolve(ModelDescriptor.TOKENIZER_FILE), workDir, threads, intraOpThreads, batchTexts);
    }

    private OnnxEmbeddingModel(ModelDescriptor descriptor, Path modelFile, Path tokenizerFile, Path workDir,
            int threads, int intraOpThreads, int batchTexts) {
        if (batchTexts < 1) {
            throw new IllegalArgumentException("batchTexts must be at least 1, was " + batchTexts);
        }
        this.descriptor = descriptor;
        this.modelFile = modelFile;
        this.tokenizerFile = tokenizerFile;
        try {
            Files.createDirectories(workDir);
            prepareNativeLibraries(workDir);
            environment = OrtEnvironment.getEnvironment();
        } catch (IOException e) {
            throw new EmbeddingModelException("cannot prepare the native libraries in " + workDir, e);
        }
        try {
            // no padding here: runs are padded to their longest text (the MiniLM tokenizer.json alone would pad
            // everything to 128)
            tokenizer = HuggingFaceTokenizer.newInstance(tokenizerFile, Map.of(
                    "padding", "false", "truncation", "true", "maxLength", String.valueOf(descriptor.maxTokens())));
        } catch (IOException | RuntimeException e) {
            throw new EmbeddingModelException("cannot load tokenizer " + tokenizerFile, e);
        }
        unknownToken = unknownToken(tokenizer);
        RunnableGraph graph;
        try {
            graph = runnableGraph(workDir, intraOpThreads);
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
        vectorsId = graph.vectorsId();
        session = graph.session();
        try {
            output = checkSignature(session);
        } catch (RuntimeException e) {
            closeQuietly();
            throw e;
        }
        helpers = helperPool(threads - 1);
        this.batchTexts = graph.fixedScales() && batchTexts > 1 && rowsIndependent(batchTexts) ? batchTexts : 1;
        dimension = embed(List.of("dimension probe"))[0].length;
    }

    /** The session the model runs, on the graph as shipped or with fixed activation scales. */
    private record RunnableGraph(OrtSession session, Path file, String vectorsId, boolean fixedScales) {
    }

    private RunnableGraph runnableGraph(Path workDir, int intraOpThreads) {
        String id = descriptor.id();
        // a graph fixed at an earlier start from the same model, calibration texts and runtime is used as it is:
        // observing the ranges again would give the same ones, for a second or more and memory malloc keeps
        String source = sourceKey();
        String prefix = id + "-fixed-scales-" + source + "-";
        Path earlier = earlierFixedGraph(workDir, prefix);
        if (earlier != null) {
            String name = earlier.getFileName().toString();
            String fingerprint = name.substring(prefix.length(), name.length() - ".onnx".length());
            return new RunnableGraph(openSession(earlier, intraOpThreads), earlier, id + "~" + fingerprint, true);
        }
        List<Quantisation> quantisations;
        byte[] model;
        try {
            model = Files.readAllBytes(modelFile);
            quantisations = FixedActivationScales.of(model);
        } catch (IOException | IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new EmbeddingModelException("cannot load " + modelFile + ": not a complete ONNX model", e);
        }
        if (quantisations.isEmpty()) {
            return new RunnableGraph(openSession(modelFile, intraOpThreads), modelFile, id, false);
        }
        Map<String, Range> ranges = observedRanges(model, quantisations, workDir, intraOpThreads);
        String fingerprint = FixedActivationScales.fingerprint(quantisations, ranges);
        Path fixed = workDir.resolve(prefix + fingerprint + ".onnx");
        try {
            writeAtomically(fixed, out -> FixedActivationScales.writeFixed(model, ranges, out));
        } catch (IOException e) {
            throw new EmbeddingModelException("cannot write " + fixed, e);
        }
        // the vectors differ from the shipped graph's: stored vectors and thresholds are kept under this id
        return new RunnableGraph(openSession(fixed, intraOpThreads), fixed, id + "~" + fingerprint, true);
    }

    /** What the fixed graph is made from: the model file, the calibration texts, ONNX Runtime and the rewrite. */
    private String sourceKey() {
        try (InputStream in = Files.newInputStream(modelFile)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int read = in.read(buffer); read > 0; read = in.read(buffer)) {
                digest.update(buffer, 0, read);
            }
            digest.update((ReferenceSentences.fingerprint() + "|" + environment.getVersion() + "|"
                    + FixedActivationScales.REWRITE_VERSION)
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest(), 0, 6);
        } catch (IOException e) {
            throw new EmbeddingModelException("cannot load " + modelFile + ": not readable", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static Path earlierFixedGraph(Path workDir, String prefix) {
        try (DirectoryStream<Path> found = Files.newDirectoryStream(workDir, prefix + "*.onnx")) {
            for (Path file : found) {
                return file;
            }
            return null;
        } catch (IOException e) {
            return null; // observed again
        }
    }

    private OrtSession openSession(Path file, int intraOpThreads) {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            // One intra-op thread per run by default: callers parallelise across runs, which was faster and
            // steadier than several threads inside one run on short texts.
            options.setIntraOpNumThreads(intraOpThreads);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            // Runs of many texts have shapes of every size; ONNX Runtime's arena would keep the largest blocks
            // they took for the process's life (RSS +250 MB at 32 texts a run), while a run of milliseconds does
            // not notice allocating its tensors from malloc (docs/performance.md, "Fixed activation scales").
            options.setCPUArenaAllocator(false);
            return environment.createSession(file.toString(), options);
        } catch (OrtException e) {
            throw new EmbeddingModelException("cannot load " + file + " with ONNX Runtime", e);
        }
    }

    /**
     * The widest range each quantisation takes over the calibration texts (the reference sentences, everyday
     * talk the service embeds anyway), each text alone in its run so that the result is the same at every start.
     */
    private Map<String, Range> observedRanges(byte[] model, List<Quantisation> quantisations, Path workDir,
            int intraOpThreads) {
        long started = System.nanoTime();
        Observed observed = new Observed(quantisations);
        Path observingFile = null;
        try {
            // a file of its own: a process starting beside this one on the same work directory observes its own
            observingFile = Files.createTempFile(workDir, descriptor.id() + "-observing-", ".onnx");
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(observingFile))) {
                FixedActivationScales.writeObserving(model, quantisations, out);
            }
            try (OrtSession observing = openSession(observingFile, intraOpThreads)) {
                checkSignature(observing);
                Set<String> outputs = new LinkedHashSet<>();
                quantisations.forEach(q -> {
                    outputs.add(q.scale());
                    outputs.add(q.zeroPoint());
                });
                for (String text : ReferenceSentences.texts()) {
                    Encoding encoding = encode(text);
                    Map<String, OnnxTensor> inputs = inputs(new Encoding[] {encoding}, new int[] {0},
                            encoding.getIds().length);
                    try (OrtSession.Result result = observing.run(inputs, outputs)) {
                        for (Quantisation q : quantisations) {
                            float scale = ((OnnxTensor) result.get(q.scale()).orElseThrow()).getFloatBuffer().get(0);
                            int zeroPoint = ((OnnxTensor) result.get(q.zeroPoint()).orElseThrow()).getByteBuffer()
                                    .get(0) & 0xFF;
                            observed.saw(q, scale, zeroPoint);
                        }
                    } finally {
                        inputs.values().forEach(OnnxTensor::close);
                    }
                }
            } finally {
                Files.deleteIfExists(observingFile);
            }
        } catch (IOException e) {
            throw new EmbeddingModelException("cannot write " + observingFile, e);
        } catch (OrtException e) {
            throw new EmbeddingModelException("cannot observe the activation ranges of " + modelFile, e);
        }
        log.info("{}: fixed activation scales of {} quantisations from {} calibration texts in {} ms", descriptor.id(),
                quantisations.size(), ReferenceSentences.texts().size(), (System.nanoTime() - started) / 1_000_000);
        return observed.ranges();
    }

    /**
     * Whether texts embedded together get exactly the vectors they get alone, checked on sample texts of many
     * lengths sharing padded runs. Holds by construction for fixed scales (integer products, row-wise float
     * operations); checked because it rests on how ONNX Runtime's kernels treat padding on this processor.
     */
    private boolean rowsIndependent(int batch) {
        List<String> sample = ReferenceSentences.texts().subList(0, Math.min(CHECKED_TEXTS,
                ReferenceSentences.texts().size()));
        float[][] alone = embedOpen(sample, 1);
        float[][] together = embedOpen(sample, Math.max(batch, sample.size()));
        for (int i = 0; i < sample.size(); i++) {
            if (!Arrays.equals(alone[i], together[i])) {
                log.warn("{}: a text's vector changed with the texts beside it in a run ('{}'); every text is "
                        + "embedded in its own run", vectorsId, sample.get(i));
                return false;
            }
        }
        log.info("{}: up to {} texts per run (a text's vector checked equal alone and in a run)", vectorsId, batch);
        return true;
    }

    /**
     * Reads the model's inputs and outputs: it must take input_ids (and may take attention_mask and token_type_ids,
     * nothing else) and give token vectors [batch, tokens, hidden].
     *
     * @return the name of the token-vector output
     */
    private String checkSignature(OrtSession session) {
        try {
            Map<String, NodeInfo> inputs = session.getInputInfo();
            for (Map.Entry<String, NodeInfo> input : inputs.entrySet()) {
                if (!FED_INPUTS.contains(input.getKey())) {
                    throw new EmbeddingModelException(modelFile + " needs input '" + input.getKey()
                            + "'; OpenTrackers feeds only " + FED_INPUTS + " (inputs of the model: "
                            + inputs.keySet() + ")", null);
                }
                OnnxJavaType type = input.getValue().getInfo() instanceof TensorInfo tensor ? tensor.type : null;
                if (type != OnnxJavaType.INT64 && type != OnnxJavaType.INT32) {
                    throw new EmbeddingModelException(modelFile + ": input '" + input.getKey()
                            + "' must be an int64 or int32 tensor, is " + input.getValue().getInfo(), null);
                }
                inputTypes.put(input.getKey(), type);
            }
            if (!inputs.containsKey(INPUT_IDS)) {
                throw new EmbeddingModelException(modelFile + " has no input '" + INPUT_IDS + "' (inputs: "
                        + inputs.keySet() + ")", null);
            }
            Map<String, NodeInfo> outputs = session.getOutputInfo();
            for (String preferred : TOKEN_OUTPUTS) {
                if (outputs.containsKey(preferred) && rank(outputs.get(preferred)) == 3) {
                    return preferred;
                }
            }
            return outputs.entrySet().stream().filter(o -> rank(o.getValue()) == 3).map(Map.Entry::getKey)
                    .findFirst().orElseThrow(() -> new EmbeddingModelException(modelFile
                            + " has no token-vector output [batch, tokens, hidden] (outputs: " + outputs + ")", null));
        } catch (OrtException e) {
            throw new EmbeddingModelException("cannot read the inputs and outputs of " + modelFile, e);
        }
    }

    private static int rank(NodeInfo info) {
        return info.getInfo() instanceof TensorInfo tensor ? tensor.getShape().length : -1;
    }

    /**
     * Helpers run at most {@code size} at once. A hand-over waits in a short queue while the helpers are busy (for
     * example finishing the previous call's last text); once its call is done a queued hand-over finds nothing left
     * and returns at once, and when the queue is full it is dropped: the caller never waits for a helper to start,
     * it embeds whatever no helper has taken. Daemon threads: an unclosed model (a test's) never keeps the JVM alive.
     */
    private static ThreadPoolExecutor helperPool(int size) {
        if (size < 1) {
            return null;
        }
        AtomicInteger number = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(size, size, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(2 * size), task -> {
                    Thread thread = new Thread(task, "embedding-helper-" + number.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.DiscardPolicy());
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    @Override
    public String id() {
        return vectorsId;
    }

    /** Texts one run holds at most: 1 when every text is embedded alone. */
    public int batchTexts() {
        return batchTexts;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    /** Pooling, prefix, token limit and calibration of the loaded model. */
    public ModelDescriptor descriptor() {
        return descriptor;
    }

    /** The ONNX file the model runs (for comparisons with other runtimes on the very same weights). */
    public Path modelFile() {
        return modelFile;
    }

    /** The tokenizer.json the model uses. */
    public Path tokenizerFile() {
        return tokenizerFile;
    }

    /** Who is told about each model run (the service's metrics). */
    void observeRuns(RunObserver observer) {
        runObserver = observer;
    }

    @Override
    public float[][] embed(List<String> texts) {
        // the whole call holds the read lock so that close() cannot free the native tokenizer or session under
        // it (that crashed the JVM when a context closed while the vocabulary warm-up was embedding); helpers
        // work only while their caller waits here
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new EmbeddingModelException("model " + id() + " is closed", null);
            }
            return embedOpen(texts, batchTexts);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private float[][] embedOpen(List<String> texts, int textsPerRun) {
        Encoding[] encodings = new Encoding[texts.size()];
        for (int i = 0; i < encodings.length; i++) {
            encodings[i] = encode(texts.get(i));
        }
        int[] lengths = new int[encodings.length];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = encodings[i].getIds().length;
        }
        List<int[]> runs = RunPlan.runs(lengths, textsPerRun, helpers == null ? 1 : helpers.getMaximumPoolSize() + 1);
        float[][] vectors = new float[texts.size()][];
        AtomicInteger next = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(runs.size());
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Runnable work = () -> {
            for (int r = next.getAndIncrement(); r < runs.size(); r = next.getAndIncrement()) {
                try {
                    if (failure.get() == null) {
                        run(encodings, runs.get(r), vectors);
                    }
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            }
        };
        if (helpers != null && runs.size() > 1) {
            for (int h = Math.min(helpers.getMaximumPoolSize(), runs.size() - 1); h > 0; h--) {
                helpers.execute(work);
            }
        }
        work.run();
        boolean interrupted = false;
        while (done.getCount() > 0) {
            try {
                done.await(); // a helper finishing its last run: milliseconds
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return vectors;
    }

    /**
     * The one token an unassigned code point (in no vocabulary) becomes: WordPiece's {@code [UNK]}. A tokenizer that
     * spells it in pieces (byte-level BPE, or SentencePiece's word mark and its unknown piece) is taken to have no
     * unknown token. (A private-use character would not do: BERT's normaliser drops it.)
     */
    private static String unknownToken(HuggingFaceTokenizer tokenizer) {
        Encoding probe = tokenizer.encode("\u0378");
        List<String> pieces = ownPieces(probe);
        return pieces.size() == 1 ? pieces.get(0) : null;
    }

    /** The tokens of an encoding that come from its text (not the [CLS], [SEP] the tokenizer adds). */
    private static List<String> ownPieces(Encoding encoding) {
        String[] tokens = encoding.getTokens();
        long[] special = encoding.getSpecialTokenMask();
        List<String> pieces = new ArrayList<>(tokens.length);
        for (int i = 0; i < tokens.length; i++) {
            if (special[i] == 0) {
                pieces.add(tokens[i]);
            }
        }
        return pieces;
    }

    @Override
    public boolean reads(String text) {
        if (unknownToken == null) {
            return true;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 128 && Character.isLetterOrDigit(c)) {
                return true; // every vocabulary with an unknown token has the ASCII letters and digits
            }
        }
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new EmbeddingModelException("model " + id() + " is closed", null);
            }
            return ownPieces(tokenizer.encode(text)).stream().anyMatch(piece -> !piece.equals(unknownToken));
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private Encoding encode(String text) {
        return tokenizer.encode(descriptor.prefix().isEmpty() ? text : descriptor.prefix() + text);
    }

    /** One model run over the texts {@code members}, padded to the longest; their vectors go to {@code vectors}. */
    private void run(Encoding[] encodings, int[] members, float[][] vectors) {
        int length = 0;
        for (int member : members) {
            length = Math.max(length, encodings[member].getIds().length);
        }
        Map<String, OnnxTensor> inputs = inputs(encodings, members, length);
        try {
            long started = System.nanoTime();
            try (OrtSession.Result result = session.run(inputs, Set.of(output))) {
                runObserver.ran(members.length, length, System.nanoTime() - started);
                OnnxTensor hidden = (OnnxTensor) result.get(0);
                int size = (int) hidden.getInfo().getShape()[2];
                FloatBuffer tokens = hidden.getFloatBuffer();
                for (int row = 0; row < members.length; row++) {
                    Encoding encoding = encodings[members[row]];
                    vectors[members[row]] = normalise(pool(tokens, row * length * size, size,
                            encoding.getAttentionMask()));
                }
            }
        } catch (OrtException e) {
            throw new EmbeddingModelException("model " + id() + " failed on " + members.length + " texts of up to "
                    + length + " tokens", e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    /** The run's input tensors {@code [texts, length]}: each text's tokens, then padding (mask 0). */
    private Map<String, OnnxTensor> inputs(Encoding[] encodings, int[] members, int length) {
        Map<String, OnnxTensor> inputs = new HashMap<>();
        long[] shape = {members.length, length};
        try {
            for (Map.Entry<String, OnnxJavaType> input : inputTypes.entrySet()) {
                long[] values = new long[members.length * length];
                if (!input.getKey().equals(TOKEN_TYPE_IDS)) { // token_type_ids: one segment, all zeros
                    for (int row = 0; row < members.length; row++) {
                        Encoding encoding = encodings[members[row]];
                        long[] tokens = input.getKey().equals(INPUT_IDS) ? encoding.getIds()
                                : encoding.getAttentionMask();
                        System.arraycopy(tokens, 0, values, row * length, tokens.length);
                    }
                }
                inputs.put(input.getKey(), tensor(values, shape, input.getValue()));
            }
            return inputs;
        } catch (OrtException e) {
            inputs.values().forEach(OnnxTensor::close);
            throw new EmbeddingModelException("model " + id() + ": cannot build input tensors", e);
        }
    }

    private OnnxTensor tensor(long[] values, long[] shape, OnnxJavaType type) throws OrtException {
        if (type == OnnxJavaType.INT32) {
            int[] ints = new int[values.length];
            for (int i = 0; i < values.length; i++) {
                ints[i] = (int) values[i];
            }
            return OnnxTensor.createTensor(environment, java.nio.IntBuffer.wrap(ints), shape);
        }
        return OnnxTensor.createTensor(environment, java.nio.LongBuffer.wrap(values), shape);
    }

    /** The sentence vector of one text from its row of token vectors, starting at {@code offset} (row-major). */
    private float[] pool(FloatBuffer tokens, int offset, int hidden, long[] mask) {
        float[] vector = new float[hidden];
        if (descriptor.pooling() == Pooling.CLS) {
            tokens.get(offset, vector);
            return vector;
        }
        int count = 0;
        for (int t = 0; t < mask.length; t++) {
            if (mask[t] == 0) {
                continue;
            }
            count++;
            for (int d = 0; d < hidden; d++) {
                vector[d] += tokens.get(offset + t * hidden + d);
            }
        }
        for (int d = 0; d < hidden; d++) {
            vector[d] /= Math.max(1, count);
        }
        return vector;
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

    /** Writes through a temporary file, so that a process starting beside this one never reads half a file. */
    private static void writeAtomically(Path target, ModelWriter writer) throws IOException {
        Path partial = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(partial))) {
            writer.writeTo(out);
        }
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @FunctionalInterface
    private interface ModelWriter {
        void writeTo(OutputStream out) throws IOException;
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
            if (closed) {
                return;
            }
            closed = true;
            if (helpers != null) {
                helpers.shutdown();
            }
            tokenizer.close();
            session.close();
        } catch (OrtException e) {
            throw new EmbeddingModelException("could not release model " + id(), e);
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    private void closeQuietly() {
        try {
            session.close();
        } catch (OrtException | RuntimeException e) {
            // the load failed already; that failure is the one reported
        }
    }
}

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
import io.opentrackers.embedding.ModelDescriptor.Pooling;
import io.opentrackers.matching.EmbeddingModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
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

/**
 * Runs a BERT-style sentence encoder in-process: Hugging Face tokenizer (DJL bindings) + ONNX Runtime session +
 * explicit pooling and L2 normalisation. Thread-safe: the session and the tokenizer are shared by callers.
 *
 * <p><b>Every text is its own model run.</b> The int8 models quantise activations per run (DynamicQuantizeLinear
 * over the whole input), so a text embedded beside others got a slightly different vector than alone, and a
 * message's scores depended on what shared its request. Alone in its run, a text gets the same vector bit for bit
 * whatever else is embedded and after a restart; no padding is computed either. What this costs against padded
 * batches, and why it was chosen over fp32 weights, is measured in docs/performance.md ("Determinism").
 *
 * <p><b>Both cores on one call.</b> The texts of one call are embedded by the calling thread and, when they are
 * free, by a small pool shared by all callers ({@code threads - 1} helpers, one intra-op thread each): a job's
 * batch uses both cores, while a busy pool never makes a caller wait (it then embeds its texts alone).
 */
public final class OnnxEmbeddingModel implements EmbeddingModel, AutoCloseable {

    private static final String INPUT_IDS = "input_ids";
    private static final String ATTENTION_MASK = "attention_mask";
    private static final String TOKEN_TYPE_IDS = "token_type_ids";
    private static final Set<String> FED_INPUTS = Set.of(INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS);
    /** Token-vector outputs by the names Hugging Face exporters give them, in order of preference. */
    private static final List<String> TOKEN_OUTPUTS = List.of("last_hidden_state", "token_embeddings");

    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    private final ModelDescriptor descriptor;
    private final Path modelFile;
    private final Path tokenizerFile;
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final Map<String, OnnxJavaType> inputTypes = new HashMap<>();
    private final String output;
    private final ThreadPoolExecutor helpers;
    private final int dimension;
    private volatile RunObserver runObserver = RunObserver.NONE;

    /**
     * A model shipped in a jar.
     *
     * @param workDir        writable directory for the model file and the native libraries (reused across starts)
     * @param threads        threads that may embed the texts of one call (the caller and {@code threads - 1}
     *                       shared helpers)
     * @param intraOpThreads threads ONNX Runtime may use inside one run
     */
    public static OnnxEmbeddingModel builtIn(ModelSpec spec, Path workDir, int threads, int intraOpThreads) {
        try {
            Files.createDirectories(workDir);
            // Loading from a file path keeps the weights out of the Java heap (a byte[] copy costs ~180 MiB more).
            Path modelFile = copyResource(spec.modelResource(), workDir.resolve(spec.id() + ".onnx"));
            Path tokenizerFile = copyResource(spec.tokenizerResource(), workDir.resolve(spec.id() + "-tokenizer.json"));
            return new OnnxEmbeddingModel(spec.descriptor(), modelFile, tokenizerFile, workDir, threads,
                    intraOpThreads);
        } catch (IOException e) {
            throw new EmbeddingModelException("cannot prepare model " + spec.id() + " in " + workDir, e);
        }
    }

    /** A model folder: {@code model.onnx}, {@code tokenizer.json} and the descriptor ({@link ModelDescriptor}). */
    public static OnnxEmbeddingModel fromFolder(Path folder, Path workDir, int threads, int intraOpThreads) {
        ModelDescriptor descriptor = ModelDescriptor.readFolder(folder);
        return new OnnxEmbeddingModel(descriptor, folder.resolve(ModelDescriptor.MODEL_FILE),
                folder.resolve(ModelDescriptor.TOKENIZER_FILE), workDir, threads, intraOpThreads);
    }

    private OnnxEmbeddingModel(ModelDescriptor descriptor, Path modelFile, Path tokenizerFile, Path workDir,
            int threads, int intraOpThreads) {
        this.descriptor = descriptor;
        this.modelFile = modelFile;
        this.tokenizerFile = tokenizerFile;
        try {
            Files.createDirectories(workDir);
            prepareNativeLibraries(workDir);
            environment = OrtEnvironment.getEnvironment();
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                // One intra-op thread per run by default: callers parallelise across runs, which was faster and
                // steadier than several threads inside one run on short texts.
                options.setIntraOpNumThreads(intraOpThreads);
                options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                session = environment.createSession(modelFile.toString(), options);
            }
        } catch (IOException e) {
            throw new EmbeddingModelException("cannot prepare the native libraries in " + workDir, e);
        } catch (OrtException e) {
            throw new EmbeddingModelException("cannot load " + modelFile + " with ONNX Runtime", e);
        }
        try {
            output = checkSignature(modelFile);
            // no padding: each text is its own run (the MiniLM tokenizer.json alone would pad everything to 128)
            tokenizer = HuggingFaceTokenizer.newInstance(tokenizerFile, Map.of(
                    "padding", "false", "truncation", "true", "maxLength", String.valueOf(descriptor.maxTokens())));
        } catch (IOException | RuntimeException e) {
            closeQuietly();
            throw e instanceof EmbeddingModelException model ? model
                    : new EmbeddingModelException("cannot load tokenizer " + tokenizerFile, e);
        }
        helpers = helperPool(threads - 1);
        dimension = embed(List.of("dimension probe"))[0].length;
    }

    /**
     * Reads the model's inputs and outputs: it must take input_ids (and may take attention_mask and token_type_ids,
     * nothing else) and give token vectors [batch, tokens, hidden].
     *
     * @return the name of the token-vector output
     */
    private String checkSignature(Path modelFile) {
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
        return descriptor.id();
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
            return embedOpen(texts);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private float[][] embedOpen(List<String> texts) {
        float[][] vectors = new float[texts.size()][];
        AtomicInteger next = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(texts.size());
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Runnable work = () -> {
            for (int i = next.getAndIncrement(); i < texts.size(); i = next.getAndIncrement()) {
                try {
                    if (failure.get() == null) {
                        vectors[i] = embedOne(texts.get(i));
                    }
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            }
        };
        if (helpers != null && texts.size() > 1) {
            for (int h = Math.min(helpers.getMaximumPoolSize(), texts.size() - 1); h > 0; h--) {
                helpers.execute(work);
            }
        }
        work.run();
        boolean interrupted = false;
        while (done.getCount() > 0) {
            try {
                done.await(); // a helper finishing its last text: milliseconds
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

    /** One text, one run: the same text always gets the same vector. */
    private float[] embedOne(String text) {
        Encoding encoding = tokenizer.encode(descriptor.prefix().isEmpty() ? text : descriptor.prefix() + text);
        long[] ids = encoding.getIds();
        long[] mask = encoding.getAttentionMask();
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            for (Map.Entry<String, OnnxJavaType> input : inputTypes.entrySet()) {
                long[] values = switch (input.getKey()) {
                    case INPUT_IDS -> ids;
                    case ATTENTION_MASK -> mask;
                    default -> new long[ids.length]; // token_type_ids: one segment
                };
                inputs.put(input.getKey(), tensor(values, input.getValue()));
            }
            long started = System.nanoTime();
            try (OrtSession.Result result = session.run(inputs, Set.of(output))) {
                runObserver.ran(1, ids.length, System.nanoTime() - started);
                OnnxTensor hidden = (OnnxTensor) result.get(0);
                long[] shape = hidden.getInfo().getShape();
                return normalise(pool(hidden.getFloatBuffer(), (int) shape[1], (int) shape[2], mask));
            }
        } catch (OrtException e) {
            throw new EmbeddingModelException("model " + id() + " failed on a text of " + ids.length + " tokens", e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private OnnxTensor tensor(long[] values, OnnxJavaType type) throws OrtException {
        long[] shape = {1, values.length};
        if (type == OnnxJavaType.INT32) {
            int[] ints = new int[values.length];
            for (int i = 0; i < values.length; i++) {
                ints[i] = (int) values[i];
            }
            return OnnxTensor.createTensor(environment, java.nio.IntBuffer.wrap(ints), shape);
        }
        return OnnxTensor.createTensor(environment, java.nio.LongBuffer.wrap(values), shape);
    }

    /** The sentence vector of one text's token vectors {@code [tokens, hidden]} (row-major). */
    private float[] pool(FloatBuffer tokens, int length, int hidden, long[] mask) {
        float[] vector = new float[hidden];
        if (descriptor.pooling() == Pooling.CLS) {
            tokens.get(0, vector);
            return vector;
        }
        int count = 0;
        for (int t = 0; t < length; t++) {
            if (mask[t] == 0) {
                continue;
            }
            count++;
            for (int d = 0; d < hidden; d++) {
                vector[d] += tokens.get(t * hidden + d);
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

package io.opentrackers.embedding;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.opentrackers.matching.SharedMatrices;
import io.opentrackers.matching.SimilarityKernel;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores spans against a vocabulary with ONNX Runtime's matrix product (MLAS: packed panels, FMA-vectorised).
 * Against 500 trackers × 50 phrases it is an order of magnitude faster than the portable Java kernel, which the
 * JIT cannot register-block (figures in docs/performance.md).
 *
 * <p>Each prepared matrix is its own tiny session ({@link MatMulGraph}) holding the vocabulary as a constant, so
 * ONNX Runtime packs it once when the session is created. Passing the vocabulary as an input instead re-packs
 * 39 MB on every call, which cost more than the product itself for blocks of fewer than 16 spans.
 *
 * <p>Vocabularies under {@code minRows} rows stay on the portable kernel. The service's default is 1: even a
 * tracker of five phrases scored one span at a time was faster natively, and a session costs 1–4 ms to create
 * (docs/performance.md). The reference sentences every index scores are one shared matrix per kernel
 * ({@link #prepareShared}), so an index's session holds only its own phrases and centroids.
 */
public final class OnnxSimilarityKernel implements SimilarityKernel {

    private static final Logger log = LoggerFactory.getLogger(OnnxSimilarityKernel.class);
    /** Closes the session of a prepared matrix nobody released explicitly once it is unreachable. */
    private static final Cleaner CLEANER = Cleaner.create();

    /** The service's default {@code trackers.embedding.native-kernel-min-rows}. */
    public static final int DEFAULT_MIN_ROWS = 1;

    private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
    private final int minRows;
    private final SharedMatrices shared = new SharedMatrices();

    public OnnxSimilarityKernel(int minRows) {
        this.minRows = minRows;
    }

    /** The kernel the service uses by default, for the offline commands to match as the service does. */
    public static OnnxSimilarityKernel serviceDefault() {
        return ServiceDefault.KERNEL;
    }

    /** One instance, so that the offline commands' indexes share one matrix of the reference sentences. */
    private static final class ServiceDefault {
        static final OnnxSimilarityKernel KERNEL = new OnnxSimilarityKernel(DEFAULT_MIN_ROWS);
    }

    @Override
    public PreparedMatrix prepare(float[][] rows, int dimension) {
        if (rows.length < minRows) {
            return SimilarityKernel.portable().prepare(rows, dimension);
        }
        return prepareForRepeatedProducts(rows, dimension);
    }

    @Override
    public PreparedMatrix prepareShared(float[][] rows, int dimension) {
        return shared.of(rows, r -> prepare(r, dimension));
    }

    @Override
    public PreparedMatrix prepareForRepeatedProducts(float[][] rows, int dimension) {
        if (rows.length == 0 || dimension == 0) {
            return SimilarityKernel.portable().prepare(rows, dimension);
        }
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            // one thread per call, like the embedding model: callers parallelise across calls
            options.setIntraOpNumThreads(1);
            OrtSession session = environment.createSession(MatMulGraph.model(rows, dimension), options);
            return new Native(session, rows, dimension);
        } catch (OrtException e) {
            log.warn("ONNX Runtime could not prepare a {} x {} vocabulary; scoring it in Java", rows.length,
                    dimension, e);
            return SimilarityKernel.portable().prepare(rows, dimension);
        }
    }

    /** The session, closed at most once: by {@link Native#release()} or by the cleaner. */
    private static final class SessionHolder implements Runnable {
        private OrtSession session;

        SessionHolder(OrtSession session) {
            this.session = session;
        }

        synchronized OrtSession session() {
            return session;
        }

        @Override
        public synchronized void run() {
            if (session != null) {
                try {
                    session.close();
                } catch (OrtException e) {
                    log.warn("could not close a vocabulary session", e);
                }
                session = null;
            }
        }
    }

    private final class Native implements PreparedMatrix {
        /** Calls hold the read lock so that release() never frees the session under a running product. */
        private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
        private final SessionHolder holder;
        private final float[][] rows;
        private final int dimension;
        /** Built on first use after release(); the rows are shared with the index, so keeping them costs nothing. */
        private volatile PreparedMatrix portable;

        Native(OrtSession session, float[][] rows, int dimension) {
            this.holder = new SessionHolder(session);
            this.rows = rows;
            this.dimension = dimension;
            CLEANER.register(this, holder);
        }

        @Override
        public void multiply(float[][] spans, float[][] out) {
            if (spans.length == 0) {
                return;
            }
            lifecycle.readLock().lock();
            try {
                OrtSession session = holder.session();
                if (session != null) {
                    multiply(session, spans, out);
                    return;
                }
            } finally {
                lifecycle.readLock().unlock();
            }
            portable().multiply(spans, out);
        }

        private void multiply(OrtSession session, float[][] spans, float[][] out) {
            FloatBuffer input = ByteBuffer.allocateDirect(4 * spans.length * dimension)
                    .order(ByteOrder.nativeOrder()).asFloatBuffer();
            for (float[] span : spans) {
                input.put(span, 0, dimension);
            }
            input.rewind();
            try (OnnxTensor tensor = OnnxTensor.createTensor(environment, input, new long[] {spans.length, dimension});
                    OrtSession.Result result = session.run(Map.of(MatMulGraph.INPUT, tensor))) {
                FloatBuffer similarities = ((OnnxTensor) result.get(0)).getFloatBuffer();
                for (int s = 0; s < spans.length; s++) {
                    similarities.get(s * rows.length, out[s], 0, rows.length);
                }
            } catch (OrtException e) {
                throw new EmbeddingModelException("vocabulary product failed for " + spans.length + " spans", e);
            }
        }

        private PreparedMatrix portable() {
            PreparedMatrix current = portable;
            if (current == null) {
                synchronized (this) {
                    if (portable == null) {
                        portable = SimilarityKernel.portable().prepare(rows, dimension);
                    }
                    current = portable;
                }
            }
            return current;
        }

        @Override
        public void release() {
            lifecycle.writeLock().lock();
            try {
                holder.run();
            } finally {
                lifecycle.writeLock().unlock();
            }
        }
    }
}

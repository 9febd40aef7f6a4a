package io.opentrackers.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.opentrackers.embedding.FixedActivationScales.Quantisation;
import io.opentrackers.embedding.FixedActivationScales.Range;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rewrite of the shipped int8 graph, read back with the same protobuf reader. */
class FixedActivationScalesTest {

    private static byte[] shippedBge() throws IOException {
        try (InputStream in = FixedActivationScalesTest.class.getResourceAsStream("/bge-small-en-v1.5-q.onnx")) {
            return in.readAllBytes();
        }
    }

    private static long nodes(byte[] model) {
        Protobuf.Field graph = Protobuf.fields(model, 0, model.length).stream().filter(f -> f.number() == 7)
                .findFirst().orElseThrow();
        return graph.fields().stream().filter(f -> f.number() == 1).count();
    }

    private static long nodesOfType(byte[] model, String opType) {
        Protobuf.Field graph = Protobuf.fields(model, 0, model.length).stream().filter(f -> f.number() == 7)
                .findFirst().orElseThrow();
        return graph.fields().stream().filter(f -> f.number() == 1)
                .filter(node -> node.fields().stream().anyMatch(f -> f.number() == 4 && f.string().equals(opType)))
                .count();
    }

    @Test
    void theShippedGraphQuantisesActivationsPerRunAndTheRewriteFixesEveryOne() throws IOException {
        byte[] model = shippedBge();
        List<Quantisation> quantisations = FixedActivationScales.of(model);
        // 12 layers, each quantising the inputs of its attention projections, its output projection and its two
        // feed-forward products
        assertThat(quantisations).hasSize(48);
        assertThat(nodesOfType(model, "DynamicQuantizeLinear")).isEqualTo(48);
        Map<String, Range> ranges = new HashMap<>();
        quantisations.forEach(q -> ranges.put(q.values(), new Range(-1, 3)));

        ByteArrayOutputStream fixed = new ByteArrayOutputStream();
        FixedActivationScales.writeFixed(model, ranges, fixed);
        byte[] rewritten = fixed.toByteArray();

        assertThat(FixedActivationScales.of(rewritten)).isEmpty();
        assertThat(nodesOfType(rewritten, "DynamicQuantizeLinear")).isZero();
        assertThat(nodesOfType(rewritten, "QuantizeLinear")).isEqualTo(48);
        // every integer product with its Cast and Mul fused into ONNX Runtime's kernel
        assertThat(nodesOfType(model, "MatMulInteger")).isEqualTo(72);
        assertThat(nodesOfType(rewritten, "MatMulInteger")).isZero();
        assertThat(nodesOfType(rewritten, "MatMulIntegerToFloat")).isEqualTo(72);
        assertThat(nodesOfType(rewritten, "Cast")).isEqualTo(nodesOfType(model, "Cast") - 72);

        ByteArrayOutputStream unfused = new ByteArrayOutputStream();
        FixedActivationScales.writeFixed(model, ranges, false, unfused);
        assertThat(nodes(unfused.toByteArray())).isEqualTo(nodes(model)); // one node for one: every other node kept
        assertThat(nodesOfType(unfused.toByteArray(), "MatMulInteger")).isEqualTo(72);
    }

    @Test
    void observingAddsEachScaleAndZeroPointToTheOutputs() throws IOException {
        byte[] model = shippedBge();
        List<Quantisation> quantisations = FixedActivationScales.of(model);
        ByteArrayOutputStream observing = new ByteArrayOutputStream();
        FixedActivationScales.writeObserving(model, quantisations, observing);
        byte[] rewritten = observing.toByteArray();

        Protobuf.Field graph = Protobuf.fields(rewritten, 0, rewritten.length).stream().filter(f -> f.number() == 7)
                .findFirst().orElseThrow();
        List<String> outputs = graph.fields().stream().filter(f -> f.number() == 12)
                .map(output -> output.fields().stream().filter(f -> f.number() == 1).findFirst().orElseThrow()
                        .string())
                .toList();
        assertThat(outputs).contains(quantisations.get(0).scale(), quantisations.get(0).zeroPoint(),
                quantisations.get(47).scale(), quantisations.get(47).zeroPoint());
        assertThat(outputs).hasSize(1 + 2 * 48); // the token vectors, then the 96 observed values
        assertThat(FixedActivationScales.of(rewritten)).isEqualTo(quantisations);
    }

    @Test
    void aRangeGivesDynamicQuantizeLinearsOwnScaleAndZeroPoint() {
        // DynamicQuantizeLinear on values from -1 to 3: scale (3 - (-1)) / 255, zero point round(1 / scale) = 64
        Range range = new Range(-1, 3);
        assertThat(range.scale()).isEqualTo(4f / 255);
        assertThat(range.zeroPoint()).isEqualTo(64);
        // what a run reports (scale, zero point) reads back as the range it covered
        Range read = Range.of(4f / 255, 64);
        assertThat(read.low()).isCloseTo(-1.004f, within(0.001f));
        assertThat(read.high()).isCloseTo(2.996f, within(0.001f));
        assertThat(new Range(-1, 2).widen(new Range(-0.5f, 3))).isEqualTo(new Range(-1, 3));
        // only positive values seen: the range still includes zero, whose zero point is 0
        assertThat(Range.ZERO.widen(Range.of(2f / 255, 0)).zeroPoint()).isZero();
        assertThat(Range.ZERO.scale()).isEqualTo(1f); // a node that only saw zeros still has a valid scale
    }

    @Test
    void theFingerprintChangesWithAnyRange() throws IOException {
        List<Quantisation> quantisations = FixedActivationScales.of(shippedBge());
        Map<String, Range> ranges = new HashMap<>();
        quantisations.forEach(q -> ranges.put(q.values(), new Range(-1, 3)));
        String before = FixedActivationScales.fingerprint(quantisations, ranges);
        assertThat(FixedActivationScales.fingerprint(quantisations, ranges)).isEqualTo(before).hasSize(8);
        ranges.put(quantisations.get(20).values(), new Range(-1, 3.5f));
        assertThat(FixedActivationScales.fingerprint(quantisations, ranges)).isNotEqualTo(before);
    }

    @Test
    void theFusedKernelGivesTheUnfusedChainsVectorsBitForBit() throws Exception {
        byte[] model = shippedBge();
        Map<String, Range> ranges = new HashMap<>();
        FixedActivationScales.of(model).forEach(q -> ranges.put(q.values(), new Range(-4, 6)));
        ByteArrayOutputStream fused = new ByteArrayOutputStream();
        ByteArrayOutputStream unfused = new ByteArrayOutputStream();
        FixedActivationScales.writeFixed(model, ranges, true, fused);
        FixedActivationScales.writeFixed(model, ranges, false, unfused);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession one = env.createSession(fused.toByteArray());
                OrtSession other = env.createSession(unfused.toByteArray())) {
            // [CLS] "i ran out of budget" [SEP]; then a run of two texts, the first padded
            long[][] ids = {{101, 1045, 2743, 2041, 1997, 5166, 102},
                    {101, 7592, 102, 0, 0, 101, 2054, 2003, 1996, 102}};
            long[][] masks = {{1, 1, 1, 1, 1, 1, 1}, {1, 1, 1, 0, 0, 1, 1, 1, 1, 1}};
            long[][] shapes = {{1, 7}, {2, 5}};
            for (int r = 0; r < ids.length; r++) {
                float[] a = hidden(one, env, ids[r], masks[r], shapes[r]);
                float[] b = hidden(other, env, ids[r], masks[r], shapes[r]);
                assertThat(a).hasSize(b.length).isEqualTo(b);
            }
        }
    }

    private static float[] hidden(OrtSession session, OrtEnvironment env, long[] ids, long[] mask, long[] shape)
            throws Exception {
        try (OnnxTensor input = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
                OnnxTensor attention = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
                OnnxTensor types = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[ids.length]), shape);
                OrtSession.Result result = session.run(Map.of("input_ids", input, "attention_mask", attention,
                        "token_type_ids", types))) {
            FloatBuffer values = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] all = new float[values.remaining()];
            values.get(all);
            return all;
        }
    }
}

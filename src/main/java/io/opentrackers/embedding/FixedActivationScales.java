package io.opentrackers.embedding;

import io.opentrackers.embedding.Protobuf.Field;
import io.opentrackers.embedding.Protobuf.Writer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Gives an int8 graph's activations fixed quantisation scales, so that texts can share a model run without changing
 * each other's vectors.
 *
 * <p>The int8 models quantise each activation tensor with {@code DynamicQuantizeLinear}: one scale and zero point
 * from the smallest and largest value of the whole tensor, so in a run of several texts every text's numbers depend
 * on the others (and on the padding). Here each such node becomes a {@code QuantizeLinear} with a constant scale and
 * zero point, computed by {@code DynamicQuantizeLinear}'s own formula from the widest range the node saw over a fixed
 * set of calibration texts, each embedded alone. The integer matrix products that follow are exact, and the float
 * operations between them work row by row, so a text's vector no longer depends on what shares its run; the model
 * checks that at load time ({@link OnnxEmbeddingModel}). What this costs in vector quality and what it gains in
 * speed is measured in docs/performance.md ("Fixed activation scales").
 *
 * <p>Field numbers from onnx.proto: ModelProto graph = 7; GraphProto node = 1, initializer = 5, output = 12;
 * NodeProto input = 1, output = 2, name = 3, op_type = 4, domain = 7; TensorProto data_type = 2, name = 8,
 * raw_data = 9; ValueInfoProto name = 1, type = 2; TypeProto tensor_type = 1; TypeProto.Tensor elem_type = 1,
 * shape = 2.
 */
final class FixedActivationScales {

    private static final String DYNAMIC = "DynamicQuantizeLinear";
    private static final String FIXED = "QuantizeLinear";
    private static final int MODEL_GRAPH = 7;
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int GRAPH_OUTPUT = 12;
    private static final int NODE_INPUT = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_NAME = 3;
    private static final int NODE_OP_TYPE = 4;
    private static final int NODE_DOMAIN = 7;
    private static final int FLOAT = 1;
    private static final int UINT8 = 2;
    private static final int QUANTISED_LEVELS = 255;

    private FixedActivationScales() {
    }

    /** One {@code DynamicQuantizeLinear} node: what it reads and its three outputs. */
    record Quantisation(String name, String input, String values, String scale, String zeroPoint) {
    }

    /**
     * The range a quantisation covers, {@code low <= 0 <= high} as in {@code DynamicQuantizeLinear}.
     */
    record Range(float low, float high) {

        static final Range ZERO = new Range(0, 0);

        /** The range one run used, read back from its scale and zero point. */
        static Range of(float scale, int zeroPoint) {
            return new Range(-zeroPoint * scale, (QUANTISED_LEVELS - zeroPoint) * scale);
        }

        Range widen(Range other) {
            return new Range(Math.min(low, other.low), Math.max(high, other.high));
        }

        /** {@code DynamicQuantizeLinear}'s scale for this range. */
        float scale() {
            float scale = (high - low) / QUANTISED_LEVELS;
            return scale == 0 ? 1 : scale; // a node that only ever saw zeros
        }

        /** {@code DynamicQuantizeLinear}'s zero point for this range: round half to even, saturated. */
        int zeroPoint() {
            return (int) Math.max(0, Math.min(QUANTISED_LEVELS, Math.rint(-low / scale())));
        }
    }

    /** The graph's per-run activation quantisations in graph order; none in a float graph. */
    static List<Quantisation> of(byte[] model) {
        List<Quantisation> found = new ArrayList<>();
        for (Field field : graph(model).fields()) {
            if (field.number() == GRAPH_NODE && isDynamic(field)) {
                found.add(quantisation(field));
            }
        }
        return found;
    }

    /** Writes the model with each quantisation's scale and zero point added to its outputs, to observe them. */
    static void writeObserving(byte[] model, List<Quantisation> quantisations, OutputStream out) throws IOException {
        writeWithGraph(model, graph -> {
            List<Part> parts = new ArrayList<>();
            graph.fields().forEach(field -> parts.add(Part.of(field)));
            for (Quantisation quantisation : quantisations) {
                parts.add(Part.of(new Writer().message(GRAPH_OUTPUT, scalarOutput(quantisation.scale(), FLOAT))));
                parts.add(Part.of(new Writer().message(GRAPH_OUTPUT,
                        scalarOutput(quantisation.zeroPoint(), UINT8))));
            }
            return parts;
        }, out);
    }

    /**
     * Writes the model with every quantisation's range fixed.
     *
     * @param ranges by {@link Quantisation#values()}; every quantisation of the graph must have one
     */
    static void writeFixed(byte[] model, Map<String, Range> ranges, OutputStream out) throws IOException {
        writeWithGraph(model, graph -> {
            List<Part> parts = new ArrayList<>();
            List<Part> constants = new ArrayList<>();
            for (Field field : graph.fields()) {
                if (field.number() != GRAPH_NODE || !isDynamic(field)) {
                    parts.add(Part.of(field));
                    continue;
                }
                Quantisation quantisation = quantisation(field);
                Range range = ranges.get(quantisation.values());
                if (range == null) {
                    throw new IllegalArgumentException("no range for " + quantisation);
                }
                Writer node = new Writer().string(NODE_INPUT, quantisation.input())
                        .string(NODE_INPUT, quantisation.scale()).string(NODE_INPUT, quantisation.zeroPoint())
                        .string(NODE_OUTPUT, quantisation.values()).string(NODE_NAME, quantisation.name() + "_fixed")
                        .string(NODE_OP_TYPE, FIXED);
                parts.add(Part.of(new Writer().message(GRAPH_NODE, node)));
                // the scale and zero point keep their names, now constants instead of the node's outputs
                byte[] scale = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(range.scale()).array();
                constants.add(Part.of(new Writer().message(GRAPH_INITIALIZER,
                        scalarTensor(quantisation.scale(), FLOAT, scale))));
                constants.add(Part.of(new Writer().message(GRAPH_INITIALIZER,
                        scalarTensor(quantisation.zeroPoint(), UINT8, new byte[] {(byte) range.zeroPoint()}))));
            }
            parts.addAll(constants);
            return parts;
        }, out);
    }

    /** A short hash of the ranges: the identity of the vectors the fixed graph gives. */
    static String fingerprint(List<Quantisation> quantisations, Map<String, Range> ranges) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            ByteBuffer buffer = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            for (Quantisation quantisation : quantisations) {
                Range range = ranges.get(quantisation.values());
                digest.update(quantisation.values().getBytes(StandardCharsets.UTF_8));
                digest.update(buffer.clear().putFloat(range.scale()).putInt(range.zeroPoint()).array());
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** Ranges in graph order, widened as runs are observed. */
    static final class Observed {
        private final Map<String, Range> ranges = new LinkedHashMap<>();

        Observed(List<Quantisation> quantisations) {
            quantisations.forEach(quantisation -> ranges.put(quantisation.values(), Range.ZERO));
        }

        void saw(Quantisation quantisation, float scale, int zeroPoint) {
            ranges.merge(quantisation.values(), Range.of(scale, zeroPoint), Range::widen);
        }

        Map<String, Range> ranges() {
            return Map.copyOf(ranges);
        }
    }

    private static boolean isDynamic(Field node) {
        String opType = null;
        String domain = "";
        for (Field field : node.fields()) {
            if (field.number() == NODE_OP_TYPE) {
                opType = field.string();
            } else if (field.number() == NODE_DOMAIN) {
                domain = field.string();
            }
        }
        return DYNAMIC.equals(opType) && (domain.isEmpty() || domain.equals("ai.onnx"));
    }

    private static Quantisation quantisation(Field node) {
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        String name = "";
        for (Field field : node.fields()) {
            switch (field.number()) {
                case NODE_INPUT -> inputs.add(field.string());
                case NODE_OUTPUT -> outputs.add(field.string());
                case NODE_NAME -> name = field.string();
                default -> {
                }
            }
        }
        if (inputs.size() != 1 || outputs.size() != 3) {
            throw new IllegalArgumentException(DYNAMIC + " node '" + name + "' has " + inputs.size() + " inputs and "
                    + outputs.size() + " outputs, expected 1 and 3");
        }
        return new Quantisation(name.isEmpty() ? outputs.get(0) : name, inputs.get(0), outputs.get(0),
                outputs.get(1), outputs.get(2));
    }

    private static Writer scalarOutput(String name, int elementType) {
        Writer tensor = new Writer().varint(1, elementType).message(2, new Writer()); // shape [] : a scalar
        return new Writer().string(1, name).message(2, new Writer().message(1, tensor));
    }

    private static Writer scalarTensor(String name, int dataType, byte[] raw) {
        return new Writer().varint(2, dataType).string(8, name).bytes(9, raw);
    }

    private static Field graph(byte[] model) {
        return Protobuf.fields(model, 0, model.length).stream()
                .filter(field -> field.number() == MODEL_GRAPH && field.wireType() == Protobuf.LENGTH_DELIMITED)
                .findFirst().orElseThrow(() -> new IllegalArgumentException("not an ONNX model: no graph"));
    }

    /** A run of bytes of the new model: a field of the original, or a new one. */
    private record Part(byte[] bytes, int from, int to) {
        static Part of(Field field) {
            return new Part(field.bytes(), field.start(), field.end());
        }

        static Part of(Writer writer) {
            byte[] bytes = writer.toByteArray();
            return new Part(bytes, 0, bytes.length);
        }
    }

    /**
     * Writes the model with its graph made of {@code graphParts}' parts: streamed to {@code out}, so that no second
     * copy of the weights is held in memory.
     */
    private static void writeWithGraph(byte[] model, Function<Field, List<Part>> graphParts, OutputStream out)
            throws IOException {
        for (Field field : Protobuf.fields(model, 0, model.length)) {
            if (field.number() != MODEL_GRAPH || field.wireType() != Protobuf.LENGTH_DELIMITED) {
                out.write(model, field.start(), field.end() - field.start());
                continue;
            }
            List<Part> parts = graphParts.apply(field);
            long length = parts.stream().mapToLong(part -> part.to() - part.from()).sum();
            out.write(new Writer().head(MODEL_GRAPH, length).toByteArray());
            for (Part part : parts) {
                out.write(part.bytes(), part.from(), part.to() - part.from());
            }
        }
    }
}

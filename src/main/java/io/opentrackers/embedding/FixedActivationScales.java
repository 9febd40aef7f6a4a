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
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    /** Changes when the rewrite does, so that a graph fixed by an earlier release is not used again. */
    static final String REWRITE_VERSION = "2";
    private static final String DYNAMIC = "DynamicQuantizeLinear";
    private static final String FIXED = "QuantizeLinear";
    private static final int MODEL_GRAPH = 7;
    private static final int MODEL_OPSET_IMPORT = 8;
    private static final String CONTRIB_DOMAIN = "com.microsoft";
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
        }, List.of(), out);
    }

    /**
     * Writes the model with every quantisation's range fixed, and the chains that follow it fused.
     *
     * @param ranges by {@link Quantisation#values()}; every quantisation of the graph must have one
     */
    static void writeFixed(byte[] model, Map<String, Range> ranges, OutputStream out) throws IOException {
        writeFixed(model, ranges, true, out);
    }

    /** @param fuse whether the chains after each quantisation become ONNX Runtime's fused kernel (tests: false) */
    static void writeFixed(byte[] model, Map<String, Range> ranges, boolean fuse, OutputStream out)
            throws IOException {
        writeWithGraph(model, graph -> {
            List<Field> fields = graph.fields();
            Fusions fusions = fuse ? Fusions.of(fields, of(model)) : new Fusions(Map.of(), Set.of());
            List<Part> parts = new ArrayList<>();
            List<Part> constants = new ArrayList<>();
            for (Field field : fields) {
                if (field.number() != GRAPH_NODE) {
                    parts.add(Part.of(field));
                } else if (isDynamic(field)) {
                    Quantisation quantisation = quantisation(field);
                    Range range = ranges.get(quantisation.values());
                    if (range == null) {
                        throw new IllegalArgumentException("no range for " + quantisation);
                    }
                    Writer node = new Writer().string(NODE_INPUT, quantisation.input())
                            .string(NODE_INPUT, quantisation.scale()).string(NODE_INPUT, quantisation.zeroPoint())
                            .string(NODE_OUTPUT, quantisation.values())
                            .string(NODE_NAME, quantisation.name() + "_fixed").string(NODE_OP_TYPE, FIXED);
                    parts.add(Part.of(new Writer().message(GRAPH_NODE, node)));
                    // the scale and zero point keep their names, now constants instead of the node's outputs
                    byte[] scale = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(range.scale())
                            .array();
                    constants.add(Part.of(new Writer().message(GRAPH_INITIALIZER,
                            scalarTensor(quantisation.scale(), FLOAT, scale))));
                    constants.add(Part.of(new Writer().message(GRAPH_INITIALIZER,
                            scalarTensor(quantisation.zeroPoint(), UINT8, new byte[] {(byte) range.zeroPoint()}))));
                } else if (fusions.replacement(field) != null) {
                    parts.add(Part.of(new Writer().message(GRAPH_NODE, fusions.replacement(field))));
                } else if (!fusions.removed(field)) {
                    parts.add(Part.of(field));
                }
            }
            parts.addAll(constants);
            return parts;
        }, fuse ? contribOpset(model) : List.of(), out);
    }

    /**
     * ONNX Runtime fuses the shipped graph's {@code DynamicQuantizeLinear → MatMulInteger → Cast → Mul} chains
     * into its {@code MatMulIntegerToFloat} kernel, but not the same chains once the scale is a constant: each then
     * costs three passes over the activations. The rewrite writes the fused operator itself ({@code com.microsoft}
     * domain): {@code MatMulIntegerToFloat(a, b, a_scale, b_scale, a_zero_point, b_zero_point)}, where the chain's
     * {@code Mul} multiplied by {@code Mul(a_scale, b_scale)}. The same integer product times the same scales:
     * vectors equal to the unfused chain's, bit for bit ({@code FixedActivationScalesTest}).
     */
    private record Fusions(Map<Integer, Writer> replacements, Set<Integer> removed) {

        static Fusions of(List<Field> fields, List<Quantisation> quantisations) {
            Set<String> quantised = new HashSet<>();
            Set<String> activationScales = new HashSet<>();
            quantisations.forEach(quantisation -> {
                quantised.add(quantisation.values());
                activationScales.add(quantisation.scale());
            });
            List<Node> nodes = new ArrayList<>();
            Map<String, Node> producers = new HashMap<>();
            Map<String, List<Node>> consumers = new HashMap<>();
            for (Field field : fields) {
                if (field.number() == GRAPH_NODE) {
                    Node node = Node.of(field);
                    nodes.add(node);
                    node.outputs().forEach(output -> producers.put(output, node));
                    node.inputs().forEach(input -> consumers.computeIfAbsent(input, k -> new ArrayList<>()).add(node));
                }
            }
            Map<Integer, Writer> replacements = new HashMap<>();
            Set<Integer> removed = new HashSet<>();
            for (Node product : nodes) {
                if (!product.is("MatMulInteger") || product.inputs().size() != 4
                        || !quantised.contains(product.inputs().get(0))) {
                    continue;
                }
                List<Node> casts = consumers.getOrDefault(product.outputs().get(0), List.of());
                if (casts.size() != 1 || !casts.get(0).is("Cast")) {
                    continue;
                }
                Node cast = casts.get(0);
                List<Node> muls = consumers.getOrDefault(cast.outputs().get(0), List.of());
                if (muls.size() != 1 || !muls.get(0).is("Mul") || muls.get(0).inputs().size() != 2) {
                    continue;
                }
                Node mul = muls.get(0);
                String scales = mul.inputs().get(0).equals(cast.outputs().get(0)) ? mul.inputs().get(1)
                        : mul.inputs().get(0);
                Node scalesMul = producers.get(scales);
                if (scalesMul == null || !scalesMul.is("Mul") || scalesMul.inputs().size() != 2) {
                    continue;
                }
                // which factor is the activation's scale (a constant now) and which the weights'
                int activation = activationScales.contains(scalesMul.inputs().get(0)) ? 0
                        : activationScales.contains(scalesMul.inputs().get(1)) ? 1 : -1;
                if (activation < 0) {
                    continue;
                }
                Writer fused = new Writer();
                for (String input : List.of(product.inputs().get(0), product.inputs().get(1),
                        scalesMul.inputs().get(activation), scalesMul.inputs().get(1 - activation),
                        product.inputs().get(2), product.inputs().get(3))) {
                    fused.string(NODE_INPUT, input);
                }
                fused.string(NODE_OUTPUT, mul.outputs().get(0)).string(NODE_NAME, product.name() + "_fused")
                        .string(NODE_OP_TYPE, "MatMulIntegerToFloat").string(NODE_DOMAIN, CONTRIB_DOMAIN);
                replacements.put(product.start(), fused);
                removed.add(cast.start());
                removed.add(mul.start());
                if (consumers.get(scales).size() == 1) {
                    removed.add(scalesMul.start());
                }
            }
            return new Fusions(replacements, removed);
        }

        Writer replacement(Field node) {
            return replacements.get(node.start());
        }

        boolean removed(Field node) {
            return removed.contains(node.start());
        }
    }

    /** A node's names, read from its field (identified by where it starts in the model). */
    private record Node(int start, String name, String opType, String domain, List<String> inputs,
            List<String> outputs) {

        static Node of(Field field) {
            String name = "";
            String opType = "";
            String domain = "";
            List<String> inputs = new ArrayList<>();
            List<String> outputs = new ArrayList<>();
            for (Field part : field.fields()) {
                switch (part.number()) {
                    case NODE_INPUT -> inputs.add(part.string());
                    case NODE_OUTPUT -> outputs.add(part.string());
                    case NODE_NAME -> name = part.string();
                    case NODE_OP_TYPE -> opType = part.string();
                    case NODE_DOMAIN -> domain = part.string();
                    default -> {
                    }
                }
            }
            return new Node(field.start(), name, opType, domain, inputs, outputs);
        }

        boolean is(String type) {
            return opType.equals(type) && (domain.isEmpty() || domain.equals("ai.onnx"));
        }
    }

    /** The model's operator sets, with ONNX Runtime's contrib domain for the fused operator when it lacks it. */
    private static List<Part> contribOpset(byte[] model) {
        boolean declared = Protobuf.fields(model, 0, model.length).stream()
                .filter(field -> field.number() == MODEL_OPSET_IMPORT)
                .anyMatch(opset -> opset.fields().stream()
                        .anyMatch(f -> f.number() == 1 && f.string().equals(CONTRIB_DOMAIN)));
        return declared ? List.of() : List.of(Part.of(new Writer().message(MODEL_OPSET_IMPORT,
                new Writer().string(1, CONTRIB_DOMAIN).varint(2, 1))));
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
    private static void writeWithGraph(byte[] model, Function<Field, List<Part>> graphParts, List<Part> modelParts,
            OutputStream out) throws IOException {
        for (Part part : modelParts) {
            out.write(part.bytes(), part.from(), part.to() - part.from());
        }
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

package io.opentrackers.embedding;

import io.opentrackers.embedding.Protobuf.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes the smallest ONNX model that multiplies a block of span vectors by a constant vocabulary matrix:
 * {@code similarities[m, rows] = spans[m, d] × vocabulary[d, rows]}, the vocabulary stored as an initializer.
 *
 * <p>The protobuf wire format is written by hand ({@link Protobuf}) (field numbers from onnx.proto: ModelProto
 * ir_version=1, graph=7, opset_import=8; GraphProto node=1, name=2, initializer=5, input=11, output=12; ...).
 * The vocabulary is written straight into the final array: it is the only large part (39 MB for 25,500 rows).
 */
final class MatMulGraph {

    static final String INPUT = "spans";
    static final String OUTPUT = "similarities";
    private static final String VOCABULARY = "vocabulary";
    private static final int IR_VERSION = 8;
    private static final int OPSET = 13;
    private static final int FLOAT = 1;

    private MatMulGraph() {
    }

    /** @param rows the vocabulary, one vector of length {@code dimension} per row */
    static byte[] model(float[][] rows, int dimension) {
        long rawLength = 4L * dimension * rows.length;
        if (rawLength > Integer.MAX_VALUE - 1024) {
            throw new IllegalArgumentException("a vocabulary of " + rows.length + " rows is too large for one graph");
        }
        Writer node = new Writer().string(1, INPUT).string(1, VOCABULARY).string(2, OUTPUT).string(4, "MatMul");
        Writer initializerHead = new Writer().varint(1, dimension).varint(1, rows.length).varint(2, FLOAT)
                .string(8, VOCABULARY);
        long initializerLength = initializerHead.size() + Protobuf.tagSize(9) + Protobuf.varintSize(rawLength)
                + rawLength;
        Writer graphHead = new Writer().message(1, node).string(2, "vocabulary-similarities");
        Writer graphTail = new Writer()
                .message(11, tensorType(INPUT, -1, dimension))
                .message(12, tensorType(OUTPUT, -1, rows.length));
        long graphLength = graphHead.size() + Protobuf.tagSize(5) + Protobuf.varintSize(initializerLength)
                + initializerLength + graphTail.size();
        Writer modelHead = new Writer().varint(1, IR_VERSION).string(2, "opentrackers");
        Writer modelTail = new Writer().message(8, new Writer().string(1, "").varint(2, OPSET));
        long total = modelHead.size() + Protobuf.tagSize(7) + Protobuf.varintSize(graphLength) + graphLength
                + modelTail.size();

        ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        out.put(modelHead.toByteArray());
        writeTag(out, 7, Protobuf.LENGTH_DELIMITED);
        writeVarint(out, graphLength);
        out.put(graphHead.toByteArray());
        writeTag(out, 5, Protobuf.LENGTH_DELIMITED);
        writeVarint(out, initializerLength);
        out.put(initializerHead.toByteArray());
        writeTag(out, 9, Protobuf.LENGTH_DELIMITED);
        writeVarint(out, rawLength);
        // raw_data is the [dimension, rows] matrix in row-major order, little-endian floats
        for (int d = 0; d < dimension; d++) {
            for (float[] row : rows) {
                out.putFloat(row[d]);
            }
        }
        out.put(graphTail.toByteArray());
        out.put(modelTail.toByteArray());
        if (out.hasRemaining()) {
            throw new IllegalStateException("graph size miscounted by " + out.remaining() + " bytes");
        }
        return out.array();
    }

    /** ValueInfoProto of a float tensor [first, second]; a negative size is a symbolic (per-call) dimension. */
    private static Writer tensorType(String name, long first, long second) {
        Writer shape = new Writer().message(1, dimension(first)).message(1, dimension(second));
        Writer tensor = new Writer().varint(1, FLOAT).message(2, shape);
        return new Writer().string(1, name).message(2, new Writer().message(1, tensor));
    }

    private static Writer dimension(long size) {
        return size < 0 ? new Writer().string(2, "batch") : new Writer().varint(1, size);
    }

    private static void writeTag(ByteBuffer out, int field, int wireType) {
        writeVarint(out, ((long) field << 3) | wireType);
    }

    private static void writeVarint(ByteBuffer out, long value) {
        Protobuf.varint(value, b -> out.put((byte) b));
    }
}

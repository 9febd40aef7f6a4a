package io.opentrackers.embedding;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes the smallest ONNX model that multiplies a block of span vectors by a constant vocabulary matrix:
 * {@code similarities[m, rows] = spans[m, d] × vocabulary[d, rows]}, the vocabulary stored as an initializer.
 *
 * <p>ONNX Runtime's Java API cannot build graphs, and a protobuf library for one MatMul would be a heavy
 * dependency, so the protobuf wire format is written by hand (field numbers from onnx.proto: ModelProto
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
    private static final int VARINT = 0;
    private static final int LENGTH_DELIMITED = 2;

    private MatMulGraph() {
    }

    /** @param rows the vocabulary, one vector of length {@code dimension} per row */
    static byte[] model(float[][] rows, int dimension) {
        long rawLength = 4L * dimension * rows.length;
        if (rawLength > Integer.MAX_VALUE - 1024) {
            throw new IllegalArgumentException("a vocabulary of " + rows.length + " rows is too large for one graph");
        }
        Message node = new Message().string(1, INPUT).string(1, VOCABULARY).string(2, OUTPUT).string(4, "MatMul");
        Message initializerHead = new Message().varint(1, dimension).varint(1, rows.length).varint(2, FLOAT)
                .string(8, VOCABULARY);
        long initializerLength = initializerHead.size() + tagSize(9) + varintSize(rawLength) + rawLength;
        Message graphHead = new Message().message(1, node).string(2, "vocabulary-similarities");
        Message graphTail = new Message()
                .message(11, tensorType(INPUT, -1, dimension))
                .message(12, tensorType(OUTPUT, -1, rows.length));
        long graphLength = graphHead.size() + tagSize(5) + varintSize(initializerLength) + initializerLength
                + graphTail.size();
        Message modelHead = new Message().varint(1, IR_VERSION).string(2, "opentrackers");
        Message modelTail = new Message().message(8, new Message().string(1, "").varint(2, OPSET));
        long total = modelHead.size() + tagSize(7) + varintSize(graphLength) + graphLength + modelTail.size();

        ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        modelHead.writeTo(out);
        writeTag(out, 7, LENGTH_DELIMITED);
        writeVarint(out, graphLength);
        graphHead.writeTo(out);
        writeTag(out, 5, LENGTH_DELIMITED);
        writeVarint(out, initializerLength);
        initializerHead.writeTo(out);
        writeTag(out, 9, LENGTH_DELIMITED);
        writeVarint(out, rawLength);
        // raw_data is the [dimension, rows] matrix in row-major order, little-endian floats
        for (int d = 0; d < dimension; d++) {
            for (float[] row : rows) {
                out.putFloat(row[d]);
            }
        }
        graphTail.writeTo(out);
        modelTail.writeTo(out);
        if (out.hasRemaining()) {
            throw new IllegalStateException("graph size miscounted by " + out.remaining() + " bytes");
        }
        return out.array();
    }

    /** ValueInfoProto of a float tensor [first, second]; a negative size is a symbolic (per-call) dimension. */
    private static Message tensorType(String name, long first, long second) {
        Message shape = new Message().message(1, dimension(first)).message(1, dimension(second));
        Message tensor = new Message().varint(1, FLOAT).message(2, shape);
        return new Message().string(1, name).message(2, new Message().message(1, tensor));
    }

    private static Message dimension(long size) {
        return size < 0 ? new Message().string(2, "batch") : new Message().varint(1, size);
    }

    private static int tagSize(int field) {
        return varintSize((long) field << 3);
    }

    private static int varintSize(long value) {
        int size = 1;
        while ((value & ~0x7FL) != 0) {
            value >>>= 7;
            size++;
        }
        return size;
    }

    private static void writeTag(ByteBuffer out, int field, int wireType) {
        writeVarint(out, ((long) field << 3) | wireType);
    }

    private static void writeVarint(ByteBuffer out, long value) {
        varint(value, b -> out.put((byte) b));
    }

    /** Protobuf base-128 varint: 7 bits per byte, low bits first, high bit set on all but the last byte. */
    private static void varint(long value, java.util.function.IntConsumer sink) {
        while ((value & ~0x7FL) != 0) {
            sink.accept((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        sink.accept((int) value);
    }

    /** A small protobuf message being written. */
    private static final class Message {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Message varint(int field, long value) {
            tag(field, VARINT);
            varint(value);
            return this;
        }

        Message string(int field, String value) {
            return bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Message message(int field, Message value) {
            return bytes(field, value.bytes.toByteArray());
        }

        int size() {
            return bytes.size();
        }

        void writeTo(ByteBuffer out) {
            out.put(bytes.toByteArray());
        }

        private Message bytes(int field, byte[] value) {
            tag(field, LENGTH_DELIMITED);
            varint(value.length);
            bytes.writeBytes(value);
            return this;
        }

        private void tag(int field, int wireType) {
            varint(((long) field << 3) | wireType);
        }

        private void varint(long value) {
            MatMulGraph.varint(value, bytes::write);
        }
    }
}

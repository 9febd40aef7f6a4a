package io.opentrackers.embedding;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * The protobuf wire format, as much of it as reading and writing ONNX graphs needs. ONNX Runtime's Java API cannot
 * build or change a graph, and a protobuf library with ONNX's generated classes would be a heavy dependency for a
 * few fields, so the format is read and written by hand (https://protobuf.dev/programming-guides/encoding/).
 */
final class Protobuf {

    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private Protobuf() {
    }

    /**
     * One field of a message as it sits in {@code bytes}: from {@code start} (its tag) to {@code end}; a
     * length-delimited field's value (a string, bytes or a nested message) starts at {@code valueStart}.
     */
    record Field(byte[] bytes, int number, int wireType, int start, int valueStart, int end) {

        String string() {
            return new String(bytes, valueStart, end - valueStart, StandardCharsets.UTF_8);
        }

        /** The fields of a nested message. */
        List<Field> fields() {
            return Protobuf.fields(bytes, valueStart, end);
        }

    }

    /** The fields of the message in {@code bytes[from, to)}, in the order they are written. */
    static List<Field> fields(byte[] bytes, int from, int to) {
        List<Field> fields = new ArrayList<>();
        int[] position = {from};
        while (position[0] < to) {
            int start = position[0];
            long tag = readVarint(bytes, position);
            int wireType = (int) (tag & 7);
            int valueStart = position[0];
            switch (wireType) {
                case VARINT -> readVarint(bytes, position);
                case FIXED64 -> position[0] += 8;
                case FIXED32 -> position[0] += 4;
                case LENGTH_DELIMITED -> {
                    long length = readVarint(bytes, position);
                    valueStart = position[0];
                    position[0] = Math.addExact(position[0], Math.toIntExact(length));
                }
                default -> throw new IllegalArgumentException("unsupported protobuf wire type " + wireType
                        + " at byte " + start);
            }
            if (position[0] > to) {
                throw new IllegalArgumentException("protobuf field at byte " + start + " runs past its message");
            }
            fields.add(new Field(bytes, (int) (tag >>> 3), wireType, start, valueStart, position[0]));
        }
        return fields;
    }

    private static long readVarint(byte[] bytes, int[] position) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = bytes[position[0]++];
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("protobuf varint longer than 10 bytes at byte " + position[0]);
    }

    static int varintSize(long value) {
        int size = 1;
        while ((value & ~0x7FL) != 0) {
            value >>>= 7;
            size++;
        }
        return size;
    }

    static int tagSize(int field) {
        return varintSize((long) field << 3);
    }

    /** Base-128 varint: 7 bits per byte, low bits first, the high bit set on all but the last byte. */
    static void varint(long value, IntConsumer sink) {
        while ((value & ~0x7FL) != 0) {
            sink.accept((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        sink.accept((int) value);
    }

    /** A message being written. */
    static final class Writer {
        private final ByteArrayOutputStream bytes;

        Writer() {
            this(64);
        }

        Writer(int expectedSize) {
            bytes = new ByteArrayOutputStream(expectedSize);
        }

        Writer varint(int field, long value) {
            tag(field, VARINT);
            Protobuf.varint(value, bytes::write);
            return this;
        }

        Writer string(int field, String value) {
            return bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Writer message(int field, Writer value) {
            return bytes(field, value.toByteArray());
        }

        Writer bytes(int field, byte[] value) {
            tag(field, LENGTH_DELIMITED);
            Protobuf.varint(value.length, bytes::write);
            bytes.writeBytes(value);
            return this;
        }

        /** The tag and length of a length-delimited field whose {@code length} bytes are written elsewhere. */
        Writer head(int field, long length) {
            tag(field, LENGTH_DELIMITED);
            Protobuf.varint(length, bytes::write);
            return this;
        }

        int size() {
            return bytes.size();
        }

        byte[] toByteArray() {
            return bytes.toByteArray();
        }

        private void tag(int field, int wireType) {
            Protobuf.varint(((long) field << 3) | wireType, bytes::write);
        }
    }
}

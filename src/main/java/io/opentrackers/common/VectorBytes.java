package io.opentrackers.common;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** How an embedding vector is stored in a {@code bytea} column: float32, little-endian, nothing else. */
public final class VectorBytes {

    private VectorBytes() {
    }

    public static byte[] encode(float[] vector) {
        ByteBuffer buffer = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(vector);
        return buffer.array();
    }

    public static float[] decode(byte[] bytes) {
        float[] vector = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
        return vector;
    }
}

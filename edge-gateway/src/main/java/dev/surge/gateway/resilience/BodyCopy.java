package dev.surge.gateway.resilience;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Optional;

import org.springframework.core.io.buffer.DataBuffer;

/**
 * A copy of a body as it streams to the client, up to a size; past it the copy is dropped and the
 * body streams on untouched. Reads each buffer without moving its read position.
 */
final class BodyCopy {

    private final int maxBytes;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private boolean overflowed;

    BodyCopy(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    void append(DataBuffer buffer) {
        if (overflowed) {
            return;
        }
        if (bytes.size() + buffer.readableByteCount() > maxBytes) {
            overflowed = true;
            bytes.reset();
            return;
        }
        try (DataBuffer.ByteBufferIterator readable = buffer.readableByteBuffers()) {
            while (readable.hasNext()) {
                ByteBuffer chunk = readable.next();
                byte[] copy = new byte[chunk.remaining()];
                chunk.get(copy);
                bytes.writeBytes(copy);
            }
        }
    }

    /** The whole body, unless it outgrew the limit. */
    Optional<byte[]> body() {
        return overflowed ? Optional.empty() : Optional.of(bytes.toByteArray());
    }
}

package dev.surge.catalog.cache;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * An answer's JSON exactly as it is sent, with its strong entity tag. A cache hit is these bytes
 * from Redis as they are: nothing is parsed or written again.
 *
 * <p>The entity tag is the first 128 bits of the SHA-256 of the bytes, base64url, quoted
 * ({@code "…"}, strong): the same bytes always have the same tag, on every instance and after a
 * reload, and any change of the bytes (a price, the availability shown) changes it.
 *
 * @param etag the strong entity tag, quoted
 * @param bytes the array holding the JSON
 * @param offset where the JSON starts in {@code bytes} (a Redis value carries the tag before it)
 */
public record CachedJson(String etag, byte[] bytes, int offset) {

    /** The JSON that was just written, and its tag. */
    public static CachedJson of(byte[] json) {
        return new CachedJson(etagOf(json), json, 0);
    }

    /** The body to send: a read-only view of the bytes, not a copy. */
    public ByteBuffer body() {
        return ByteBuffer.wrap(bytes, offset, bytes.length - offset).asReadOnlyBuffer();
    }

    /** The JSON as a copy of its own (for decoding it). */
    public byte[] json() {
        return Arrays.copyOfRange(bytes, offset, bytes.length);
    }

    /** How the entry is kept in Redis: the tag, a line feed, the JSON. */
    String stored() {
        return etag + "\n" + new String(bytes, offset, bytes.length - offset, StandardCharsets.UTF_8);
    }

    /**
     * A Redis value as {@link #stored()} wrote it, or {@code null} when it is not one (an entry an
     * earlier version wrote as bare JSON: a miss, overwritten by the load).
     */
    static CachedJson fromStored(byte[] value) {
        if (value.length == 0 || value[0] != '"') {
            return null;
        }
        for (int i = 1; i < value.length; i++) {
            if (value[i] == '\n') {
                return new CachedJson(new String(value, 0, i, StandardCharsets.US_ASCII), value, i + 1);
            }
        }
        return null;
    }

    private static String etagOf(byte[] json) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json);
            return '"' + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16)) + '"';
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}

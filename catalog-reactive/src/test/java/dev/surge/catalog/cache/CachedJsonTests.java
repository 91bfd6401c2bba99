package dev.surge.catalog.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class CachedJsonTests {

    @Test
    void whatIsStoredComesBackAsTheSameBytesAndTag() {
        byte[] json = "{\"name\":\"Caffè\\ncrema\",\"text\":\"line\\u2028 é\"}".getBytes(StandardCharsets.UTF_8);
        CachedJson written = CachedJson.of(json);

        CachedJson read = CachedJson.fromStored(written.stored().getBytes(StandardCharsets.UTF_8));

        assertThat(read.etag()).isEqualTo(written.etag());
        assertThat(bytes(read.body())).isEqualTo(json);
        assertThat(read.json()).isEqualTo(json);
    }

    @Test
    void theTagFollowsTheBytes() {
        byte[] json = "{\"price\":100}".getBytes(StandardCharsets.UTF_8);
        assertThat(CachedJson.of(json).etag()).isEqualTo(CachedJson.of(json.clone()).etag())
                .matches("\"[A-Za-z0-9_-]{22}\"");
        assertThat(CachedJson.of("{\"price\":101}".getBytes(StandardCharsets.UTF_8)).etag())
                .isNotEqualTo(CachedJson.of(json).etag());
    }

    @Test
    void bareJsonFromAnEarlierVersionIsAMiss() {
        assertThat(CachedJson.fromStored("{\"sku\":\"P-1\"}".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(CachedJson.fromStored("[]".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(CachedJson.fromStored("\"no line feed\"".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(CachedJson.fromStored(new byte[0])).isNull();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] copy = new byte[buffer.remaining()];
        buffer.get(copy);
        return copy;
    }
}

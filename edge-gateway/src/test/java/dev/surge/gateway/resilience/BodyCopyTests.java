package dev.surge.gateway.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

class BodyCopyTests {

    @Test
    void copiesEveryBufferWithoutConsumingIt() {
        BodyCopy copy = new BodyCopy(16);
        DataBuffer first = buffer("{\"a\":");
        DataBuffer second = buffer("1}");

        copy.append(first);
        copy.append(second);

        assertThat(copy.body()).hasValueSatisfying(body -> assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}"));
        assertThat(first.toString(StandardCharsets.UTF_8)).isEqualTo("{\"a\":");
    }

    @Test
    void dropsTheCopyOfABodyOverTheLimit() {
        BodyCopy copy = new BodyCopy(4);

        copy.append(buffer("abc"));
        copy.append(buffer("de"));
        copy.append(buffer("f"));

        assertThat(copy.body()).isEmpty();
    }

    private static DataBuffer buffer(String text) {
        return DefaultDataBufferFactory.sharedInstance.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}

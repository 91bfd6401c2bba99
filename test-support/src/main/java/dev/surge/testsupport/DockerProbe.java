package dev.surge.testsupport;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Decides once per JVM whether a Docker engine answers, without asking Testcontainers: its own
 * discovery tries several strategies and logs each failure, which makes a Docker-less run slow and
 * noisy. A set {@code DOCKER_HOST} means someone configured an engine on purpose: Testcontainers
 * takes it from there. Otherwise the local socket is pinged, for at most {@link #PING_TIMEOUT}.
 * {@code SURGE_TEST_DOCKER=never|always} overrides both.
 */
final class DockerProbe {

    private static final Path SOCKET = Path.of("/var/run/docker.sock");
    private static final Duration PING_TIMEOUT = Duration.ofMillis(500);

    private DockerProbe() {
    }

    static boolean engineAvailable() {
        String override = System.getenv().getOrDefault("SURGE_TEST_DOCKER", "auto");
        if (override.equals("never")) {
            return false;
        }
        if (override.equals("always")) {
            return true;
        }
        if (System.getenv("DOCKER_HOST") != null) {
            return true;
        }
        if (!Files.exists(SOCKET)) {
            return false;
        }
        // a hung daemon must not hang every test JVM: the ping gets a deadline
        try {
            return CompletableFuture.supplyAsync(DockerProbe::ping)
                    .get(PING_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException | TimeoutException e) {
            return false;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean ping() {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(SOCKET));
            channel.write(ByteBuffer.wrap("GET /_ping HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer answer = ByteBuffer.allocate(64);
            channel.read(answer);
            return new String(answer.array(), 0, answer.position(), StandardCharsets.US_ASCII).contains(" 200 ");
        }
        catch (IOException notThere) {
            return false;
        }
    }
}

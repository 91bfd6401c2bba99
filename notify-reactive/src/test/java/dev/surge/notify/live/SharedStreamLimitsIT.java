package dev.surge.notify.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpStatus;

import dev.surge.service.web.Conflict;
import dev.surge.testsupport.Infrastructure;
import dev.surge.testsupport.RedisServer;
import dev.surge.testsupport.TcpProxy;
import io.lettuce.core.ClientOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * The shop-wide streams limit over the real Redis: two {@link StreamLimits} on one key prefix stand for
 * two notify instances (each its own instance id, its own local counts, its own connection). No Spring
 * context: the limit needs only Redis, and each test builds the instances it needs, with short leases
 * where a test waits for one to lapse. Redis cut (test-support's {@link TcpProxy}) or answering late (a
 * proxy here that holds Redis's answers back) shows the fall-back to the per-instance count.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SharedStreamLimitsIT {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final RedisServer server = Infrastructure.redis();
    private final String prefix = "t_sharedstreamlimitsit_" + UUID.randomUUID().toString().substring(0, 8) + ":";
    private final List<LettuceConnectionFactory> factories = new ArrayList<>();
    private final LettuceConnectionFactory direct = connections(server.port());
    private final ReactiveStringRedisTemplate redis = new ReactiveStringRedisTemplate(direct);
    private final List<Disposable> running = new ArrayList<>();

    @AfterEach
    void stopBackgroundStreams() {
        running.forEach(Disposable::dispose);
        running.clear();
    }

    @AfterAll
    void removeKeys() {
        factories.forEach(LettuceConnectionFactory::destroy);
        server.deleteKeys(prefix);
    }

    @Test
    void tenPlacesAcrossTwoInstancesAndTheEleventhIsRefusedOnEither() {
        StreamLimits first = instance(Map.of());
        StreamLimits second = instance(Map.of());
        String ann = shopper();
        for (int i = 0; i < 5; i++) {
            admitted(first, ann);
            admitted(second, ann);
        }
        refused(first, ann);
        refused(second, ann);
        assertThat(leases(ann)).isEqualTo(10);
        // neither instance is full on its own: the refusals are Redis's
        assertThat(first.open()).isEqualTo(5);
        assertThat(second.open()).isEqualTo(5);
        // another shopper is not held back by ann's streams
        admitted(first, shopper());
    }

    @Test
    void aReleasedPlaceIsFreeAgainOnTheOtherInstance() {
        StreamLimits first = instance(Map.of());
        StreamLimits second = instance(Map.of());
        running.add(first.releases().subscribe());
        String ben = shopper();
        List<StreamLimits.Permit> permits = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            permits.add(admitted(first, ben));
        }
        refused(second, ben);

        permits.getFirst().release();
        permits.getFirst().release();
        // given back once: here at once, in Redis by the next removal round
        assertThat(first.open()).isEqualTo(9);
        await().atMost(WAIT).until(() -> leases(ben) == 9);
        admitted(second, ben);
        refused(first, ben);
        assertThat(leases(ben)).isEqualTo(10);
    }

    @Test
    void theLeasesOfAnInstanceThatStoppedRenewingLapse() {
        // as if it crashed: its streams are never released and never renewed
        StreamLimits crashed = instance(Map.of("surge.live.stream-lease", "1s", "surge.live.lease-renewal", "500ms"));
        StreamLimits survivor = instance(Map.of());
        String cem = shopper();
        for (int i = 0; i < 10; i++) {
            admitted(crashed, cem);
        }
        // the key outlives its newest lease by a few seconds only, so it goes away by itself too
        assertThat(redis.getExpire(key(cem)).block(WAIT)).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(6));
        refused(survivor, cem);
        await().pollDelay(Duration.ofMillis(500)).atMost(WAIT).ignoreExceptions().untilAsserted(() -> admitted(survivor, cem));
        assertThat(leases(cem)).isEqualTo(1);
    }

    @Test
    void renewalsKeepTheLeasesOfOpenStreamsPastTheirFirstExpiry() throws InterruptedException {
        StreamLimits renewing = instance(Map.of("surge.live.stream-lease", "1s", "surge.live.lease-renewal", "300ms"));
        StreamLimits other = instance(Map.of());
        Disposable renewals = renewing.renewals().subscribe();
        running.add(renewals);
        String dan = shopper();
        for (int i = 0; i < 10; i++) {
            admitted(renewing, dan);
        }
        long firstExpiry = latestExpiry(dan);

        Thread.sleep(2_500);
        refused(other, dan);
        assertThat(leases(dan)).isEqualTo(10);
        assertThat(latestExpiry(dan)).isGreaterThan(firstExpiry + 1_000);

        // renewals stop (the instance died): within a lease its places are free
        renewals.dispose();
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> admitted(other, dan));
    }

    @Test
    void withRedisUnreachableTheInstancesOwnCountStillLimits() {
        try (TcpProxy cut = TcpProxy.between(server.host(), server.port())) {
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            StreamLimits isolated = instance(Map.of("surge.live.stream-lease", "2s", "surge.live.lease-renewal", "500ms"),
                    connections(cut.port()), meters);
            StreamLimits other = instance(Map.of());
            running.add(isolated.renewals().subscribe());
            running.add(isolated.releases().subscribe());
            String eva = shopper();
            cut.cut();

            List<StreamLimits.Permit> permits = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                permits.add(admitted(isolated, eva));
            }
            refused(isolated, eva);
            assertThat(unchecked(meters)).isEqualTo(10);
            permits.removeLast().release();
            permits.add(admitted(isolated, eva));
            assertThat(isolated.open()).isEqualTo(10);

            // Redis back: the renewals add the leases of the streams opened meanwhile, and they count shop-wide
            // (at least ten: an acquire on its way when Redis went may be replayed after the reconnect)
            cut.restore();
            await().atMost(Duration.ofSeconds(40)).until(() -> leases(eva) >= 10);
            refused(other, eva);
        }
    }

    @Test
    void aRedisThatAnswersTooLateLetsStreamsThroughOnTheInstancesCount() {
        try (StallingProxy slow = new StallingProxy(server.port())) {
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            StreamLimits stalled = instance(Map.of("surge.live.redis-timeout", "300ms"), connections(slow.port()), meters);
            StreamLimits other = instance(Map.of());
            String fay = shopper();
            // the script is in Redis's cache: the late acquires run as they arrive, with no NOSCRIPT round trip
            admitted(stalled, shopper());
            slow.stall();

            for (int i = 0; i < 10; i++) {
                admitted(stalled, fay);
            }
            refused(stalled, fay);
            assertThat(unchecked(meters)).isEqualTo(10);

            // the late acquires did reach Redis: once it answers again they count there too
            slow.resume();
            await().atMost(WAIT).until(() -> leases(fay) == 10);
            refused(other, fay);
        }
    }

    @Test
    void aStreamCancelledBeforeRedisAnsweredLeavesNoLease() {
        try (StallingProxy slow = new StallingProxy(server.port())) {
            StreamLimits stalled = instance(Map.of("surge.live.redis-timeout", "3s"), connections(slow.port()));
            running.add(stalled.releases().subscribe());
            String gus = shopper();
            // both scripts are in Redis's cache: what is sent while the answers are held back runs as it arrives
            String warmUp = shopper();
            admitted(stalled, warmUp).release();
            await().atMost(WAIT).until(() -> leases(warmUp) == 0);
            slow.stall();

            Disposable opening = stalled.acquire(gus).subscribe();
            // the acquire is on its way to Redis, its answer held back
            await().atMost(WAIT).until(() -> leases(gus) == 1);
            opening.dispose();
            assertThat(stalled.open()).isZero();

            // the removal goes after the acquire, on the same connection: the lease the acquire added goes
            slow.resume();
            await().atMost(WAIT).until(() -> leases(gus) == 0);
            assertThat(stalled.open()).isZero();
        }
    }

    @Test
    void concurrentAcquiresOnEventLoopThreadsAreAllCountedInRedis() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        StreamLimits limits = instance(Map.of(), direct, meters);
        List<String> shoppers = Flux.range(0, 200).map(i -> shopper()).collectList().block(WAIT);
        List<StreamLimits.Permit> permits = Flux.fromIterable(shoppers)
                .flatMap(userId -> limits.acquire(userId).subscribeOn(Schedulers.parallel()), 200)
                .collectList()
                .block(Duration.ofSeconds(10));
        assertThat(permits).hasSize(200);
        assertThat(unchecked(meters)).isZero();
        assertThat(shoppers).allSatisfy(userId -> assertThat(leases(userId)).isEqualTo(1));
    }

    private StreamLimits instance(Map<String, String> settings) {
        return instance(settings, direct);
    }

    private StreamLimits instance(Map<String, String> settings, LettuceConnectionFactory connections) {
        return instance(settings, connections, new SimpleMeterRegistry());
    }

    private StreamLimits instance(Map<String, String> settings, LettuceConnectionFactory connections,
            SimpleMeterRegistry meters) {
        Map<String, String> all = new HashMap<>(settings);
        all.put("surge.live.key-prefix", prefix + "notify:");
        LiveStreamProperties properties = new Binder(new MapConfigurationPropertySource(all))
                .bindOrCreate("surge.live", LiveStreamProperties.class);
        return new StreamLimits(properties, new ReactiveStringRedisTemplate(connections), meters);
    }

    /** Like every service's: commands fail at once while disconnected (service-support), opened before use. */
    private LettuceConnectionFactory connections(int port) {
        LettuceClientConfiguration client = LettuceClientConfiguration.builder()
                .clientOptions(ClientOptions.builder()
                        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                        .build())
                .build();
        LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(server.host(), port), client);
        factory.afterPropertiesSet();
        factory.start();
        try (ReactiveRedisConnection connection = factory.getReactiveConnection()) {
            assertThat(connection).isNotNull();
        }
        factories.add(factory);
        return factory;
    }

    private static StreamLimits.Permit admitted(StreamLimits limits, String userId) {
        StreamLimits.Permit permit = limits.acquire(userId).block(WAIT);
        assertThat(permit).isNotNull();
        return permit;
    }

    private static void refused(StreamLimits limits, String userId) {
        StepVerifier.create(limits.acquire(userId))
                .expectErrorSatisfies(failure -> {
                    assertThat(failure).isInstanceOf(Conflict.class);
                    Conflict conflict = (Conflict) failure;
                    assertThat(conflict.status()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
                    assertThat(conflict.type()).isEqualTo("too-many-streams");
                    assertThat(conflict.properties()).containsEntry("limit", 10);
                })
                .verify(WAIT);
    }

    private static double unchecked(SimpleMeterRegistry meters) {
        return meters.get("surge.sse.limit.unchecked").counter().count();
    }

    private long leases(String userId) {
        return redis.opsForZSet().size(key(userId)).block(WAIT);
    }

    private long latestExpiry(String userId) {
        return redis.opsForZSet().reverseRangeWithScores(key(userId), Range.closed(0L, 0L))
                .map(lease -> lease.getScore().longValue())
                .blockFirst(WAIT);
    }

    private String key(String userId) {
        return prefix + "notify:streams:" + userId;
    }

    private static String shopper() {
        return "shopper-" + UUID.randomUUID();
    }

    /**
     * Forwards to Redis, and on {@link #stall()} holds Redis's answers back until {@link #resume()}: the
     * commands still reach Redis and run, as with a Redis (or a network) that answers late. Plain threads,
     * in the test.
     */
    private static final class StallingProxy implements AutoCloseable {

        private final ServerSocket listener;
        private final List<Socket> open = new CopyOnWriteArrayList<>();
        private volatile boolean stalled;

        StallingProxy(int redisPort) {
            try {
                listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            }
            catch (IOException e) {
                throw new IllegalStateException(e);
            }
            Thread.ofPlatform().daemon().start(() -> accept(redisPort));
        }

        int port() {
            return listener.getLocalPort();
        }

        void stall() {
            stalled = true;
        }

        void resume() {
            stalled = false;
        }

        private void accept(int redisPort) {
            while (!listener.isClosed()) {
                try {
                    Socket client = listener.accept();
                    Socket redis = new Socket();
                    redis.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), redisPort), 2_000);
                    open.add(client);
                    open.add(redis);
                    pump(client, redis, false);
                    pump(redis, client, true);
                }
                catch (IOException closed) {
                    // the proxy was closed
                }
            }
        }

        private void pump(Socket from, Socket to, boolean answers) {
            Thread.ofPlatform().daemon().start(() -> {
                byte[] buffer = new byte[8192];
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    int read;
                    while ((read = in.read(buffer)) >= 0) {
                        while (answers && stalled) {
                            Thread.sleep(10);
                        }
                        out.write(buffer, 0, read);
                        out.flush();
                    }
                }
                catch (IOException | InterruptedException closed) {
                    // one side went away
                }
            });
        }

        @Override
        public void close() {
            try {
                listener.close();
                for (Socket socket : open) {
                    socket.close();
                }
            }
            catch (IOException ignored) {
                // closing is all that is left to do
            }
        }
    }
}

package dev.surge.testsupport;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * The one list of blocking calls we allow on non-blocking threads, each with its reason. Loaded by
 * BlockHound through {@code META-INF/services}; anything not listed here fails the test that hits it.
 */
public class SurgeBlockHoundIntegration implements BlockHoundIntegration {

    @Override
    public void applyTo(BlockHound.Builder builder) {
        // SCRAM authentication in r2dbc-postgresql draws its client nonce from SecureRandom, which
        // reads /dev/urandom: never blocks once the kernel pool is seeded, which it is after boot.
        builder.allowBlockingCallsInside("com.ongres.scram.common.ScramFunctions", "nonce");
        builder.allowBlockingCallsInside("com.ongres.scram.common.util.CryptoUtil", "nonce");
        // UUID.randomUUID reads SecureRandom for event and row ids: /dev/urandom, same reason.
        builder.allowBlockingCallsInside("java.util.UUID", "randomUUID");
        // Spring Security draws the sign-in's state, nonce and PKCE verifier from SecureRandom:
        // /dev/urandom, same reason.
        builder.allowBlockingCallsInside("org.springframework.security.crypto.keygen.SecureRandomBytesKeyGenerator",
                "generateKey");
        // Lettuce guards each connection's write path with SharedLock, whose inner ReentrantLock is
        // held for a few instructions and parks briefly under contention (many event loops writing
        // to one shared connection). It is a lock, not I/O; and BlockHound's error thrown from inside
        // it leaves the lock's state corrupted, after which every writer spins forever (seen here:
        // 200 concurrent requests, an event loop at 100% CPU in SharedLock.incrementWriters).
        builder.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "incrementWriters");
        builder.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "decrementWriters");
        builder.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "doExclusive");
        // Spring Data Redis 4 takes a ReentrantLock in LettuceConnectionFactory.doInLock on every
        // getReactiveConnection() to read its shared connection: in-memory work under a lock that parks
        // briefly when event loops contend (seen here: 200 concurrent checkouts, two answered 500 with
        // BlockHound's error). It creates the shared connection under the same lock, so the first call
        // after start (or after the factory was reset) connects there: once per process, not per call.
        builder.allowBlockingCallsInside("org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory", "doInLock");
        // DefaultRedisScript.getSha1 takes a lock on every call around a SHA-1 it computes once: in-memory,
        // contended only when many event loops run the same script at once (cart-order and notify carry
        // their scripts' SHA-1 themselves; catalog and the gateway still call it).
        builder.allowBlockingCallsInside("org.springframework.data.redis.core.script.DefaultRedisScript", "getSha1");
        // Netty 4.2's default buffer allocator (adaptive) retires a magazine under its StampedLock when it
        // grows or shrinks its magazines, waiting for an allocation on another event loop to leave it: an
        // in-memory critical section of a few instructions, not I/O. Seen here only under bursts on a
        // machine with more cores than ours: a checkout's query encoding parked in Magazine.free, and the
        // request answered 500 with BlockHound's error (likely also the gateway's unexplained 500s when it
        // relayed 60 answers at once on such a machine).
        builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$Magazine", "free");
        // Jackson 3 builds the deserializer of a type once, under a ReentrantLock in its cache: many
        // requests decoding one type for the first time at once park on it briefly. A lock around
        // in-memory work, taken once per type, not I/O (seen here: 40 concurrent first checkouts).
        builder.allowBlockingCallsInside("tools.jackson.databind.deser.DeserializerCache", "_createAndCacheValueDeserializer");
        // The same once per type when serializing: building a serializer asks the Kotlin module's
        // introspection (kotlin-reflect on the classpath), whose memo tables sit behind a lock. Seen with
        // the first 503 problem written on a timer thread while a request built another serializer.
        builder.allowBlockingCallsInside("tools.jackson.databind.SerializationContext", "_createAndCacheUntypedSerializer");
    }
}

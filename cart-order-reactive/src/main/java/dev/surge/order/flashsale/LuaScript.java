package dev.surge.order.flashsale;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.springframework.data.redis.core.script.RedisScript;

/**
 * A Lua script with its SHA-1 computed once. Spring's {@code RedisScript.of} checks on every call
 * whether its source changed, under a {@code ReentrantLock}: the gate runs its script on event loops
 * for every buyer at once, where that lock parks them (BlockHound caught it in a burst of 50 buy-nows:
 * {@code DefaultRedisScript.getSha1}). A script here never changes, so there is nothing to check.
 */
final class LuaScript<T> implements RedisScript<T> {

    private final String source;
    private final Class<T> resultType;
    private final String sha1;

    private LuaScript(String source, Class<T> resultType) {
        this.source = source;
        this.resultType = resultType;
        this.sha1 = sha1(source);
    }

    static <T> LuaScript<T> of(String source, Class<T> resultType) {
        return new LuaScript<>(source, resultType);
    }

    @Override
    public String getSha1() {
        return sha1;
    }

    @Override
    public Class<T> getResultType() {
        return resultType;
    }

    @Override
    public String getScriptAsString() {
        return source;
    }

    private static String sha1(String source) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }
}

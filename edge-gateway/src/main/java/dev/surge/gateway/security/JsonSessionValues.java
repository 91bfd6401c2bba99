package dev.surge.gateway.security;

import java.net.URL;

import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.data.redis.serializer.SerializationException;
import org.springframework.security.jackson.SecurityJacksonModules;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;

/**
 * Session values in Redis as JSON, through Spring Security's Jackson modules: the security
 * context (an {@code OAuth2AuthenticationToken} with its {@code OidcUser}), the authorized client
 * with its access and refresh tokens, the pending authorization request, and the gateway's own
 * plain values (text, numbers). Not JDK serialization, for two reasons: a new release of Spring
 * or of the gateway can still read the sessions an older one wrote (no {@code serialVersionUID}
 * to break, so an upgrade signs nobody out), and a value read from Redis can only become one of
 * the types on the modules' allow-list: JSON naming any other class is refused before that class
 * is instantiated (anyone who can write to Redis could otherwise run a deserialization gadget in
 * the gateway).
 *
 * <p>The allow-list is Spring Security's plus two value types: {@code java.lang.Long} (Spring
 * Session keeps {@code creationTime} and {@code lastAccessedTime} as {@code Long} epoch
 * milliseconds, which JSON alone would read back as whatever number type fits) and
 * {@code java.net.URL} (Spring Security turns an ID token's {@code iss} claim into one). Text,
 * booleans and {@code Integer} ({@code maxInactiveInterval}) are JSON's own types and need no type
 * name.
 */
final class JsonSessionValues implements RedisSerializer<Object> {

    private static final byte[] NOTHING = new byte[0];

    private final ObjectMapper mapper;

    JsonSessionValues(ClassLoader loader) {
        this.mapper = JsonMapper.builder()
                .addModules(SecurityJacksonModules.getModules(loader,
                        BasicPolymorphicTypeValidator.builder()
                                .allowIfSubType(Long.class)
                                .allowIfSubType(URL.class)))
                .build();
    }

    @Override
    public byte[] serialize(Object value) {
        if (value == null) {
            return NOTHING;
        }
        try {
            return mapper.writerFor(Object.class).writeValueAsBytes(value);
        }
        catch (JacksonException e) {
            throw new SerializationException("cannot write a " + value.getClass().getName() + " into the session", e);
        }
    }

    @Override
    public Object deserialize(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return null;
        }
        try {
            return mapper.readValue(bytes, Object.class);
        }
        catch (JacksonException e) {
            throw new SerializationException("cannot read a session value: " + e.getOriginalMessage(), e);
        }
    }
}

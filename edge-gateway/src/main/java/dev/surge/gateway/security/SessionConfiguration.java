package dev.surge.gateway.security;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.web.server.session.WebSessionIdResolver;

/**
 * How browser sessions are kept: in Redis as allow-listed JSON ({@link JsonSessionValues}), found
 * by the gateway's own cookie ({@link SessionCookieResolver}).
 */
@Configuration(proxyBeanMethods = false)
class SessionConfiguration {

    /** Spring Session takes this bean by name for every session value it writes to Redis. */
    @Bean
    RedisSerializer<Object> springSessionDefaultRedisSerializer() {
        return new JsonSessionValues(SessionConfiguration.class.getClassLoader());
    }

    @Bean
    WebSessionIdResolver sessionCookie(LoginProperties login) {
        return new SessionCookieResolver(login.sessionCookie(), login.secureCookies() == LoginProperties.CookieSecurity.ALWAYS);
    }
}

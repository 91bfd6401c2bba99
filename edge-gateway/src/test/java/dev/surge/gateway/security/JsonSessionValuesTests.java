package dev.surge.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.data.redis.serializer.SerializationException;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUserAuthority;

/** The session value codec alone: what round-trips, and what is refused before it exists. */
class JsonSessionValuesTests {

    private final JsonSessionValues values = new JsonSessionValues(getClass().getClassLoader());

    @Test
    void springSessionsOwnFieldsKeepTheirTypes() {
        assertThat(roundTrip(1_764_000_000_000L)).isEqualTo(1_764_000_000_000L);
        assertThat(roundTrip(42L)).isInstanceOf(Long.class).isEqualTo(42L);
        assertThat(roundTrip(7200)).isInstanceOf(Integer.class).isEqualTo(7200);
        assertThat(roundTrip("2026-12-01T10:00:00Z")).isEqualTo("2026-12-01T10:00:00Z");
        assertThat(values.serialize(null)).isEmpty();
        assertThat(values.deserialize(new byte[0])).isNull();
    }

    @Test
    void aSignedInSecurityContextRoundTrips() {
        Instant now = Instant.parse("2026-12-01T10:00:00Z");
        // the collection types Spring Security builds when it decodes an ID token
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", "alice");
        claims.put("iss", "http://127.0.0.1:9000/surge");
        claims.put("aud", new ArrayList<>(List.of("surge-web")));
        claims.put("roles", new ArrayList<>(List.of("ops")));
        OidcIdToken idToken = new OidcIdToken("header.payload.signature", now, now.plusSeconds(3600), claims);
        OidcUser user = new DefaultOidcUser(new ArrayList<>(List.of(new OidcUserAuthority(idToken))), idToken);
        SecurityContextImpl context = new SecurityContextImpl(new OAuth2AuthenticationToken(user, user.getAuthorities(), "surge"));

        Object back = roundTrip(context);

        assertThat(back).isInstanceOf(SecurityContextImpl.class);
        OAuth2AuthenticationToken authentication = (OAuth2AuthenticationToken) ((SecurityContextImpl) back).getAuthentication();
        assertThat(authentication.getName()).isEqualTo("alice");
        assertThat(((OidcUser) authentication.getPrincipal()).getIdToken().getClaimAsStringList("roles")).containsExactly("ops");
    }

    @Test
    void aValueNamingAClassOffTheAllowListIsRefusedAndNeverInstantiated() {
        String planted = "{\"@class\":\"" + Gadget.class.getName() + "\",\"command\":\"rm -rf /\"}";

        assertThatThrownBy(() -> values.deserialize(planted.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("cannot read a session value");
        assertThat(Gadget.INSTANCES).hasValue(0);
        assertThatThrownBy(() -> values.deserialize("[\"java.lang.ProcessBuilder\",[\"sh\"]]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class);
    }

    private Object roundTrip(Object value) {
        return values.deserialize(values.serialize(value));
    }

    /** Stands for any class with side effects on construction that an attacker would like to see built. */
    static class Gadget {

        static final AtomicInteger INSTANCES = new AtomicInteger();

        public String command;

        Gadget() {
            INSTANCES.incrementAndGet();
        }
    }
}

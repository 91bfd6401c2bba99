package dev.surge.catalog.web;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;

import dev.surge.catalog.cache.CachedJson;
import dev.surge.catalog.cache.CatalogCacheProperties;

/**
 * The answer to a public read: its JSON bytes as they are, its {@code ETag}, and a
 * {@code Cache-Control} that lets browsers and CDNs keep it briefly. WebFlux compares the tag with
 * {@code If-None-Match} (RFC 9110, section 13.1.2: weak comparison, a list of tags) and answers a
 * match with {@code 304 Not Modified}, the tag and the cache headers, without a body. Only
 * {@code If-None-Match: *} is answered here: WebFlux honours {@code *} for unsafe methods only,
 * while RFC 9110 makes it false on a GET whenever there is a representation, so a 304.
 */
@Component
public class PublicReads {

    private final CacheControl cacheControl;

    PublicReads(CatalogCacheProperties properties) {
        this.cacheControl = CacheControl.maxAge(properties.httpMaxAge().toSeconds(), TimeUnit.SECONDS)
                .cachePublic()
                .staleIfError(properties.httpStaleIfError().toSeconds(), TimeUnit.SECONDS);
    }

    public ResponseEntity<ByteBuffer> ok(CachedJson json, ServerHttpRequest request) {
        if (request.getHeaders().getOrEmpty(HttpHeaders.IF_NONE_MATCH).stream().anyMatch(value -> value.strip().equals("*"))) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED)
                    .eTag(json.etag())
                    .cacheControl(cacheControl)
                    .build();
        }
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_JSON)
                .eTag(json.etag())
                .cacheControl(cacheControl)
                .body(json.body());
    }
}

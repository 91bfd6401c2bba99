package dev.surge.order.flashsale;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The waiting room's admission tokens: who may buy which sale's sku until when, signed with
 * HMAC-SHA256 so that any cart-order instance can check one without Redis (while Redis is away an
 * admitted buyer still buys, through PostgreSQL alone). A token names the shopper, so it is useless to
 * anybody else, and lapses with its admission.
 *
 * <p>Form: {@code base64url(sku "\n" shopper "\n" expiresAtMillis) "." base64url(hmac)}.
 */
@Component
public class AdmissionTokens {

    /** The request header "buy now" carries the token in. */
    public static final String HEADER = "Flash-Sale-Admission";

    private static final String ALGORITHM = "HmacSHA256";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    /** Far longer than any real token (a sku, a subject, a number and a 32-byte signature). */
    private static final int MAX_LENGTH = 1_024;

    private static final Logger log = LoggerFactory.getLogger(AdmissionTokens.class);

    private final SecretKeySpec key;
    /** Initialised with the key once; each signature works on a clone (a lookup of the provider per call costs more). */
    private final Mac prototype;

    AdmissionTokens(FlashSaleProperties properties) {
        String secret = properties.waitingRoom().secret();
        byte[] bytes;
        if (secret.isBlank()) {
            // no published default to forge tokens with: a key of this instance's own
            bytes = new byte[32];
            new SecureRandom().nextBytes(bytes);
            log.warn("No surge.flash-sales.waiting-room.secret (SURGE_ADMISSION_SECRET): admission tokens are signed with "
                    + "a key of this instance alone, so a second cart-order instance would refuse them");
        }
        else {
            bytes = secret.getBytes(StandardCharsets.UTF_8);
        }
        this.key = new SecretKeySpec(bytes, ALGORITHM);
        this.prototype = newMac();
    }

    /** A token admitting the shopper to buy the sku until the instant. */
    String issue(String sku, String shopper, Instant expiresAt) {
        byte[] payload = (sku + "\n" + shopper + "\n" + expiresAt.toEpochMilli()).getBytes(StandardCharsets.UTF_8);
        return ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(sign(payload));
    }

    /** What a verified token admits its shopper to: the sku, until when. */
    public record Admitted(String sku, Instant expiresAt) {
    }

    /** The sku a token admits this shopper to; see {@link #admission}. */
    public Optional<String> admittedSku(String token, String shopper, Instant now) {
        return admission(token, shopper, now).map(Admitted::sku);
    }

    /**
     * What a token admits this shopper to, if it is ours, theirs and not lapsed; empty for anything
     * else (no token, a forged or damaged one, another shopper's, a lapsed one).
     */
    public Optional<Admitted> admission(String token, String shopper, Instant now) {
        if (token == null || token.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        try {
            byte[] payload = DECODER.decode(token.substring(0, dot));
            byte[] signature = DECODER.decode(token.substring(dot + 1));
            if (!MessageDigest.isEqual(signature, sign(payload))) {
                return Optional.empty();
            }
            String[] fields = new String(payload, StandardCharsets.UTF_8).split("\n", -1);
            if (fields.length != 3 || !fields[1].equals(shopper)) {
                return Optional.empty();
            }
            Instant expiresAt = Instant.ofEpochMilli(Long.parseLong(fields[2]));
            return now.isBefore(expiresAt) ? Optional.of(new Admitted(fields[0], expiresAt)) : Optional.empty();
        }
        catch (IllegalArgumentException damaged) {
            // not base64url, or no number where the expiry belongs
            return Optional.empty();
        }
    }

    private byte[] sign(byte[] payload) {
        Mac mac;
        try {
            mac = (Mac) prototype.clone();
        }
        catch (CloneNotSupportedException notThisProvider) {
            mac = newMac();
        }
        return mac.doFinal(payload);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        }
        catch (GeneralSecurityException impossible) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", impossible);
        }
    }
}

package dev.surge.order.address;

import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import io.r2dbc.spi.Parameters;
import io.r2dbc.spi.R2dbcType;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Addresses in PostgreSQL. Every statement names the owner next to the id, so an id of another
 * shopper's address finds nothing, exactly like an id that does not exist.
 */
@Repository
class R2dbcAddressRepository {

    private static final String COLUMNS = """
            id, label, recipient_name, line1, line2, city, region, postal_code, country_code, phone, is_default,
            created_at, updated_at""";

    /**
     * First key of the address book's advisory locks (the second is the owner's hash), so they
     * cannot collide with another feature's advisory locks. The bytes spell "ADDR".
     */
    private static final int ADDRESS_BOOK_LOCKS = 0x41444452;

    private final DatabaseClient database;

    R2dbcAddressRepository(DatabaseClient database) {
        this.database = database;
    }

    /**
     * Makes the rest of the current transaction the only writer of this shopper's addresses; the
     * lock goes with the commit or rollback. Without it, two concurrent requests could both see
     * room under the cap, or both see no address and make theirs the first default. The second
     * key is {@link String#hashCode}, whose algorithm is specified, so every instance computes the
     * same one; two shoppers whose ids share a hash merely queue behind each other.
     */
    Mono<Void> lockBookOf(String userId) {
        return database.sql("SELECT pg_advisory_xact_lock(:locks, :owner)")
                .bind("locks", ADDRESS_BOOK_LOCKS)
                .bind("owner", userId.hashCode())
                .then();
    }

    /** The shopper's addresses, the default first, then newest first. */
    Flux<Address> findAll(String userId) {
        return database.sql("SELECT " + COLUMNS + """
                         FROM address WHERE user_id = :userId
                        ORDER BY is_default DESC, created_at DESC, id""")
                .bind("userId", userId)
                .map(R2dbcAddressRepository::address)
                .all();
    }

    Mono<Address> find(String userId, UUID id) {
        return database.sql("SELECT " + COLUMNS + " FROM address WHERE id = :id AND user_id = :userId")
                .bind("id", id)
                .bind("userId", userId)
                .map(R2dbcAddressRepository::address)
                .one();
    }

    Mono<Long> count(String userId) {
        return database.sql("SELECT count(*) AS addresses FROM address WHERE user_id = :userId")
                .bind("userId", userId)
                .map(row -> row.get("addresses", Long.class))
                .one();
    }

    Mono<Address> insert(String userId, UUID id, AddressForm form, boolean isDefault) {
        Map<String, Object> values = values(form);
        values.put("id", id);
        values.put("userId", userId);
        values.put("isDefault", isDefault);
        return database.sql("""
                        INSERT INTO address (id, user_id, label, recipient_name, line1, line2, city, region,
                                             postal_code, country_code, phone, is_default)
                        VALUES (:id, :userId, :label, :recipientName, :line1, :line2, :city, :region,
                                :postalCode, :countryCode, :phone, :isDefault)
                        RETURNING\s""" + COLUMNS)
                .bindValues(values)
                .map(R2dbcAddressRepository::address)
                .one();
    }

    /**
     * Replaces every field; the default flag is only ever set here, never cleared. Empty when there
     * is no such address.
     */
    Mono<Address> update(String userId, UUID id, AddressForm form) {
        Map<String, Object> values = values(form);
        values.put("id", id);
        values.put("userId", userId);
        values.put("makeDefault", form.makeDefault());
        return database.sql("""
                        UPDATE address SET label = :label, recipient_name = :recipientName, line1 = :line1,
                               line2 = :line2, city = :city, region = :region, postal_code = :postalCode,
                               country_code = :countryCode, phone = :phone, is_default = is_default OR :makeDefault,
                               updated_at = now()
                        WHERE id = :id AND user_id = :userId
                        RETURNING\s""" + COLUMNS)
                .bindValues(values)
                .map(R2dbcAddressRepository::address)
                .one();
    }

    /** Takes the default flag off the shopper's default address unless it is {@code keep}. */
    Mono<Void> clearDefault(String userId, UUID keep) {
        return database.sql("""
                        UPDATE address SET is_default = false, updated_at = now()
                        WHERE user_id = :userId AND is_default AND id <> :keep""")
                .bind("userId", userId)
                .bind("keep", keep)
                .then();
    }

    /**
     * Flags the address as the default; call {@link #clearDefault} first, the index allows one per
     * shopper. Empty when there is no such address.
     */
    Mono<Address> markDefault(String userId, UUID id) {
        return database.sql("""
                        UPDATE address SET is_default = true, updated_at = now()
                        WHERE id = :id AND user_id = :userId
                        RETURNING\s""" + COLUMNS)
                .bind("id", id)
                .bind("userId", userId)
                .map(R2dbcAddressRepository::address)
                .one();
    }

    /** Deletes the address; emits whether it was the default, empty when there is no such address. */
    Mono<Boolean> delete(String userId, UUID id) {
        return database.sql("DELETE FROM address WHERE id = :id AND user_id = :userId RETURNING is_default")
                .bind("id", id)
                .bind("userId", userId)
                .map(row -> row.get("is_default", Boolean.class))
                .one();
    }

    /** Makes the shopper's most recently created address the default; nothing when none is left. */
    Mono<Void> promoteNewest(String userId) {
        return database.sql("""
                        UPDATE address SET is_default = true, updated_at = now()
                        WHERE id = (SELECT id FROM address WHERE user_id = :userId
                                    ORDER BY created_at DESC, id LIMIT 1)""")
                .bind("userId", userId)
                .then();
    }

    private static Map<String, Object> values(AddressForm form) {
        Map<String, Object> values = new HashMap<>();
        values.put("label", optional(form.label()));
        values.put("recipientName", form.recipientName());
        values.put("line1", form.line1());
        values.put("line2", optional(form.line2()));
        values.put("city", form.city());
        values.put("region", optional(form.region()));
        values.put("postalCode", form.postalCode());
        values.put("countryCode", form.countryCode());
        values.put("phone", optional(form.phone()));
        return values;
    }

    private static Object optional(String value) {
        return Parameters.in(R2dbcType.VARCHAR, value);
    }

    private static Address address(Readable row) {
        return new Address(
                row.get("id", UUID.class),
                row.get("label", String.class),
                row.get("recipient_name", String.class),
                row.get("line1", String.class),
                row.get("line2", String.class),
                row.get("city", String.class),
                row.get("region", String.class),
                row.get("postal_code", String.class),
                row.get("country_code", String.class),
                row.get("phone", String.class),
                row.get("is_default", Boolean.class),
                row.get("created_at", OffsetDateTime.class).toInstant(),
                row.get("updated_at", OffsetDateTime.class).toInstant());
    }
}

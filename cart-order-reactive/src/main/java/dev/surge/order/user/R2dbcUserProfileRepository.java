package dev.surge.order.user;

import java.time.OffsetDateTime;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import io.r2dbc.spi.Parameters;
import io.r2dbc.spi.R2dbcType;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** Profiles in PostgreSQL. */
@Repository
class R2dbcUserProfileRepository {

    private static final String COLUMNS = "user_id, email, name, phone, preferences::text AS preferences, created_at, updated_at";

    private final DatabaseClient database;
    private final JsonMapper json;

    R2dbcUserProfileRepository(DatabaseClient database, JsonMapper json) {
        this.database = database;
        this.json = json;
    }

    /** Inserts the profile unless the user has one; emits true when it was created now. */
    Mono<Boolean> createIfAbsent(String userId, String email, String name) {
        return database.sql("""
                        INSERT INTO user_profile (user_id, email, name, preferences)
                        VALUES (:userId, :email, :name, CAST(:preferences AS JSONB))
                        ON CONFLICT (user_id) DO NOTHING""")
                .bind("userId", userId)
                .bind("email", email)
                .bind("name", name)
                .bind("preferences", json.writeValueAsString(UserProfile.Preferences.DEFAULT))
                .fetch()
                .rowsUpdated()
                .map(inserted -> inserted == 1);
    }

    Mono<UserProfile> find(String userId) {
        return database.sql("SELECT " + COLUMNS + " FROM user_profile WHERE user_id = :userId")
                .bind("userId", userId)
                .map(this::profile)
                .one();
    }

    /** Applies the changes that are present; empty when the user has no profile. */
    Mono<UserProfile> update(String userId, ProfileChanges changes) {
        return database.sql("""
                        UPDATE user_profile SET
                            name = coalesce(:name, name),
                            phone = CASE WHEN :phone::text IS NULL THEN phone ELSE nullif(:phone::text, '') END,
                            preferences = coalesce(CAST(:preferences AS JSONB), preferences),
                            version = version + 1,
                            updated_at = now()
                        WHERE user_id = :userId
                        RETURNING\s""" + COLUMNS)
                .bind("userId", userId)
                .bind("name", Parameters.in(R2dbcType.VARCHAR, changes.name() == null ? null : changes.name().strip()))
                .bind("phone", Parameters.in(R2dbcType.VARCHAR, changes.phone() == null ? null : changes.phone().strip()))
                .bind("preferences", Parameters.in(R2dbcType.VARCHAR, changes.preferences() == null ? null
                        : json.writeValueAsString(new UserProfile.Preferences(changes.preferences().marketingEmails(),
                                changes.preferences().language()))))
                .map(this::profile)
                .one();
    }

    private UserProfile profile(Readable row) {
        return new UserProfile(
                row.get("user_id", String.class),
                row.get("email", String.class),
                row.get("name", String.class),
                row.get("phone", String.class),
                json.readValue(row.get("preferences", String.class), UserProfile.Preferences.class),
                row.get("created_at", OffsetDateTime.class).toInstant(),
                row.get("updated_at", OffsetDateTime.class).toInstant());
    }
}

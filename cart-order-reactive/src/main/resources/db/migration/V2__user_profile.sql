-- The "User Service" profile: one row per identity-provider subject, created from the token's
-- claims on first login. The user id is always the token's subject, never client input.
CREATE TABLE user_profile (
    user_id     TEXT PRIMARY KEY,
    email       TEXT        NOT NULL,
    name        TEXT        NOT NULL,
    phone       TEXT,
    preferences JSONB       NOT NULL DEFAULT '{}'::jsonb,
    version     BIGINT      NOT NULL DEFAULT 1,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- A shopper's saved shipping addresses. user_id is the token's subject, never client input; there
-- is no foreign key to user_profile, so a shopper may save addresses before the first-login PUT.
-- Lengths and formats are checked by the service, which reports every bad field at once; the
-- CHECKs here are the last guard for what must never be stored.
CREATE TABLE address (
    id             UUID        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id        TEXT        NOT NULL,
    label          TEXT,
    recipient_name TEXT        NOT NULL CHECK (recipient_name <> ''),
    line1          TEXT        NOT NULL CHECK (line1 <> ''),
    line2          TEXT,
    city           TEXT        NOT NULL CHECK (city <> ''),
    region         TEXT,
    postal_code    TEXT        NOT NULL CHECK (postal_code ~ '^[A-Za-z0-9 -]{2,10}$'),
    country_code   TEXT        NOT NULL CHECK (country_code ~ '^[A-Z]{2}$'),
    phone          TEXT,
    is_default     BOOLEAN     NOT NULL DEFAULT false,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Every read is "this shopper's addresses", newest first.
CREATE INDEX address_user_created ON address (user_id, created_at DESC);

-- At most one default per shopper. The service serialises each shopper's writes (an advisory
-- lock) so that concurrent requests queue instead of failing here; this index is what holds if
-- that ever goes wrong.
CREATE UNIQUE INDEX address_one_default_per_user ON address (user_id) WHERE is_default;

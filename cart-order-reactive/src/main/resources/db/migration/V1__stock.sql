-- Authoritative stock: checkout decrements it with a conditional update (available >= qty),
-- so the CHECK below is the last line against overselling.
CREATE TABLE stock (
    sku        TEXT PRIMARY KEY,
    available  INT         NOT NULL CHECK (available >= 0),
    version    BIGINT      NOT NULL DEFAULT 0,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

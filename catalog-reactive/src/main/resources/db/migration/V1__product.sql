-- Products as the catalog owns them; prices in minor units, never floating point.
CREATE TABLE product (
    sku            TEXT PRIMARY KEY,
    name           TEXT        NOT NULL,
    description    TEXT        NOT NULL DEFAULT '',
    brand          TEXT,
    category_id    TEXT,
    price_amount   BIGINT      NOT NULL CHECK (price_amount >= 0),
    price_currency CHAR(3)     NOT NULL,
    active         BOOLEAN     NOT NULL DEFAULT TRUE,
    version        BIGINT      NOT NULL DEFAULT 0,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

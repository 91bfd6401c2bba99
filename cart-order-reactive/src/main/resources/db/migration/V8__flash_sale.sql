-- A flash sale of one sku: its units were taken out of the sku's stock when the sale was set up, and
-- from then on every unit of the sku is sold through the sale ("buy now" only). PostgreSQL is the
-- truth the Redis stock gate is built from: checkout's one statement adds to sold, and the CHECK
-- below refuses a unit more than the sale has, whatever the gate let through.
CREATE TABLE flash_sale (
    sku               TEXT        PRIMARY KEY REFERENCES stock (sku),
    starts_at         TIMESTAMPTZ NOT NULL,
    units             INT         NOT NULL CHECK (units > 0),
    sold              INT         NOT NULL DEFAULT 0,
    per_shopper_limit INT         NOT NULL CHECK (per_shopper_limit > 0),
    version           BIGINT      NOT NULL DEFAULT 1,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT flash_sale_units_left CHECK (sold >= 0 AND sold <= units)
);

-- What each shopper bought in a sale, written by checkout in the order's statement: the CHECK is the
-- per-shopper limit PostgreSQL holds on its own (the limit is copied in, a CHECK sees one row), so the
-- limit stands even when Redis lost the gate's counts. It also rebuilds those counts.
CREATE TABLE flash_sale_purchase (
    sku               TEXT NOT NULL REFERENCES flash_sale (sku),
    user_id           TEXT NOT NULL,
    quantity          INT  NOT NULL,
    per_shopper_limit INT  NOT NULL,
    PRIMARY KEY (sku, user_id),
    CONSTRAINT flash_sale_purchase_within_limit CHECK (quantity >= 0 AND quantity <= per_shopper_limit)
);

-- Whether the line's units came from a flash sale rather than the stock: a failed payment, a cancel or
-- a timeout gives them back to the sale (and the shopper's limit), a retry takes them from it again.
ALTER TABLE order_line ADD COLUMN from_flash_sale BOOLEAN NOT NULL DEFAULT false;

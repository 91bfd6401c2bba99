-- cart-order's own copy of what carts and checkout need from the catalog, fed by shop.catalog.v1:
-- checkout prices from here, so it works while catalog is down. catalog_version is the product's
-- version in the catalog (the events' aggregate version): an event not newer than it changes nothing.
CREATE TABLE product (
    sku             TEXT PRIMARY KEY,
    name            TEXT        NOT NULL,
    image_url       TEXT,
    price_amount    BIGINT      NOT NULL CHECK (price_amount >= 0),
    price_currency  TEXT        NOT NULL CHECK (price_currency ~ '^[A-Z]{3}$'),
    weight_grams    INT CHECK (weight_grams >= 0),
    active          BOOLEAN     NOT NULL,
    catalog_version BIGINT      NOT NULL,
    changed_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Stock is set by ops per sku; the threshold is what "low" means on the shop's pages.
ALTER TABLE stock ADD COLUMN low_stock_threshold INT NOT NULL DEFAULT 5 CHECK (low_stock_threshold >= 0);

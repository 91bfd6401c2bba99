-- The version of each product last written to the outbox as ProductChanged/ProductDeactivated.
-- Products written without an event (the dev demo's SQL, a bulk import, rows older than this
-- column) differ from their version and are announced by ProductAnnouncements; clearing the
-- column republishes everything, so a new consumer (a fresh cart-order database) can rebuild.
ALTER TABLE product ADD COLUMN announced_version BIGINT;

CREATE INDEX product_unannounced ON product (sku) WHERE announced_version IS DISTINCT FROM version;

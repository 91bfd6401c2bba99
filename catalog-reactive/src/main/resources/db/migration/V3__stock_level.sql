-- The latest stock level heard for every sku, whether or not the catalog has its product yet:
-- inventory can announce a sku before its product is created here (events of two services are
-- not ordered with each other), and that level must not be lost. A product inserted later starts
-- from it; product.available stays the column every read uses.
CREATE TABLE stock_level (
    sku                 TEXT PRIMARY KEY,
    available           INT    NOT NULL CHECK (available >= 0),
    low_stock_threshold INT    NOT NULL,
    version             BIGINT NOT NULL
);

INSERT INTO stock_level (sku, available, low_stock_threshold, version)
SELECT sku, available, low_stock_threshold, inventory_version FROM product WHERE available IS NOT NULL;

-- Both writers of one sku's level take this transaction lock first: the stock event (level, then
-- product) and a product insert (reading the level). Without it, an event and an insert that run
-- at the same time each miss the other's uncommitted row and the level is lost.
CREATE FUNCTION lock_stock_level(sku TEXT) RETURNS void LANGUAGE sql AS $$
    SELECT pg_advisory_xact_lock(hashtext('stock_level:' || sku));
$$;

CREATE FUNCTION product_takes_stock_level() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    level stock_level%ROWTYPE;
BEGIN
    PERFORM lock_stock_level(NEW.sku);
    -- a statement of its own after the lock: it sees a level committed while this insert waited
    SELECT * INTO level FROM stock_level WHERE sku = NEW.sku;
    IF FOUND AND level.version > NEW.inventory_version THEN
        NEW.available := level.available;
        NEW.low_stock_threshold := level.low_stock_threshold;
        NEW.inventory_version := level.version;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER product_takes_stock_level BEFORE INSERT ON product
    FOR EACH ROW EXECUTE FUNCTION product_takes_stock_level();

-- Catalog model: a category tree, products with images, attributes and reviews, full-text and
-- typo-tolerant search, and the availability display fed by inventory events.

-- pg_trgm (trigram similarity) and fuzzystrmatch (edit distance) correct typos in search terms;
-- both are trusted extensions, creatable by the database owner.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;

CREATE TABLE category (
    id        TEXT PRIMARY KEY,           -- a slug: 'audio', 'audio-headphones'
    parent_id TEXT REFERENCES category (id),
    name      TEXT NOT NULL,
    position  INT  NOT NULL DEFAULT 0
);

CREATE INDEX category_parent ON category (parent_id);

ALTER TABLE product
    ADD CONSTRAINT product_category_fk FOREIGN KEY (category_id) REFERENCES category (id),
    ADD COLUMN attributes JSONB NOT NULL DEFAULT '{}'::jsonb,
    -- rating summary kept with each review insert, so lists can sort by rating without a join
    ADD COLUMN rating_count INT NOT NULL DEFAULT 0 CHECK (rating_count >= 0),
    ADD COLUMN rating_sum   INT NOT NULL DEFAULT 0 CHECK (rating_sum >= 0),
    -- stock display from shop.inventory.v1; NULL until the first event (shown as in stock)
    ADD COLUMN available           INT CHECK (available >= 0),
    ADD COLUMN low_stock_threshold INT NOT NULL DEFAULT 5,
    ADD COLUMN inventory_version   BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN search_vector TSVECTOR GENERATED ALWAYS AS (
        setweight(to_tsvector('english', coalesce(name, '')), 'A') ||
        setweight(to_tsvector('english', coalesce(brand, '')), 'A') ||
        setweight(to_tsvector('english', coalesce(description, '')), 'C')) STORED;

CREATE INDEX product_search ON product USING GIN (search_vector);
CREATE INDEX product_name_trgm ON product USING GIN (lower(name) gin_trgm_ops);
CREATE INDEX product_category ON product (category_id) WHERE active;
CREATE INDEX product_created ON product (created_at DESC) WHERE active;
CREATE INDEX product_price ON product (price_amount) WHERE active;

CREATE TABLE product_image (
    sku      TEXT NOT NULL REFERENCES product (sku) ON DELETE CASCADE,
    position INT  NOT NULL,
    url      TEXT NOT NULL,               -- a path served by this service, never an external URL
    alt      TEXT NOT NULL,
    PRIMARY KEY (sku, position)
);

CREATE TABLE review (
    id         UUID PRIMARY KEY,
    sku        TEXT        NOT NULL REFERENCES product (sku) ON DELETE CASCADE,
    rating     SMALLINT    NOT NULL CHECK (rating BETWEEN 1 AND 5),
    title      TEXT        NOT NULL,
    body       TEXT        NOT NULL,
    author     TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX review_product ON review (sku, created_at DESC);

-- Every word of product names, brands and category names, for correcting a misspelt search
-- term to the nearest real one. Kept by triggers; a word whose products are gone stays
-- harmlessly (it only ever rewrites a query into one that finds nothing).
CREATE TABLE search_term (
    word TEXT PRIMARY KEY
);

CREATE INDEX search_term_trgm ON search_term USING GIN (word gin_trgm_ops);

CREATE FUNCTION remember_search_terms(text) RETURNS void LANGUAGE sql AS $$
    INSERT INTO search_term (word)
    SELECT DISTINCT w FROM regexp_split_to_table(lower($1), '[^[:alnum:]]+') AS w
    WHERE length(w) >= 2
    ON CONFLICT DO NOTHING;
$$;

CREATE FUNCTION product_search_terms() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM remember_search_terms(NEW.name || ' ' || coalesce(NEW.brand, ''));
    RETURN NEW;
END;
$$;

CREATE TRIGGER product_search_terms AFTER INSERT OR UPDATE OF name, brand ON product
    FOR EACH ROW EXECUTE FUNCTION product_search_terms();

CREATE FUNCTION category_search_terms() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM remember_search_terms(NEW.name);
    RETURN NEW;
END;
$$;

CREATE TRIGGER category_search_terms AFTER INSERT OR UPDATE OF name ON category
    FOR EACH ROW EXECUTE FUNCTION category_search_terms();

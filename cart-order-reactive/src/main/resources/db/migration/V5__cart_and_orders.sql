-- Signed-in shoppers' carts. The cart row is each change's lock (every change bumps its version
-- first), so one shopper's concurrent changes queue; lines remember the price they were added at,
-- so the cart can flag a line whose price changed since.
CREATE TABLE cart (
    user_id    TEXT PRIMARY KEY,
    version    BIGINT      NOT NULL DEFAULT 0,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE cart_line (
    user_id          TEXT        NOT NULL REFERENCES cart (user_id) ON DELETE CASCADE,
    sku              TEXT        NOT NULL,
    quantity         INT         NOT NULL CHECK (quantity > 0),
    price_when_added BIGINT      NOT NULL CHECK (price_when_added >= 0),
    currency         TEXT        NOT NULL,
    added_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, sku)
);

-- Orders. status and version change together through OrderStatus's transitions only; every change
-- is a row of order_status_change (the timeline) and an event on shop.orders.v1.
CREATE TABLE orders (
    id              UUID PRIMARY KEY,
    user_id         TEXT        NOT NULL,
    status          TEXT        NOT NULL,
    version         BIGINT      NOT NULL CHECK (version >= 1),
    currency        TEXT        NOT NULL,
    subtotal        BIGINT      NOT NULL CHECK (subtotal >= 0),
    shipping        BIGINT      NOT NULL CHECK (shipping >= 0),
    tax             BIGINT      NOT NULL CHECK (tax >= 0),
    total           BIGINT      NOT NULL CHECK (total >= 0),
    ship_to         JSONB       NOT NULL,
    email           TEXT,
    payment_attempt INT         NOT NULL DEFAULT 1 CHECK (payment_attempt >= 1),
    from_cart       BOOLEAN     NOT NULL,
    placed_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX orders_by_user ON orders (user_id, placed_at DESC, id);
CREATE INDEX orders_awaiting_payment ON orders (updated_at) WHERE status = 'PENDING_PAYMENT';

CREATE TABLE order_line (
    order_id   UUID   NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    line_no    INT    NOT NULL,
    sku        TEXT   NOT NULL,
    name       TEXT   NOT NULL,
    quantity   INT    NOT NULL CHECK (quantity > 0),
    unit_price BIGINT NOT NULL CHECK (unit_price >= 0),
    line_total BIGINT NOT NULL CHECK (line_total >= 0),
    PRIMARY KEY (order_id, line_no)
);

CREATE TABLE order_status_change (
    order_id    UUID        NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    version     BIGINT      NOT NULL,
    from_status TEXT,
    to_status   TEXT        NOT NULL,
    reason      TEXT,
    changed_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (order_id, version)
);

-- One row per payment attempt: attempt 1 at checkout, one more per retry. The payment method token
-- is not kept here: it goes only to fulfilment, on PaymentRequested.
CREATE TABLE payment_attempt (
    order_id     UUID        NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    attempt      INT         NOT NULL CHECK (attempt >= 1),
    amount       BIGINT      NOT NULL CHECK (amount >= 0),
    status       TEXT        NOT NULL,
    payment_id   TEXT,
    failure_code TEXT,
    requested_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    decided_at   TIMESTAMPTZ,
    PRIMARY KEY (order_id, attempt)
);

-- Idempotency-Key records, per shopper, written in the same transaction as the order they protect
-- (never in an evictable cache). A replay with the same key and the same request gets the stored
-- response; the same key with another request is refused. Kept at least 24 hours.
CREATE TABLE idempotency_key (
    user_id      TEXT        NOT NULL,
    key          TEXT        NOT NULL,
    operation    TEXT        NOT NULL,
    request_hash TEXT        NOT NULL,
    order_id     UUID        NOT NULL,
    status       INT         NOT NULL,
    response     JSONB       NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, key)
);

CREATE INDEX idempotency_key_created ON idempotency_key (created_at);

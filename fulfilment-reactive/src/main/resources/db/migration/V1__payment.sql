-- One payment attempt per row; amounts in minor units.
CREATE TABLE payment (
    id              UUID PRIMARY KEY,
    order_id        UUID        NOT NULL,
    amount          BIGINT      NOT NULL CHECK (amount >= 0),
    currency        CHAR(3)     NOT NULL,
    status          TEXT        NOT NULL,
    provider_ref    TEXT,
    failure_reason  TEXT,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX payment_order ON payment (order_id);

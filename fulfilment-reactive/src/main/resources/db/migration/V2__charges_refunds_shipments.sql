-- V1's payment table was never written to; it is replaced by one row per provider operation.
DROP TABLE payment;

-- One row per provider operation: the charge of an attempt, or its refund. The row is written
-- (PENDING) before the provider is called, under the operation's idempotency key, and its outcome
-- is recorded in the transaction that writes the outcome event to the outbox.
CREATE TABLE payment (
    id               UUID PRIMARY KEY,
    kind             TEXT        NOT NULL CHECK (kind IN ('CHARGE', 'REFUND')),
    order_id         UUID        NOT NULL,
    attempt          INT         NOT NULL CHECK (attempt >= 1),
    -- what the provider sees: <order id>:<attempt>:charge or <order id>:<attempt>:refund
    idempotency_key  TEXT        NOT NULL UNIQUE,
    amount           BIGINT      NOT NULL CHECK (amount >= 0),
    currency         CHAR(3)     NOT NULL,
    -- the charge's payment method token, kept only while the charge is PENDING (a retry needs it)
    payment_token    TEXT,
    ship_to_country  CHAR(2),
    status           TEXT        NOT NULL,
    provider_ref     TEXT,
    failure_code     TEXT,
    failure_message  TEXT,
    refund_reason    TEXT,
    provider_calls   INT         NOT NULL DEFAULT 0,
    -- an instance working on a PENDING row holds it until then; past it the recovery poll may take it
    lease_until      TIMESTAMPTZ,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (order_id, attempt, kind)
);

CREATE INDEX payment_recent ON payment (created_at DESC, id);
CREATE INDEX payment_status_recent ON payment (status, created_at DESC, id);
CREATE INDEX payment_pending ON payment (lease_until) WHERE status = 'PENDING';

-- What the simulated provider remembers, as a real provider would on its side: one row per
-- idempotency key, so the same key answers the first result and never charges twice.
CREATE TABLE simulated_provider_operation (
    idempotency_key  TEXT PRIMARY KEY,
    kind             TEXT        NOT NULL,
    amount           BIGINT      NOT NULL,
    currency         CHAR(3)     NOT NULL,
    outcome          TEXT        NOT NULL,
    provider_ref     TEXT        NOT NULL,
    decline_code     TEXT,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Orders cart-order cancelled: a shipment not yet left stops, one that left is flagged as a return.
CREATE TABLE order_cancellation (
    order_id     UUID PRIMARY KEY,
    reason       TEXT        NOT NULL,
    cancelled_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One shipment per paid order. next_step_at is the timer of its next step (allocate, ship,
-- deliver), NULL once nothing is left to do; instances take due rows with FOR UPDATE SKIP LOCKED.
CREATE TABLE shipment (
    order_id          UUID PRIMARY KEY,
    attempt           INT         NOT NULL,
    ship_to_country   CHAR(2),
    warehouse         TEXT        NOT NULL,
    carrier           TEXT        NOT NULL,
    tracking_number   TEXT        NOT NULL UNIQUE,
    status            TEXT        NOT NULL
        CHECK (status IN ('AWAITING_ALLOCATION', 'ALLOCATED', 'SHIPPED', 'DELIVERED', 'STOPPED')),
    next_step_at      TIMESTAMPTZ,
    -- the order was cancelled after the parcel had left: ops collect it as a return
    return_requested  BOOLEAN     NOT NULL DEFAULT false,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX shipment_due ON shipment (next_step_at) WHERE next_step_at IS NOT NULL;
CREATE INDEX shipment_recent ON shipment (created_at DESC, order_id);

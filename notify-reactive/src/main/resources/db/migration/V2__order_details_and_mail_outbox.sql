-- The order read model grows the details a shopper cares about. Status and version come only from
-- shop.orders.v1; the details come from shop.payments.v1 and shop.fulfilment.v1, which may be read
-- before the order's first event (another topic, another partition): such a row exists with
-- version 0 and no status or owner until shop.orders.v1 catches up. Readers of live status skip
-- rows with version 0.
ALTER TABLE order_status
    ALTER COLUMN user_id DROP NOT NULL,
    ALTER COLUMN status DROP NOT NULL,
    ALTER COLUMN version SET DEFAULT 0,
    ADD COLUMN email                   TEXT,
    ADD COLUMN total_amount            BIGINT,
    ADD COLUMN currency                TEXT,
    -- the shop.orders.v1 event that set the current status (a live stream's event id)
    ADD COLUMN status_event_id         UUID,
    ADD COLUMN status_reason           TEXT,
    ADD COLUMN placed_at               TIMESTAMPTZ,
    ADD COLUMN status_changed_at       TIMESTAMPTZ,
    ADD COLUMN confirmed_at            TIMESTAMPTZ,
    ADD COLUMN payment_failure_reason  TEXT,
    ADD COLUMN payment_failure_message TEXT,
    ADD COLUMN payment_failed_at       TIMESTAMPTZ,
    ADD COLUMN carrier                 TEXT,
    ADD COLUMN tracking_number         TEXT,
    ADD COLUMN shipped_at              TIMESTAMPTZ,
    ADD COLUMN delivered_at            TIMESTAMPTZ,
    ADD COLUMN cancelled_at            TIMESTAMPTZ,
    -- the latest refund (an order refunded for several attempts shows the last one)
    ADD COLUMN refunded_amount         BIGINT,
    ADD COLUMN refund_currency         TEXT,
    ADD COLUMN refunded_at             TIMESTAMPTZ,
    -- the event that carried the latest refund, until the mail about it is written (the owner's
    -- address may not be known yet)
    ADD COLUMN refund_event_id         UUID,
    -- the shop.orders.v1 event that moved the order to SHIPPED: its mail waits for the tracking number
    ADD COLUMN shipped_event_id        UUID,
    ADD CONSTRAINT order_status_state CHECK (version = 0 OR (status IS NOT NULL AND user_id IS NOT NULL));

-- One mail per (order, event), written in the consumer's transaction and sent by the mail relay.
-- The content is rendered when the row is written, so a resend is byte for byte the same message
-- with the same Message-ID.
CREATE TABLE mail_outbox (
    id              BIGSERIAL PRIMARY KEY,
    order_id        UUID        NOT NULL,
    event_id        UUID        NOT NULL,
    kind            TEXT        NOT NULL,
    recipient       TEXT        NOT NULL,
    subject         TEXT        NOT NULL,
    text_body       TEXT        NOT NULL,
    html_body       TEXT        NOT NULL,
    message_id      TEXT        NOT NULL UNIQUE,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- every try, for the backoff; refusals (the server answered no, or the message cannot be sent
    -- as written) count towards parking, an outage does not
    attempts        INT         NOT NULL DEFAULT 0,
    refusals        INT         NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_error      TEXT,
    sent_at         TIMESTAMPTZ,
    parked_at       TIMESTAMPTZ,
    UNIQUE (order_id, event_id)
);

CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at, id) WHERE sent_at IS NULL AND parked_at IS NULL;
CREATE INDEX mail_outbox_parked ON mail_outbox (parked_at) WHERE parked_at IS NOT NULL;
CREATE INDEX mail_outbox_sent ON mail_outbox (sent_at) WHERE sent_at IS NOT NULL;

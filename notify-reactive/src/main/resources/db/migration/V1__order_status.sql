-- The order-status read model behind the SSE snapshots; version drops stale events.
CREATE TABLE order_status (
    order_id   UUID PRIMARY KEY,
    user_id    TEXT        NOT NULL,
    status     TEXT        NOT NULL,
    version    BIGINT      NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX order_status_user ON order_status (user_id);

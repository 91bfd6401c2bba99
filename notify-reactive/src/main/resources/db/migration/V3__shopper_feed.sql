-- Each shopper's change feed behind the live-status streams (/api/orders/events). Every change a
-- shopper can see in one of their orders is one row, numbered by a sequence of that shopper's own,
-- written in the transaction of the event that caused it. The numbers are the streams' SSE ids: they
-- survive a restart, and Last-Event-ID resumes from them with no gap and no duplicate.
CREATE TABLE shopper_sequence (
    user_id TEXT   PRIMARY KEY,
    -- the id of the shopper's latest row in shopper_event; taking the next one locks this row until
    -- commit, so one shopper's ids are committed in the order they were taken
    last_id BIGINT NOT NULL
);

CREATE TABLE shopper_event (
    user_id    TEXT        NOT NULL,
    id         BIGINT      NOT NULL,
    order_id   UUID        NOT NULL,
    -- the order reached DELIVERED or CANCELLED with this change: its one-order stream ends
    final      BOOLEAN     NOT NULL,
    -- the event's data as streamed (the order as the read model holds it after the change)
    body       TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, id)
);

-- the clean-up deletes the oldest rows first; a Last-Event-ID older than what is left gets a fresh snapshot
CREATE INDEX shopper_event_created ON shopper_event (created_at);

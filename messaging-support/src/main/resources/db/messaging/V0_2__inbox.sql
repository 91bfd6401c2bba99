-- Inbox: one row per (consumer, event) handled. The primary key is the dedupe: an insert that
-- conflicts means the event's effect already happened, in a transaction that committed.
CREATE TABLE inbox (
    consumer   TEXT        NOT NULL,
    event_id   UUID        NOT NULL,
    handled_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);

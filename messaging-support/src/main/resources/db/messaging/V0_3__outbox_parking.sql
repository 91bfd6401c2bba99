-- Parking: a row Kafka refuses is set aside (parked_at) so the rows behind it flow on. attempts
-- counts relay passes in which this row failed while others were published; last_error is the
-- broker's or client's reason, shown to ops.
ALTER TABLE outbox
    ADD COLUMN attempts   INT NOT NULL DEFAULT 0,
    ADD COLUMN last_error TEXT,
    ADD COLUMN parked_at  TIMESTAMPTZ;

-- The relay's work list: unpublished and not parked.
DROP INDEX outbox_unpublished;
CREATE INDEX outbox_pending ON outbox (id) WHERE published_at IS NULL AND parked_at IS NULL;

-- Parked rows are few; the relay asks for each candidate whether an older row of its aggregate is parked.
CREATE INDEX outbox_parked ON outbox (topic, aggregate_id, id) WHERE published_at IS NULL AND parked_at IS NOT NULL;

-- A parked row ops decided never to publish: kept here for inspection until the outbox retention ends.
CREATE TABLE outbox_discarded (
    id             BIGINT      PRIMARY KEY,
    event_id       UUID        NOT NULL,
    topic          TEXT        NOT NULL,
    aggregate_id   TEXT        NOT NULL,
    event_type     TEXT        NOT NULL,
    schema_version INT         NOT NULL,
    envelope       JSONB       NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    attempts       INT         NOT NULL,
    last_error     TEXT,
    parked_at      TIMESTAMPTZ NOT NULL,
    discarded_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX outbox_discarded_at ON outbox_discarded (discarded_at);

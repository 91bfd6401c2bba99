-- A stand-in for a service's state: each handled event adds one row.
CREATE TABLE effects (
    id       BIGSERIAL PRIMARY KEY,
    event_id UUID NOT NULL,
    note     TEXT NOT NULL
);

-- The relay deletes a row once Kafka has acknowledged it, in the transaction that read it (OutboxRelay):
-- the table holds only what waits (pending, held or parked). published_at stays, always NULL, so the
-- queries and partial indexes that name it keep meaning "not sent yet"; rows an earlier relay marked
-- are gone here, and with them the index of published rows.
DELETE FROM outbox WHERE published_at IS NOT NULL;
DROP INDEX IF EXISTS outbox_published_at;

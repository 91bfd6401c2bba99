-- The inbox is cleaned up after its retention period, oldest first, a chunk at a time.
CREATE INDEX inbox_handled_at ON inbox (handled_at);

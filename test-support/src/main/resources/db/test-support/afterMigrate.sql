-- Tests only (IntegrationTest adds this location to the service's Flyway locations): the relay deletes
-- an outbox row once Kafka has it, so a test could not tell what a service wrote by looking at the
-- outbox. Every row written to it is copied to outbox_written, which tests read instead; the outbox
-- itself still shows only what waits.
DO $$
BEGIN
    IF to_regclass('outbox') IS NOT NULL THEN
        CREATE TABLE IF NOT EXISTS outbox_written (LIKE outbox);
        CREATE OR REPLACE FUNCTION copy_outbox_row() RETURNS trigger LANGUAGE plpgsql AS $f$
        BEGIN
            INSERT INTO outbox_written SELECT NEW.*;
            RETURN NEW;
        END
        $f$;
        CREATE OR REPLACE TRIGGER outbox_written AFTER INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION copy_outbox_row();
    END IF;
END
$$;

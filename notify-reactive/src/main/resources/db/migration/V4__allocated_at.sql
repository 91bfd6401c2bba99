-- When the order was packed at the warehouse (its ALLOCATED status), so a live timeline shows the
-- time of every step, as it does for CONFIRMED and DELIVERED
ALTER TABLE order_status ADD COLUMN allocated_at TIMESTAMPTZ;

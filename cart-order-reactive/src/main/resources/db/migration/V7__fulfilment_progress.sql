-- The furthest progress fulfilment reported for the order (ALLOCATED, SHIPPED, DELIVERED), kept even
-- while the order cannot take it yet: fulfilment's topic is read beside the payments topic, so its
-- report may come before the PaymentSucceeded it follows. The order takes the steps up to it once it
-- is CONFIRMED; a cancelled order keeps it and never moves.
ALTER TABLE orders ADD COLUMN fulfilment_progress TEXT
    CHECK (fulfilment_progress IN ('ALLOCATED', 'SHIPPED', 'DELIVERED'));

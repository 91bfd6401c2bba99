-- The order's own sequence on shop.payment-requests.v1 (PaymentRequested, RefundRequested): the
-- aggregate version of those events, so no two of one order's requests share a version there.
-- Checkout's PaymentRequested is 1.
ALTER TABLE orders ADD COLUMN request_seq BIGINT NOT NULL DEFAULT 1;

-- A sale's waiting room may steer its own pace: with adaptive admission, admissions_per_second is the
-- ceiling, and the pace goes down while checkout struggles and up while it keeps up (README, "Waiting room").
ALTER TABLE flash_sale ADD COLUMN adaptive_admission BOOLEAN NOT NULL DEFAULT false;

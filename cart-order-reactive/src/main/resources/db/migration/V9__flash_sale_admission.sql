-- The waiting room's pace: how many waiting shoppers a sale lets in per second (each gets an admission
-- token for "buy now"). Set per sale by ops; the Redis gate carries a copy of it.
ALTER TABLE flash_sale ADD COLUMN admissions_per_second INT NOT NULL DEFAULT 50
    CONSTRAINT flash_sale_admissions_per_second CHECK (admissions_per_second BETWEEN 1 AND 10000);

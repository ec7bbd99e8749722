-- A percentage voucher's ceiling (rewards of the catalogue), and free shipping alone as a voucher of its own (the
-- programme document allowed it; the old check refused it).
ALTER TABLE voucher ADD COLUMN maximum_discount numeric(19, 4);

DO $$
DECLARE
    benefit_check text;
BEGIN
    SELECT conname INTO benefit_check FROM pg_constraint
    WHERE conrelid = 'voucher'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%free_gift_sku%';
    EXECUTE format('ALTER TABLE voucher DROP CONSTRAINT %I', benefit_check);
END $$;

ALTER TABLE voucher ADD CONSTRAINT voucher_one_benefit CHECK (
    (value IS NOT NULL)::int + (percent_off IS NOT NULL)::int + (free_gift_sku IS NOT NULL)::int
        + (value IS NULL AND percent_off IS NULL AND free_gift_sku IS NULL AND free_shipping)::int = 1);
ALTER TABLE voucher ADD CONSTRAINT voucher_ceiling_of_percentage CHECK (maximum_discount IS NULL OR percent_off IS NOT NULL);

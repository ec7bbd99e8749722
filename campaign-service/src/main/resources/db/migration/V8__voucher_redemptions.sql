-- Vouchers at checkout (issue 33): a cancelled order finds the vouchers it redeemed, to release them.
CREATE INDEX voucher_redeemed_order ON voucher (redeemed_order_id) WHERE redeemed_order_id IS NOT NULL;

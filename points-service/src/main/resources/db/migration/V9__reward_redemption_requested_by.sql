-- Who redeemed a reward on the customer's behalf (console issue 36): a support agent's or an admin's token subject,
-- e.g. for a customer who calls the hotline. NULL: the customer, through the storefront (every earlier row). Not the
-- customer's id, so an erasure has nothing more to rename here.
ALTER TABLE reward_redemption ADD COLUMN requested_by TEXT;

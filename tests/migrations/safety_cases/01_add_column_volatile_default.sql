SET lock_timeout = '2s';
SET statement_timeout = '30s';
ALTER TABLE orders ADD COLUMN public_id uuid DEFAULT gen_random_uuid();

SET lock_timeout = '2s';
SET statement_timeout = '30s';
ALTER TABLE orders ADD COLUMN note text;
ALTER TABLE orders ADD COLUMN status_v2 text DEFAULT 'placed';
ALTER TABLE orders ADD CONSTRAINT orders_tenant_not_null CHECK (tenant_id IS NOT NULL) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_tenant_not_null;

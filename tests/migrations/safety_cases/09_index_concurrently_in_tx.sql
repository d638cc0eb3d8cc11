SET lock_timeout = '2s';
SET statement_timeout = '30s';
BEGIN;
CREATE INDEX CONCURRENTLY orders_tenant_idx ON orders (tenant_id);
COMMIT;

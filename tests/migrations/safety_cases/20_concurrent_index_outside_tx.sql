SET lock_timeout = '2s';
SET statement_timeout = '30s';
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_tenant_idx ON orders (tenant_id);
DROP INDEX CONCURRENTLY IF EXISTS orders_old_idx;
